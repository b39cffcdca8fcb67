"""Load a CloudFormation/SAM YAML template into a positioned tree (PosDict/PosList).

Why events and not ``yaml.compose``: PyYAML's composers recurse once per
nesting level. The pure-Python one raises RecursionError near 330 levels, and
the libyaml-backed (Cython) one recurses on the C stack and SEGFAULTS on
``[[[[…`` about 100,000 levels deep, which a 200 KB file reaches. A linter must
report such a file, not die on it. So this module reads the parser's event
stream (both parsers are iterative state machines) and builds the tree with an
explicit stack, checking depth and size as it goes. It still uses the
libyaml-backed ``yaml.CSafeLoader`` when available, for its fast scanner and
parser, and PyYAML's own resolver tables and scalar constructors, so scalars
resolve exactly as ``yaml.safe_load`` would — except timestamps (see below).

Decisions:
- CloudFormation short-form tags (``!Ref``, ``!GetAtt``, ``!Sub`` …) become the
  long form, so YAML and JSON templates give identical trees. Any other local
  tag is an error, as it is for CloudFormation.
- Timestamps stay strings: ``AWSTemplateFormatVersion: 2010-09-09`` is text to
  CloudFormation, not a date.
- Mapping keys are the key's source text (``1: x`` -> "1", ``on: x`` -> "on").
  CloudFormation keys are strings; using the text rather than str(resolved)
  avoids "True"/"None" keys and matches what JSON templates contain.
- Anchors/aliases are expanded into independent copies (``aws cloudformation
  package`` and ``sam deploy`` expand them before CloudFormation sees the
  template). Every alias adds its anchor's size to a ``max_nodes`` budget
  and the copies are only made once the whole document fits it, so an alias
  bomb fails after counting a few dozen aliases, without copying anything.
  An alias to a node that is still open (a recursive structure) is an error.
- Merge keys (``<<: *base`` and ``<<: [*a, *b]``) are SUPPORTED with YAML 1.1
  semantics, for the same reason (the AWS CLI and SAM CLI apply them; cfn-lint
  accepts them too): explicit keys win, then earlier entries of a merge list.
- Duplicate keys: the last one wins (like JSON templates).
- Only the first document of a multi-document stream is read; the rest is not
  even parsed.
- An alias keeps the alias's own position in its parent's ``value_spans``/
  ``item_spans``; the copied containers keep the positions of the anchored
  original (that is where their text is written).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.nodes import ParseError, PosDict, PosList

__all__ = ["load_yaml", "CFN_SHORT_TAGS", "ParseError"]

_LOADER: type = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

# Short-form tag -> long-form key. Ref and Condition have no "Fn::" prefix.
CFN_SHORT_TAGS: Mapping[str, str] = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{
        f"!{name}": f"Fn::{name}"
        for name in (
            "GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals", "And", "Or",
            "Not", "FindInMap", "ImportValue", "Base64", "Cidr", "GetAZs", "Transform",
        )
    },
}

_YAML_TAG = "tag:yaml.org,2002:"
_MERGE_TAG = _YAML_TAG + "merge"

# PyYAML's YAML 1.1 implicit resolvers minus timestamp, keyed by first character.
_IMPLICIT: Mapping[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple((tag, rx) for tag, rx in pairs if tag != _YAML_TAG + "timestamp")
    for first, pairs in Resolver.yaml_implicit_resolvers.items()
    if first is not None
}

# Explicit standard scalar tags that are kept as the written text.
_TEXT_TAGS = frozenset(
    _YAML_TAG + name for name in ("str", "timestamp", "binary", "merge", "value", "yaml")
)

_NO_KEY = object()  # a mapping frame waiting for its next key
_OPEN = object()  # an anchor whose node is not finished yet


class _Frame:
    """One open mapping or sequence on the explicit stack."""

    __slots__ = (
        "value", "is_map", "anchor", "line", "col", "flow", "wrap", "depth",
        "deepest", "first_count", "key", "key_span", "merge_key", "merges", "last_end",
    )

    def __init__(
        self, value: PosDict | PosList, is_map: bool, event: Event, wrap: str | None,
        depth: int, first_count: int,
    ) -> None:
        self.value = value
        self.is_map = is_map
        self.anchor: str | None = event.anchor  # type: ignore[attr-defined]
        self.line = event.start_mark.line + 1
        self.col = event.start_mark.column + 1
        self.flow = bool(event.flow_style)  # type: ignore[attr-defined]
        self.wrap = wrap
        self.depth = depth  # depth of `value` itself; a wrapper sits one above
        self.deepest = depth
        self.first_count = first_count
        self.key: object = _NO_KEY
        self.key_span: Span | None = None
        self.merge_key = False
        self.merges: list[PosDict] | None = None  # lowest precedence first
        self.last_end: tuple[int, int] | None = None


class _Anchor:
    __slots__ = ("value", "text", "size", "height")

    def __init__(self, value: Any, text: str | None, size: int, height: int) -> None:
        self.value = value
        self.text = text  # source text for scalar anchors (used when aliased as a key)
        self.size = size  # nodes one copy adds to the budget
        self.height = height  # container levels one copy adds below its parent


def load_yaml(text: str, *, max_nodes: int = 1_000_000, max_depth: int = 400) -> object:
    """Parse the first YAML document of ``text``; None for an empty document.

    Raises ParseError (with a 1-based line/col when known) for malformed YAML,
    unknown tags, nesting deeper than ``max_depth`` or more than ``max_nodes``
    values after alias expansion.
    """
    builder = _Builder(max_nodes, max_depth)
    loader = None
    try:
        loader = _LOADER(text)
        return builder.run(loader)
    except yaml.YAMLError as exc:
        error = _from_yaml_error(exc, text, loader)
        if "maximum nesting depth" in error.message:
            # Newer libyaml builds (0.2.5+) stop deep flow nesting in their
            # scanner, which reads ahead of our depth check: same problem,
            # one wording for users whatever libyaml they have.
            raise ParseError(f"nesting deeper than {max_depth} levels", error.line, error.col) from None
        raise error from None
    except UnicodeEncodeError as exc:  # lone surrogates cannot be handed to libyaml
        raise ParseError(f"text contains an unpaired surrogate U+{ord(exc.object[exc.start]):04X}") from None
    except RecursionError:  # not expected (no recursion here), but never let it escape
        raise ParseError(f"nesting deeper than {max_depth} levels") from None
    finally:
        if loader is not None:
            loader.dispose()


class _Builder:
    """Turns parser events into PosDict/PosList/scalars without recursion."""

    def __init__(self, max_nodes: int, max_depth: int) -> None:
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self.count = 0
        self.stack: list[_Frame] = []
        self.anchors: dict[str, Any] = {}
        self.root: object = None
        self.shared = False  # an alias attached a container that is also elsewhere
        self.constructor = SafeConstructor()  # PyYAML's int/float/bool rules, per load

    def run(self, loader: Any) -> object:
        get_event = loader.get_event
        get_event()  # StreamStartEvent
        if isinstance(get_event(), StreamEndEvent):  # nothing but comments/whitespace
            return None
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                self.on_scalar(event)
            elif kind is MappingStartEvent:
                self.on_open(event, True)
            elif kind is SequenceStartEvent:
                self.on_open(event, False)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                self.on_close(event)
            elif kind is AliasEvent:
                self.on_alias(event)
            elif kind is DocumentEndEvent or kind is StreamEndEvent:
                # Stop at the first document's end: later documents are not
                # even scanned, so their errors cannot fail this one.
                if self.shared:
                    _unshare(self.root)
                return self.root

    # -- events ---------------------------------------------------------------

    def on_scalar(self, event: ScalarEvent) -> None:
        span = _span(event)
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.key is _NO_KEY:
            self.take_key(top, event, span)
            return
        value, levels = self.scalar_value(event, span)
        parent_depth = top.depth if top is not None else 0
        if levels:
            self.check_depth(parent_depth + levels, span)
            if top is not None and parent_depth + levels > top.deepest:
                top.deepest = parent_depth + levels
        if event.anchor is not None:
            key_text = event.value if levels == 0 else None  # `*x:` for a `!Ref` anchor is not a key
            self.anchors[event.anchor] = _Anchor(value, key_text, 1 + levels, levels)
        self.attach(value, span)

    def on_open(self, event: MappingStartEvent | SequenceStartEvent, is_map: bool) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.key is _NO_KEY:
            raise _error("a mapping key must be a string, not a mapping or list", _span(event))
        wrap = self.collection_wrap(event, is_map)
        depth = (top.depth if top is not None else 0) + (2 if wrap else 1)
        self.check_depth(depth, _span(event))
        first_count = self.count
        self.bump(2 if wrap else 1, _span(event))
        placeholder = Span(0, 0, 0, 0)  # the real span is known at the end event
        value: PosDict | PosList = PosDict(placeholder) if is_map else PosList(placeholder)
        if event.anchor is not None:
            self.anchors[event.anchor] = _OPEN
        self.stack.append(_Frame(value, is_map, event, wrap, depth, first_count))

    def on_close(self, event: Event) -> None:
        frame = self.stack.pop()
        if frame.flow or frame.last_end is None:
            end_line, end_col = event.end_mark.line + 1, event.end_mark.column + 1
        else:
            # A block collection's end event sits on the NEXT token, maybe lines
            # below after comments; end it where its last value ends instead.
            end_line, end_col = frame.last_end
        span = Span(frame.line, frame.col, end_line, end_col)
        value: Any = frame.value
        if frame.merges:
            value = _apply_merges(value, frame.merges)
        value.span = span
        if frame.wrap:
            value = _wrapper(frame.wrap, value, span)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and frame.deepest > parent.deepest:
            parent.deepest = frame.deepest
        if frame.anchor is not None:
            outer_depth = frame.depth - (1 if frame.wrap else 0)
            self.anchors[frame.anchor] = _Anchor(
                value, None, self.count - frame.first_count, frame.deepest - outer_depth + 1
            )
        self.attach(value, span)

    def on_alias(self, event: AliasEvent) -> None:
        span = _span(event)
        name = event.anchor
        anchor = self.anchors.get(name)
        if anchor is None:
            raise _error(f"found undefined alias '*{name}'", span)
        if anchor is _OPEN:
            raise _error(f"alias '*{name}' refers to a node that contains it (recursive alias)", span)
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.key is _NO_KEY:
            if anchor.text is None:
                raise _error("a mapping key must be a string, not a mapping or list", span)
            top.key, top.key_span, top.merge_key = anchor.text, span, False
            return
        parent_depth = top.depth if top is not None else 0
        self.check_depth(parent_depth + anchor.height, span)
        if self.count + anchor.size > self.max_nodes:
            raise _error(
                f"YAML alias expansion exceeds {self.max_nodes} nodes (possible alias bomb)", span
            )
        self.count += anchor.size
        if top is not None and parent_depth + anchor.height > top.deepest:
            top.deepest = parent_depth + anchor.height
        # Attach the anchored object itself for now; run() replaces repeats
        # with copies (_unshare) once the whole document is known to fit the
        # budget, so a bomb costs counting a few dozen aliases, never copying.
        if type(anchor.value) is PosDict or type(anchor.value) is PosList:
            self.shared = True
        self.attach(anchor.value, span)

    # -- helpers --------------------------------------------------------------

    def take_key(self, frame: _Frame, event: ScalarEvent, span: Span) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and not tag.startswith(_YAML_TAG):
            raise _error(f"a mapping key cannot carry the tag '{tag}'", span)
        frame.key = event.value
        frame.key_span = span
        frame.merge_key = tag == _MERGE_TAG or (
            tag is None and event.implicit[0] and event.value == "<<"
        )
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchor(event.value, event.value, 1, 0)

    def attach(self, value: Any, span: Span) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top.last_end = (span.end_line, span.end_col)
        if not top.is_map:
            top.value.add(value, span)  # type: ignore[union-attr]
            return
        if top.merge_key:
            _collect_merge(top, value, span)
        else:
            top.value.put(top.key, value, top.key_span, span)  # type: ignore[union-attr,arg-type]
        top.key, top.merge_key = _NO_KEY, False

    def scalar_value(self, event: ScalarEvent, span: Span) -> tuple[Any, int]:
        """The scalar's value and how many container levels it adds (tag wrappers)."""
        self.bump(1, span)
        tag = event.tag
        text = event.value
        if tag is None:
            return (self.resolve_plain(text, span) if event.implicit[0] else text), 0
        if tag == "!":  # the non-specific tag: a string, per the YAML spec
            return text, 0
        name = CFN_SHORT_TAGS.get(tag)
        if name is not None:
            return self.wrap_scalar(name, text, span, event.style)
        if tag.startswith(_YAML_TAG):
            return self.construct(tag, text, span), 0
        raise _error(f"unknown tag '{tag}' (not a CloudFormation intrinsic function)", span)

    def wrap_scalar(self, name: str, text: str, span: Span, style: str | None) -> tuple[Any, int]:
        if name != "Fn::GetAtt":
            self.bump(1, span)
            return _wrapper(name, text, span), 1
        parts = _getatt_parts(text, span, style)
        self.bump(1 + len(parts), span)
        return _wrapper(name, parts, span), 2

    def resolve_plain(self, text: str, span: Span) -> Any:
        for tag, rx in _IMPLICIT.get(text[:1], ()):
            if rx.match(text):
                return self.construct(tag, text, span)
        return text

    def construct(self, tag: str, text: str, span: Span) -> Any:
        if tag in _TEXT_TAGS:
            return text
        node = ScalarNode(tag, text)
        try:
            if tag == _YAML_TAG + "null":
                return None
            if tag == _YAML_TAG + "bool":
                return self.constructor.construct_yaml_bool(node)
            if tag == _YAML_TAG + "int":
                return self.constructor.construct_yaml_int(node)
            if tag == _YAML_TAG + "float":
                return self.constructor.construct_yaml_float(node)
        except (ValueError, KeyError, IndexError):
            # Only for explicit tags (`!!int abc`) or digit-limit overflow.
            raise _error(f"invalid value for tag '!!{tag[len(_YAML_TAG):]}'", span) from None
        raise _error(f"tag '!!{tag[len(_YAML_TAG):]}' is not supported on a scalar", span)

    def collection_wrap(self, event: MappingStartEvent | SequenceStartEvent, is_map: bool) -> str | None:
        tag = event.tag
        if tag is None or tag == "!" or tag == _YAML_TAG + ("map" if is_map else "seq"):
            return None
        name = CFN_SHORT_TAGS.get(tag)
        if name is not None:
            return name
        if tag.startswith(_YAML_TAG):
            kind = "mapping" if is_map else "sequence"
            raise _error(f"tag '!!{tag[len(_YAML_TAG):]}' is not supported on a {kind}", _span(event))
        raise _error(f"unknown tag '{tag}' (not a CloudFormation intrinsic function)", _span(event))

    def bump(self, n: int, span: Span) -> None:
        self.count += n
        if self.count > self.max_nodes:
            raise _error(f"document has more than {self.max_nodes} values", span)

    def check_depth(self, depth: int, span: Span) -> None:
        if depth > self.max_depth:
            raise _error(f"nesting deeper than {self.max_depth} levels", span)


