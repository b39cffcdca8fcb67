"""Local imports of a file that was not worth a full parse (no secret-related
text at all): the IAM linker still needs them to follow a handler to the
helper modules that do read secrets. A text scan suffices: a match inside a
string or comment only adds an existing local file to the closure."""
from __future__ import annotations

import re

from lambda_secrets_lint.model.code import Language

_PY = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w, \t]+)|import[ \t]+([\w.]+))", re.MULTILINE
)
_JS = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|^\s*import\s+)['"`](\.{1,2}/[^'"`\s]+)['"`]""", re.MULTILINE
)


def text_imports(text: str, language: Language) -> tuple[str, ...]:
    out: list[str] = []
    if language is Language.PYTHON:
        for m in _PY.finditer(text):
            if m.group(3):
                out.append(m.group(3))
                continue
            base = m.group(1)
            if not base:
                continue
            out.append(base)
            sep = "" if base.endswith(".") else "."
            out.extend(f"{base}{sep}{n.strip()}" for n in m.group(2).split(",") if n.strip().isidentifier())
    else:
        out.extend(m.group(1) for m in _JS.finditer(text))
    return tuple(dict.fromkeys(out))
