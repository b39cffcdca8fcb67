"""extract_python: parse once with libcst, then two kinds of walk.

1. `LiteralCollector`, one iterative walk over the whole tree: hardcoded
   secrets (the only facts collected for CDK code).
2. `Interpreter`: the taint interpretation over statements (1–3 rounds, see
   interp.py), for handler code only.
Positions come from libcst's PositionProvider, resolved lazily per top-level
statement that holds a fact (positions.py).
"""
from __future__ import annotations

from collections.abc import Sequence

import ast
import re
import warnings

import libcst as cst

from lambda_secrets_lint.model.code import CodeFacts, Definition, Language
from lambda_secrets_lint.parsers.nodes import ParseError
from lambda_secrets_lint.parsers.python.guard import DEPTH_MESSAGE, check_nesting
from lambda_secrets_lint.parsers.python.interp import Interpreter
from lambda_secrets_lint.parsers.python.literals import LiteralCollector
from lambda_secrets_lint.parsers.python.positions import Positions

__all__ = ["extract_python", "parse_module"]

_LIBCST_AT = re.compile(r"error at (\d+):(\d+)")
_LIBCST_PREFIX = re.compile(r"^(?:parser error: )?(?:error at \d+:\d+: )?(?:tokenizer error: )?")
_QUOTED = re.compile(r"'[^'\n]{4,}'|\"[^\"\n]{4,}\"")
_MAX_MESSAGE = 160


def parse_module(text: str) -> cst.Module:
    """The one libcst parse of a Python file; every failure is a ParseError
    (syntax error with its position, nesting too deep, invalid Unicode)."""
    check_nesting(text)
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise _syntax_error(text, exc) from None
    except RecursionError:
        raise ParseError(DEPTH_MESSAGE) from None
    except UnicodeError as exc:  # lone surrogates: the native parser needs valid UTF-8
        start = getattr(exc, "start", 0)
        line = text.count("\n", 0, start) + 1
        raise ParseError("source text is not valid Unicode", line, start - text.rfind("\n", 0, start)) from None
    except Exception as exc:  # noqa: BLE001 - the loader expects ParseError only (§10)
        raise ParseError(f"libcst could not parse the file ({type(exc).__name__})") from None


def extract_python(
    path: str, text: str, *, is_cdk: bool, extra_words: tuple[str, ...] = (), module: cst.Module | None = None
) -> "CodeFacts":
    """Facts about one Python source file (handler-facts.md). Raises only
    ParseError: for a syntax error, for nesting too deep for libcst, and
    (defensively) for an unexpected failure while analysing. Pass `module`
    when the file is already parsed (CDK files are also read as stacks)."""
    if module is None:
        module = parse_module(text)
    try:
        return _analyse(path, text, module, is_cdk, tuple(extra_words))
    except RecursionError:
        raise ParseError(DEPTH_MESSAGE) from None
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - the loader expects ParseError only (§10)
        raise ParseError(f"internal error while analysing Python code ({type(exc).__name__})") from None


def _analyse(path: str, text: str, module: cst.Module, is_cdk: bool, extra_words: tuple[str, ...]) -> CodeFacts:
    positions = Positions(path, module, text)
    collector = LiteralCollector(positions.loc, is_cdk=is_cdk, extra_words=extra_words)
    collector.walk(module)
    hardcoded = tuple(sorted(collector.found, key=lambda h: h.location))
    if is_cdk:
        return CodeFacts(path=path, language=Language.PYTHON, is_cdk=True, hardcoded=hardcoded)
    reads, env_reads, sinks = Interpreter(module, positions.loc, extra_words).run()
    return CodeFacts(
        path=path,
        language=Language.PYTHON,
        is_cdk=False,
        secret_reads=tuple(sorted(reads, key=lambda r: (r.location, r.action))),
        env_reads=tuple(sorted(env_reads, key=lambda e: (e.location, e.name))),
        sinks=tuple(sorted(sinks, key=lambda s: (s.location, s.kind.value))),
        hardcoded=hardcoded,
        definitions=_definitions(module, positions),
        imports=tuple(dict.fromkeys(_imports(module) + _nested_imports(text))),
    )


def _definitions(module: cst.Module, positions: Positions) -> tuple[Definition, ...]:
    out: list[Definition] = []
    for top, statement in enumerate(module.body):
        if isinstance(statement, cst.FunctionDef):
            span = positions.loc(statement, top).span
            out.append(Definition(statement.name.value, span.line, span.end_line))
    return tuple(out)


def _dotted(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        left = _dotted(node.value)
        return f"{left}.{node.attr.value}" if left else ""
    return ""


def _imports(module: cst.Module) -> tuple[str, ...]:
    """Top-level imports (also inside a top-level try/if), as dotted names
    with their leading dots: `from .db import q` → ".db" and ".db.q" (q may
    be a submodule), `import common.secrets` → "common.secrets". Which of
    them are local files is the linker's business."""
    out: list[str] = []

    def visit(statements: Sequence[cst.BaseStatement]) -> None:
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Import):
                        out.extend(_dotted(alias.name) for alias in small.names)
                    elif isinstance(small, cst.ImportFrom):
                        dots = "." * len(small.relative)
                        base = dots + _dotted(small.module)
                        out.append(base)
                        if not isinstance(small.names, cst.ImportStar):
                            sep = "" if base.endswith(".") else "."
                            out.extend(f"{base}{sep}{alias.name.value}" for alias in small.names
                                       if isinstance(alias.name, cst.Name))
            elif isinstance(statement, (cst.Try, cst.If)):
                visit(statement.body.body)
                for handler in getattr(statement, "handlers", ()):
                    visit(handler.body.body)

    visit(module.body)
    return tuple(dict.fromkeys(name for name in out if name and name.strip(".") or name.startswith(".")))


# Imports inside functions (lazy loading): an indented `from .x import y` /
# `import pkg.mod`. A text scan; a match inside a string only adds a local
# file that exists to the handler's closure.
_NESTED_IMPORT = re.compile(r"^[ \t]+(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+([\w, \t]+)|import[ \t]+([\w.]+))", re.MULTILINE)


def _nested_imports(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for m in _NESTED_IMPORT.finditer(text):
        if m.group(3):
            out.append(m.group(3))
            continue
        base = m.group(1)
        if not base:
            continue
        out.append(base)
        sep = "" if base.endswith(".") else "."
        out.extend(f"{base}{sep}{name.strip()}" for name in m.group(2).split(",") if name.strip().isidentifier())
    return tuple(out)


def _syntax_error(text: str, exc: cst.ParserSyntaxError) -> ParseError:
    """A ParseError at the error's position, with a message that quotes no
    source text. CPython's own parser gives the more precise position and
    the more familiar message, so it is asked first; libcst's answer is the
    fallback (when CPython accepts what libcst rejects)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as err:
        if err.lineno:
            col = err.offset if err.offset and err.offset > 0 else 1
            return ParseError(_clean(f"syntax error: {err.msg}"), err.lineno, col)
    except (RecursionError, MemoryError, ValueError):
        pass
    message = exc.message.splitlines()[0] if exc.message else "invalid syntax"
    at = _LIBCST_AT.search(message)
    line, col = (int(at.group(1)), int(at.group(2)) + 1) if at else (exc.raw_line, exc.raw_column + 1)
    return ParseError(_clean("syntax error: " + _LIBCST_PREFIX.sub("", message)), max(line, 1), max(col, 1))


def _clean(message: str) -> str:
    """One line, no quoted source fragments longer than three characters."""
    message = _QUOTED.sub("…", message.replace("\n", " "))
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"