# -- tree helpers ----------------------------------------------------------------


def _span(event: Event) -> Span:
    start, end = event.start_mark, event.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _error(message: str, span: Span) -> ParseError:
    return ParseError(message, span.line, span.col)


def _wrapper(name: str, value: Any, span: Span) -> PosDict:
    """{name: value}; the key and value both sit where the tagged node is written."""
    wrapper = PosDict(span)
    wrapper.put(name, value, span, span)
    return wrapper


def _getatt_parts(text: str, span: Span, style: str | None) -> PosList:
    """`!GetAtt Res.Attr.Sub` -> ["Res", "Attr.Sub"]: split at the FIRST dot, as CloudFormation does."""
    resource, dot, attribute = text.partition(".")
    parts = PosList(span)
    # A one-line plain scalar ends exactly at span.end_col, so the parts can be
    # placed precisely; quoted/folded text may contain escapes, so fall back to
    # the node's span. (Plain style is "" from libyaml, None from PyYAML.)
    if not style and span.line == span.end_line and span.end_col - len(text) > span.col:
        start = span.end_col - len(text)
        parts.add(resource, Span(span.line, start, span.line, start + len(resource)))
        if dot:
            at = start + len(resource) + 1
            parts.add(attribute, Span(span.line, at, span.line, span.end_col))
        return parts
    parts.add(resource, span)
    if dot:
        parts.add(attribute, span)
    return parts


