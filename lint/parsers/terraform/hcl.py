"""tree-sitter-hcl plumbing: parse a file once, and read blocks, attributes,
strings and positions from the syntax tree.

Positions: tree-sitter points are 0-based rows and BYTE columns; findings
want 1-based lines and code-point columns, end exclusive.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.parsers.nodes import ParseError

if TYPE_CHECKING:  # tree_sitter is imported lazily: only Terraform files need it
    from tree_sitter import Node, Parser
else:
    Node = Any
    Parser = Any

_PARSER: Parser | None = None


def _parser() -> Parser:
    """One Parser per process, built on first use."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter_hcl
        from tree_sitter import Language
        from tree_sitter import Parser as _TSParser

        _PARSER = _TSParser(Language(tree_sitter_hcl.language()))
    return _PARSER


class HclFile:
    """One parsed .tf file: its source bytes, syntax tree and position helpers."""

    __slots__ = ("path", "src", "root", "_line_starts", "_tree")

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.src = text.encode("utf-8", errors="surrogatepass")
        self._tree = _parser().parse(self.src)
        self.root: Node = self._tree.root_node
        starts = [0]
        for m in re.finditer(rb"\n", self.src):
            starts.append(m.end())
        self._line_starts = starts

    # -- positions ---------------------------------------------------------
    def _col(self, row: int, byte_col: int) -> int:
        start = self._line_starts[row] if row < len(self._line_starts) else len(self.src)
        head = self.src[start : start + byte_col]
        if head.isascii():
            return byte_col + 1
        return len(head.decode("utf-8", errors="replace")) + 1

    def span(self, node: Node, end: Node | None = None) -> Span:
        s, e = node.start_point, (end or node).end_point
        return Span(s[0] + 1, self._col(s[0], s[1]), e[0] + 1, self._col(e[0], e[1]))

    def loc(self, node: Node, end: Node | None = None) -> Location:
        return Location(self.path, self.span(node, end))

    def text(self, node: Node) -> str:
        return self.src[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def slice(self, start: int, end: int) -> str:
        return self.src[start:end].decode("utf-8", errors="replace")

    # -- errors ------------------------------------------------------------
    def syntax_error(self) -> ParseError | None:
        if not self.root.has_error:
            return None
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.is_missing:
                line, col = node.start_point[0] + 1, self._col(*node.start_point)
                return ParseError(f"invalid HCL: missing '{node.type}'", line, col)
            if node.is_error:
                line, col = node.start_point[0] + 1, self._col(*node.start_point)
                return ParseError("invalid HCL: syntax error", line, col)
            stack.extend(c for c in reversed(node.children) if c.has_error)
        line, col = self.root.start_point[0] + 1, 1
        return ParseError("invalid HCL: syntax error", line, col)


@lru_cache(maxsize=128)
def parse_file(path: str, text: str) -> HclFile:
    """Cached: every file of a module is parsed once per process even though
    each file's build reads its siblings (variables.tf, locals.tf, data.tf)."""
    return HclFile(path, text)


# -- structure -------------------------------------------------------------

def top_body(f: HclFile) -> Node | None:
    for child in f.root.named_children:
        if child.type == "body":
            return child
    return None


def blocks(body: Node | None, block_type: str | None = None) -> Iterator[Node]:
    if body is None:
        return
    for child in body.named_children:
        if child.type == "block" and (block_type is None or block_type_of(child) == block_type):
            yield child


def block_type_of(block: Node) -> str:
    first = block.named_children[0] if block.named_children else None
    return first.text.decode("utf-8", errors="replace") if first is not None and first.type == "identifier" else ""


def block_labels(f: HclFile, block: Node) -> list[str]:
    out: list[str] = []
    for child in block.named_children[1:]:
        if child.type == "string_lit":
            out.append(string_lit_value(f, child))
        elif child.type == "identifier":
            out.append(f.text(child))
        else:
            break
    return out


def block_header(block: Node) -> tuple[Node, Node]:
    """(first, last) nodes of `resource "type" "name"`: the block's start line."""
    last = block.named_children[0]
    for child in block.named_children[1:]:
        if child.type in ("string_lit", "identifier"):
            last = child
        else:
            break
    return block.named_children[0], last


def block_body(block: Node) -> Node | None:
    for child in block.named_children:
        if child.type == "body":
            return child
    return None


def attributes(body: Node | None) -> dict[str, Node]:
    """name -> attribute node (the first of a repeated name)."""
    out: dict[str, Node] = {}
    if body is None:
        return out
    for child in body.named_children:
        if child.type == "attribute" and child.named_children:
            name = child.named_children[0].text.decode("utf-8", errors="replace")
            out.setdefault(name, child)
    return out


def attr_expr(attribute: Node) -> Node | None:
    for child in attribute.named_children:
        if child.type == "expression":
            return child
    return None


# -- expressions -----------------------------------------------------------

def unwrap(expr: Node) -> tuple[Node, list[Node]]:
    """An `expression` node -> (primary, postfix accessors). Parentheses
    are looked through."""
    node = expr
    while node.type == "expression":
        named = node.named_children
        if not named:
            return node, []
        if node.children and node.children[0].type == "(" and len(named) == 1 and named[0].type == "expression":
            node = named[0]
            continue
        return named[0], list(named[1:])
    return node, []


_QUOTED_ESCAPE = re.compile(r'\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$\$\{|%%\{', re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def unescape_quoted(raw: str) -> str:
    def repl(m: re.Match[str]) -> str:
        whole = m.group(0)
        if whole == "$${":
            return "${"
        if whole == "%%{":
            return "%{"
        if m.group(1) or m.group(2):
            try:
                return chr(int(m.group(1) or m.group(2), 16))
            except ValueError:
                return whole
        return _SIMPLE_ESCAPES.get(m.group(3), whole)

    return _QUOTED_ESCAPE.sub(repl, raw) if ("\\" in raw or "$${" in raw or "%%{" in raw) else raw


def unescape_heredoc(raw: str) -> str:
    return raw.replace("$${", "${").replace("%%{", "%{")


def string_lit_value(f: HclFile, node: Node) -> str:
    """A `string_lit` (a quoted string with no interpolation)."""
    children = node.children
    start = children[0].end_byte if children and children[0].type == "quoted_template_start" else node.start_byte
    end = children[-1].start_byte if children and children[-1].type == "quoted_template_end" else node.end_byte
    return unescape_quoted(f.slice(start, end))


# A template is text with holes: (text, None) pieces and (None, node) holes
# (an interpolation or a directive node).
TemplatePiece = tuple[str | None, Node | None]


def template_pieces(f: HclFile, template: Node) -> list[TemplatePiece]:
    """Pieces of a quoted_template / heredoc_template, escapes processed and
    `<<-` indentation removed."""
    holes = [c for c in template.named_children if c.type in ("template_interpolation", "template_directive")]
    if template.type == "heredoc_template":
        ids = [c for c in template.named_children if c.type == "heredoc_identifier"]
        if not ids:
            return []
        start = f.src.find(b"\n", ids[0].end_byte)
        start = template.end_byte if start < 0 else start + 1
        end = f.src.rfind(b"\n", 0, ids[-1].start_byte) + 1 if len(ids) > 1 else template.end_byte
        end = max(start, end)
        strip = any(c.type == "heredoc_start" and f.text(c) == "<<-" for c in template.children)
        return _heredoc_pieces(f, start, end, holes, strip)
    children = template.children
    start = children[0].end_byte if children and children[0].type == "quoted_template_start" else template.start_byte
    end = children[-1].start_byte if children and children[-1].type == "quoted_template_end" else template.end_byte
    out: list[TemplatePiece] = []
    pos = start
    for hole in holes:
        if hole.start_byte > pos:
            out.append((unescape_quoted(f.slice(pos, hole.start_byte)), None))
        out.append((None, hole))
        pos = hole.end_byte
    if end > pos:
        out.append((unescape_quoted(f.slice(pos, end)), None))
    return out


_HOLE = "\x00"


def _heredoc_pieces(f: HclFile, start: int, end: int, holes: list[Node], strip: bool) -> list[TemplatePiece]:
    inner = [h for h in holes if h.start_byte >= start and h.end_byte <= end]
    flat_parts: list[str] = []
    pos = start
    for hole in inner:
        flat_parts.append(f.slice(pos, hole.start_byte))
        flat_parts.append(_HOLE)
        pos = hole.end_byte
    flat_parts.append(f.slice(pos, end))
    flat = "".join(flat_parts)
    if strip:
        lines = flat.split("\n")
        indents = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip(" \t")]
        cut = min(indents) if indents else 0
        flat = "\n".join(ln[cut:] if ln.strip(" \t") else ln.lstrip(" \t") for ln in lines)
    out: list[TemplatePiece] = []
    texts = flat.split(_HOLE)
    for i, text in enumerate(texts):
        if text:
            out.append((unescape_heredoc(text), None))
        if i < len(inner):
            out.append((None, inner[i]))
    return out


def hole_expression(hole: Node) -> Node | None:
    """The expression inside `${…}` (None for a `%{…}` directive)."""
    if hole.type != "template_interpolation":
        return None
    for child in hole.named_children:
        if child.type == "expression":
            return child
    return None


def string_value(f: HclFile, expr: Node | None) -> str | None:
    """The text of a string with no interpolation (quoted or heredoc); None otherwise."""
    if expr is None:
        return None
    primary, postfix = unwrap(expr)
    if postfix:
        return None
    if primary.type == "literal_value" and primary.named_children and primary.named_children[0].type == "string_lit":
        return string_lit_value(f, primary.named_children[0])
    if primary.type == "template_expr" and primary.named_children:
        pieces = template_pieces(f, primary.named_children[0])
        if all(node is None for _, node in pieces):
            return "".join(text or "" for text, _ in pieces)
    return None


def scalar_text(f: HclFile, expr: Node | None) -> str | None:
    """A literal string, number or bool as text; None for null and non-literals."""
    text = string_value(f, expr)
    if text is not None or expr is None:
        return text
    primary, postfix = unwrap(expr)
    if postfix or primary.type != "literal_value" or not primary.named_children:
        return None
    lit = primary.named_children[0]
    if lit.type in ("numeric_lit", "bool_lit"):
        return f.text(lit)
    return None


def template_name(f: HclFile, expr: Node | None) -> str | None:
    """A string that may interpolate, with `*` for each `${…}`: how a
    secret id like "prod/${var.service}/db" is named in messages."""
    if expr is None:
        return None
    primary, postfix = unwrap(expr)
    if postfix:
        return None
    if primary.type == "template_expr" and primary.named_children:
        return "".join(text if text is not None else "*" for text, _ in template_pieces(f, primary.named_children[0]))
    return string_value(f, expr)


def traversal(f: HclFile, expr: Node) -> tuple[str, list[str | None]] | None:
    """`a.b["c"][0].d` -> ("a", ["b", "c", None, "d"]): None stands for an
    index that is not a literal string, and for a splat. None if the
    expression is not a traversal."""
    primary, postfix = unwrap(expr)
    if primary.type != "variable_expr" or not primary.named_children:
        return None
    head = f.text(primary.named_children[0])
    steps: list[str | None] = []
    for acc in postfix:
        steps.extend(_steps(f, acc))
    return head, steps


def _steps(f: HclFile, acc: Node) -> list[str | None]:
    if acc.type == "get_attr":
        ident = next((c for c in acc.named_children if c.type == "identifier"), None)
        return [f.text(ident) if ident is not None else None]
    if acc.type == "index":
        inner = acc.named_children[0] if acc.named_children else None
        if inner is not None and inner.type == "legacy_index":  # a.0
            return [None]
        key_expr = next((c for c in (inner.named_children if inner is not None else []) if c.type == "expression"), None)
        return [string_value(f, key_expr)]
    if acc.type == "splat":
        out: list[str | None] = [None]
        for splat in acc.named_children:
            for c in splat.named_children:
                out.extend(_steps(f, c))
        return out
    return [None]


def function_parts(f: HclFile, call: Node) -> tuple[str, list[Node]]:
    name = f.text(call.named_children[0]) if call.named_children else ""
    args: list[Node] = []
    for child in call.named_children:
        if child.type == "function_arguments":
            args = [c for c in child.named_children if c.type == "expression"]
    return name, args


def object_elems(f: HclFile, obj: Node) -> Iterator[tuple[str, Node, Node]]:
    """(key text, key node, value expression) of each `object_elem` whose key
    is a bare identifier or a literal string; computed keys are skipped."""
    for elem in obj.named_children:
        if elem.type != "object_elem":
            continue
        key = elem.child_by_field_name("key")
        val = elem.child_by_field_name("val")
        if key is None or val is None:
            continue
        primary, postfix = unwrap(key)
        name: str | None = None
        if not postfix and primary.type == "variable_expr" and primary is not key and primary.named_children:
            # a bare `KEY = …` (a parenthesized `(local.k) = …` is computed)
            if not (key.children and key.children[0].type == "("):
                name = f.text(primary.named_children[0])
        else:
            name = string_value(f, key)
        if name is not None:
            yield name, key, val


def as_object(expr: Node) -> Node | None:
    primary, postfix = unwrap(expr)
    if postfix or primary.type != "collection_value" or not primary.named_children:
        return None
    inner = primary.named_children[0]
    return inner if inner.type == "object" else None
