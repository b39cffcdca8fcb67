"""Entry point: one JS/TS file → CodeFacts (handler-facts.md)."""
from __future__ import annotations

from lambda_secrets_lint.model.code import CodeFacts, Language
from lambda_secrets_lint.parsers.js.definitions import definitions, local_imports, nested_imports
from lambda_secrets_lint.parsers.js.grammar import first_error, parse
from lambda_secrets_lint.parsers.js.hardcoded import scan_hardcoded
from lambda_secrets_lint.parsers.js.text import Source
from lambda_secrets_lint.parsers.nodes import ParseError

__all__ = ["extract_js"]


def _sort_key(fact: object) -> tuple[int, int]:
    span = fact.location.span  # type: ignore[attr-defined]
    return span.line, span.col


def extract_js(
    path: str,
    text: str,
    *,
    language: Language,
    tsx: bool,
    is_cdk: bool,
    extra_words: tuple[str, ...] = (),
) -> CodeFacts:
    """Facts about one JS/TS source file. Raises ParseError (and nothing else)
    for a syntax error, at the first ERROR / MISSING node; the message never
    quotes the source. `is_cdk`: only hardcoded literals are collected."""
    src = Source(path, text)
    tree = parse(src.data, language, tsx)
    root = tree.root_node
    bad = first_error(root)
    if bad is not None:
        line, col = src.span(bad)[:2]
        # a MISSING node's type is a grammar token (";", "}"), never source text
        missing = bad.is_missing and bad.type.isascii() and len(bad.type) <= 20
        message = f"syntax error: missing {bad.type!r}" if missing else "syntax error"
        raise ParseError(message, line, col)
    try:
        hardcoded = scan_hardcoded(src, root, language=language, tsx=tsx, is_cdk=is_cdk, extra_words=extra_words)
        if is_cdk:
            return CodeFacts(path, language, True, hardcoded=tuple(sorted(hardcoded, key=_sort_key)))
        from lambda_secrets_lint.parsers.js.analyzer import Analyzer

        analyzer = Analyzer(src, root, extra_words)
        analyzer.run()
    except RecursionError:  # the depth guards should make this unreachable
        raise ParseError("nesting too deep to analyse") from None
    return CodeFacts(
        path,
        language,
        False,
        secret_reads=tuple(sorted(analyzer.secret_reads(), key=_sort_key)),
        env_reads=tuple(sorted(analyzer.env_reads.values(), key=_sort_key)),
        sinks=tuple(sorted(analyzer.sinks.values(), key=_sort_key)),
        hardcoded=tuple(sorted(hardcoded, key=_sort_key)),
        middlewares=tuple(sorted(analyzer.middlewares.values(), key=_sort_key)),
        definitions=definitions(root),
        imports=tuple(dict.fromkeys(local_imports(root) + nested_imports(text))),
    )