def _collect_merge(frame: _Frame, value: Any, span: Span) -> None:
    """Queue `<<` sources, lowest precedence first (a later `<<` beats an earlier one;
    within `<<: [a, b]`, a beats b)."""
    if type(value) is PosDict:
        sources = [value]
    elif type(value) is PosList and all(type(item) is PosDict for item in value):
        sources = list(reversed(value))
    else:
        raise _error("a merge key '<<' needs a mapping or a list of mappings", span)
    if frame.merges is None:
        frame.merges = []
    frame.merges.extend(sources)


def _apply_merges(explicit: PosDict, merges: list[PosDict]) -> PosDict:
    merged = PosDict(explicit.span)
    for source in (*merges, explicit):  # later puts win
        for key, value in source.items():
            merged.put(key, value, source.key_spans[key], source.value_spans[key])
    return merged


def _unshare(root: object) -> None:
    """Give every alias its own copy: replace each second sighting of a container.

    Rules and the linker may edit what they get (SAM Globals are merged into
    functions), so no container may appear twice in the tree.
    """
    if type(root) is not PosDict and type(root) is not PosList:
        return
    seen = {id(root)}
    pending: list[Any] = [root]
    while pending:
        container = pending.pop()
        slots = container.items() if type(container) is PosDict else enumerate(container)
        for slot, item in slots:
            if type(item) is not PosDict and type(item) is not PosList:
                continue
            if id(item) in seen:
                container[slot] = _copy_tree(item)  # fresh all the way down: no need to visit
            else:
                seen.add(id(item))
                pending.append(item)


