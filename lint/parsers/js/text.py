"""Source text helpers for the tree-sitter extractor: node text, positions
(tree-sitter counts byte columns, findings count code points), string
literal decoding, and small structural helpers shared by the analyzer and the
hardcoded-literal scan."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lambda_secrets_lint.model.location import Location, Span

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

__all__ = [
    "FUNCTION_TYPES",
    "WRAPPERS",
    "Source",
    "decode_string",
    "dotted",
    "key_text",
    "render",
    "unwrap",
]

# Expressions that only wrap another one (TS casts and assertions included).
WRAPPERS = frozenset(
    {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "type_assertion"}
)
FUNCTION_TYPES = frozenset(
    {"arrow_function", "function_expression", "function", "generator_function", "function_declaration",
     "generator_function_declaration", "method_definition"}
)

_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(match: re.Match[str]) -> str:
    body = match.group(1)
    if body.startswith("u{"):
        code = int(body[2:-1], 16)
        return chr(code) if code <= 0x10FFFF else ""
    if body[0] in "ux" and len(body) > 1:
        return chr(int(body[1:], 16))
    if body in ("\n", "\r\n", "\r", "\u2028", "\u2029"):
        return ""  # line continuation
    return _SIMPLE_ESCAPES.get(body, body)


def decode_string(raw: str) -> str:
    """The value of a JS string / template body (without the quotes)."""
    if "\\" not in raw:
        return raw
    return _ESCAPE.sub(_unescape, raw)


class Source:
    """The file's bytes, its text, and byte→code-point column conversion."""

    __slots__ = ("path", "data", "_ascii", "_line_starts")

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.data = text.encode("utf-8", errors="surrogatepass")
        self._ascii = len(self.data) == len(text)
        self._line_starts: list[int] | None = None

    def text(self, node: "Node") -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def string_value(self, node: "Node") -> str:
        """Decoded value of a `string` node or of a template_string without substitutions."""
        raw = self.text(node)
        return decode_string(raw[1:-1] if len(raw) >= 2 else "")

    def _col(self, row: int, byte_col: int) -> int:
        if self._ascii:
            return byte_col + 1
        if self._line_starts is None:
            starts = [0]
            find = self.data.find
            pos = find(b"\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = find(b"\n", pos + 1)
            self._line_starts = starts
        if row >= len(self._line_starts):
            return byte_col + 1
        start = self._line_starts[row]
        return len(self.data[start : start + byte_col].decode("utf-8", errors="replace")) + 1

    def span(self, node: "Node") -> Span:
        (row, bcol), (erow, ecol) = node.start_point, node.end_point
        return Span(row + 1, self._col(row, bcol), erow + 1, self._col(erow, ecol))

    def location(self, node: "Node") -> Location:
        return Location(self.path, self.span(node))


def unwrap(node: "Node") -> "Node":
    """Strip parentheses, `as`/`satisfies` casts, non-null `!` and `<T>x`."""
    while node.type in WRAPPERS:
        named = [c for c in node.named_children if c.type != "comment"]
        if not named:
            return node
        node = named[-1] if node.type == "type_assertion" else named[0]
    return node


def key_text(src: Source, node: "Node | None") -> str | None:
    """The constant name of an object key / member property, None if computed."""
    if node is None:
        return None
    t = node.type
    if t in ("property_identifier", "identifier", "shorthand_property_identifier",
             "shorthand_property_identifier_pattern", "private_property_identifier", "type_identifier"):
        return src.text(node)
    if t == "string":
        return src.string_value(node)
    if t == "number":
        return src.text(node)
    if t == "template_string" and not any(c.type == "template_substitution" for c in node.named_children):
        return src.string_value(node)
    if t == "computed_property_name":
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) == 1:
            inner_node = unwrap(inner[0])
            return key_text(src, inner_node) if inner_node.type in ("string", "template_string", "number") else None
    return None


def dotted(src: Source, node: "Node") -> str | None:
    """`a.b.c` / `this.x` / `a["k"]` as a dotted path, None for anything else."""
    parts: list[str] = []
    cur = unwrap(node)
    while True:
        t = cur.type
        if t == "member_expression":
            prop = cur.child_by_field_name("property")
            name = key_text(src, prop)
            if name is None:
                return None
            parts.append(name)
            cur = unwrap(cur.child_by_field_name("object"))  # type: ignore[arg-type]
        elif t == "subscript_expression":
            index = cur.child_by_field_name("index")
            name = key_text(src, unwrap(index)) if index is not None and unwrap(index).type == "string" else None
            if name is None:
                return None
            parts.append(name)
            cur = unwrap(cur.child_by_field_name("object"))  # type: ignore[arg-type]
        elif t in ("identifier", "this"):
            parts.append(src.text(cur))
            break
        else:
            return None
    parts.reverse()
    return ".".join(parts)


_RENDER_MAX = 80


def render(src: Source, node: "Node", depth: int = 0) -> str:
    """A callee as written, without arguments (`logger.info`, `getLogger().info`,
    `this.log.debug`): never any literal text from the source."""
    node = unwrap(node)
    t = node.type
    if depth > 12:
        return "…"
    if t in ("identifier", "this", "property_identifier", "private_property_identifier", "super", "type_identifier"):
        out = src.text(node)
    elif t == "member_expression":
        obj = node.child_by_field_name("object")
        prop = node.child_by_field_name("property")
        out = f"{render(src, obj, depth + 1) if obj is not None else '…'}.{src.text(prop) if prop is not None else '…'}"
    elif t == "call_expression":
        fn = node.child_by_field_name("function")
        out = f"{render(src, fn, depth + 1) if fn is not None else '…'}()"
    elif t == "new_expression":
        ctor = node.child_by_field_name("constructor")
        out = f"new {render(src, ctor, depth + 1) if ctor is not None else '…'}()"
    elif t == "subscript_expression":
        obj = node.child_by_field_name("object")
        out = f"{render(src, obj, depth + 1) if obj is not None else '…'}[…]"
    else:
        out = "…"
    return out if len(out) <= _RENDER_MAX else "…" + out[-(_RENDER_MAX - 1) :]
