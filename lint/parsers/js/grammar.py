"""tree-sitter grammars for JavaScript / TypeScript, loaded once per process.

tree-sitter and its grammar wheels are imported lazily: a project without JS
or TS files never pays for them. Each grammar's `Language` and `Parser` are
built on first use and cached at module level (the linter parses files one
after another in one thread, so one parser per grammar is enough).

A tree whose root `has_error` is a syntax error: tree-sitter always returns a
tree, with ERROR nodes around text it could not place and zero-width MISSING
nodes where it invented a token. The first of those in document order is the
position reported; the message never quotes source text.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.model.code import Language
from lambda_secrets_lint.parsers.nodes import ParseError

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node, Tree

__all__ = ["captures", "first_error", "grammar_name", "parse"]

_LANGUAGES: dict[str, Any] = {}
_PARSERS: dict[str, Any] = {}
_QUERIES: dict[tuple[str, str], Any] = {}


def grammar_name(language: Language, tsx: bool) -> str:
    """`.ts .mts .cts` → typescript, `.tsx` → tsx, `.js .mjs .cjs .jsx` → javascript
    (the javascript grammar parses JSX)."""
    if language is Language.TYPESCRIPT:
        return "tsx" if tsx else "typescript"
    return "javascript"


def _language(name: str) -> Any:
    language = _LANGUAGES.get(name)
    if language is not None:
        return language
    try:
        import tree_sitter

        if name == "javascript":
            import tree_sitter_javascript

            capsule = tree_sitter_javascript.language()
        else:
            import tree_sitter_typescript

            capsule = (
                tree_sitter_typescript.language_tsx() if name == "tsx" else tree_sitter_typescript.language_typescript()
            )
        language = tree_sitter.Language(capsule)
    except ImportError as exc:  # an install-time dependency; say so (per file) instead of crashing the run
        raise ParseError(f"{exc.name or 'tree-sitter'} is not installed") from None
    _LANGUAGES[name] = language
    return language


def _parser(name: str) -> Any:
    parser = _PARSERS.get(name)
    if parser is None:
        import tree_sitter

        parser = tree_sitter.Parser(_language(name))
        _PARSERS[name] = parser
    return parser


def parse(src: bytes, language: Language, tsx: bool) -> "Tree":
    return _parser(grammar_name(language, tsx)).parse(src)


def captures(root: "Node", language: Language, tsx: bool, pattern: str) -> dict[str, list["Node"]]:
    """Run a tree-sitter query (compiled once per grammar) over root: finding
    a few node types this way is much cheaper than walking every node in Python.
    py-tree-sitter 0.25+ runs queries through a QueryCursor; 0.23/0.24 on the
    Query itself."""
    import tree_sitter

    name = grammar_name(language, tsx)
    query = _QUERIES.get((name, pattern))
    if query is None:
        try:
            query = tree_sitter.Query(_language(name), pattern)
        except TypeError:  # older bindings: Language.query(source)
            query = _language(name).query(pattern)
        _QUERIES[(name, pattern)] = query
    cursor_class = getattr(tree_sitter, "QueryCursor", None)
    found = cursor_class(query).captures(root) if cursor_class is not None else query.captures(root)
    if isinstance(found, dict):
        return found
    out: dict[str, list[Node]] = {}  # 0.22-style [(node, capture name), …]
    for node, capture in found:
        out.setdefault(capture, []).append(node)
    return out


def first_error(root: "Node") -> "Node | None":
    """The first ERROR or MISSING node in document order (iterative: trees can
    be deep). Subtrees without errors are skipped via `has_error`."""
    if not root.has_error:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing or node.type == "ERROR":
            return node
        # children in reverse so the leftmost is popped first
        for child in reversed(node.children):
            if child.has_error or child.is_missing:
                stack.append(child)
    return root  # has_error but no node found (should not happen): point at the start