def _copy_tree(value: Any) -> Any:
    """A deep copy of a PosDict/PosList tree, iteratively (aliased trees can be deep).

    Hot on alias-heavy input (up to max_nodes nodes), hence the bound locals
    and containers made without running __init__.
    """
    if type(value) is not PosDict and type(value) is not PosList:
        return value  # scalars are immutable
    root = _blank(value)
    pending = [(value, root)]
    push, pop = pending.append, pending.pop
    while pending:
        source, target = pop()
        if type(source) is PosList:
            target.item_spans = source.item_spans.copy()
            add = target.append
            for item in source:
                if type(item) is PosList or type(item) is PosDict:
                    child = _blank(item)
                    push((item, child))
                    item = child
                add(item)
        else:
            target.key_spans = source.key_spans.copy()
            target.value_spans = source.value_spans.copy()
            for key, item in source.items():
                if type(item) is PosList or type(item) is PosDict:
                    child = _blank(item)
                    push((item, child))
                    item = child
                target[key] = item
    return root


def _blank(value: PosDict | PosList) -> PosDict | PosList:
    """An empty container of the same kind and span; its span maps are filled by the caller."""
    if type(value) is PosList:
        new_list: PosList = list.__new__(PosList)
        new_list.span = value.span
        return new_list
    new_dict: PosDict = dict.__new__(PosDict)
    new_dict.span = value.span
    return new_dict


# -- errors ------------------------------------------------------------------------


def _from_yaml_error(exc: yaml.YAMLError, text: str, loader: Any) -> ParseError:
    """PyYAML's problem and position, without the snippet of the document it quotes."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context:
            context = exc.context
            if exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
                context += f" that started at line {exc.context_mark.line + 1}"
            message = f"{exc.problem} ({context})"
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        return ParseError(_one_line(message), line, col)
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        line, col = _offset_position(text, exc.position, byte_offset=not isinstance(loader, yaml.SafeLoader))
        return ParseError(_one_line(f"{exc.reason} (character U+{char:04X})"), line, col)
    return ParseError(_one_line(f"invalid YAML: {type(exc).__name__}"))


def _offset_position(text: str, offset: int, *, byte_offset: bool) -> tuple[int, int]:
    if byte_offset:  # libyaml counts UTF-8 bytes
        offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _one_line(message: str, limit: int = 200) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"
