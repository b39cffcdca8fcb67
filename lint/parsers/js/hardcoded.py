"""Hardcoded credential literals in JS/TS source (handler-facts §8, LSL205).

Every string literal (and template literal without substitutions) is checked
for a credential shape (the literals are found with a tree-sitter query, in C); a non-trivial literal bound to a secret-like name
(variable, member assignment, object key, class field, default parameter,
enum member, JSX attribute) is reported too. The walk is iterative.

Not literals for this purpose: import / export / require sources, TS type
positions (`type T = 'x'`, `a: 'x'`), comments. In CDK code, literals inside a
Lambda `environment: { … }` object or passed to `addEnvironment(k, v)` belong
to LSL101 and are skipped here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from lambda_secrets_lint.model.code import HardcodedSecret, Language
from lambda_secrets_lint.parsers.js.grammar import captures
from lambda_secrets_lint.parsers.js.text import WRAPPERS, Source, key_text
from lambda_secrets_lint.secrets.masking import mask
from lambda_secrets_lint.secrets.names import is_secret_name, name_words
from lambda_secrets_lint.secrets.values import credential_shape, is_reference_value, is_trivial_value

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

__all__ = ["NAMED_LITERAL", "scan_hardcoded"]

NAMED_LITERAL = "literal under a secret-like name"
_MIN_NAMED_LEN = 6
_MIN_SHAPE_OR_NAME = min(_MIN_NAMED_LEN, 9)  # 9: the shortest credential shape (values._MIN_SHAPE_LEN)

# Subtrees that hold no runtime string literals.
_SKIP = frozenset(
    {"comment", "import_statement", "type_annotation", "literal_type", "type_alias_declaration",
     "interface_declaration", "type_arguments", "type_parameters", "ambient_declaration", "regex",
     "import_require_clause"}
)
# Parents through which a literal is still "bound" to the name above them.
_PASS_THROUGH = WRAPPERS | {"ternary_expression"}
_ENV_CALLS = frozenset({"addEnvironment", "add_environment"})


def _field_is(parent: "Node", field: str, child: "Node") -> bool:
    other = parent.child_by_field_name(field)
    return other is not None and other.id == child.id


def _bound_name(src: Source, node: "Node") -> str | None:
    cur = node
    parent = cur.parent
    while parent is not None:
        pt = parent.type
        if pt in _PASS_THROUGH:
            if pt == "ternary_expression" and _field_is(parent, "condition", cur):
                return None
        elif pt == "binary_expression":
            op = parent.child_by_field_name("operator")
            if op is None or op.type not in ("||", "??") or not _field_is(parent, "right", cur):
                return None
        else:
            break
        cur, parent = parent, parent.parent
    if parent is None:
        return None
    pt = parent.type
    if pt == "variable_declarator" and _field_is(parent, "value", cur):
        name = parent.child_by_field_name("name")
        return src.text(name) if name is not None and name.type == "identifier" else None
    if pt in ("assignment_expression", "augmented_assignment_expression") and _field_is(parent, "right", cur):
        return _target_name(src, parent.child_by_field_name("left"))
    if pt == "pair" and _field_is(parent, "value", cur):
        return key_text(src, parent.child_by_field_name("key"))
    if pt in ("public_field_definition", "field_definition") and _field_is(parent, "value", cur):
        return key_text(src, parent.child_by_field_name("name") or parent.child_by_field_name("property"))
    if pt in ("assignment_pattern", "object_assignment_pattern") and _field_is(parent, "right", cur):
        return _target_name(src, parent.child_by_field_name("left"))
    if pt in ("required_parameter", "optional_parameter") and _field_is(parent, "value", cur):
        return _target_name(src, parent.child_by_field_name("pattern"))
    if pt == "enum_assignment" and _field_is(parent, "value", cur):
        return key_text(src, parent.child_by_field_name("name"))
    if pt == "jsx_attribute":
        first = parent.named_children[0] if parent.named_child_count else None
        return src.text(first) if first is not None and first.type == "property_identifier" else None
    return None


def _target_name(src: Source, target: "Node | None") -> str | None:
    if target is None:
        return None
    while target.type in WRAPPERS and target.named_child_count:
        target = target.named_children[0]
    t = target.type
    if t in ("identifier", "shorthand_property_identifier_pattern"):
        return src.text(target)
    if t == "member_expression":
        return key_text(src, target.child_by_field_name("property"))
    if t == "subscript_expression":
        index = target.child_by_field_name("index")
        return key_text(src, index) if index is not None and index.type == "string" else None
    return None


def _is_module_source(node: "Node") -> bool:
    """`export … from 'x'`, `require('x')`, `import('x')`."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "export_statement":
        return True
    if parent.type == "arguments":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        if fn is not None and (fn.type == "import" or (fn.type == "identifier" and fn.text == b"require")):
            return True
    return False


class _CdkEnvironment:
    """Where Lambda environment definitions are in CDK code."""

    def __init__(self, src: Source) -> None:
        self.src = src
        self.env_var_names: set[str] = set()  # `environment: commonEnv` → commonEnv

    def note_pair(self, pair: "Node") -> None:
        if (key_text(self.src, pair.child_by_field_name("key")) or "").lower() != "environment":
            return
        value = pair.child_by_field_name("value")
        while value is not None and value.type in WRAPPERS and value.named_child_count:
            value = value.named_children[0]
        if value is None:
            return
        if value.type == "identifier":
            self.env_var_names.add(self.src.text(value))
        elif value.type == "object":
            for child in value.named_children:
                if child.type == "spread_element" and child.named_child_count:
                    inner = child.named_children[0]
                    if inner.type == "identifier":
                        self.env_var_names.add(self.src.text(inner))

    def _inside_environment(self, pair: "Node") -> bool:
        return _enclosing_pair_key(self.src, pair) == "environment"

    def contains(self, literal: "Node") -> bool:
        # an argument of addEnvironment(k, v)
        cur = literal
        parent = cur.parent
        while parent is not None and parent.type in _PASS_THROUGH:
            cur, parent = parent, parent.parent
        if parent is not None and parent.type == "arguments":
            call = parent.parent
            fn = call.child_by_field_name("function") if call is not None else None
            if fn is not None and fn.type == "member_expression":
                prop = fn.child_by_field_name("property")
                if prop is not None and self.src.text(prop) in _ENV_CALLS:
                    return True
        # the nearest enclosing object is an `environment` value
        obj = literal.parent
        while obj is not None and obj.type != "object":
            obj = obj.parent
        if obj is None:
            return False
        holder = obj.parent
        while holder is not None and holder.type in WRAPPERS:
            holder = holder.parent
        if holder is None:
            return False
        if holder.type == "pair":
            key = (key_text(self.src, holder.child_by_field_name("key")) or "").lower()
            if key == "environment":
                return True
            # CfnFunction: environment: { variables: { … } }
            return key == "variables" and self._inside_environment(holder)
        if holder.type == "variable_declarator":
            name = holder.child_by_field_name("name")
            return name is not None and self.src.text(name) in self.env_var_names
        return False


def _enclosing_pair_key(src: Source, node: "Node") -> str:
    obj = node.parent
    while obj is not None and obj.type != "object":
        obj = obj.parent
    holder = obj.parent if obj is not None else None
    while holder is not None and holder.type in WRAPPERS:
        holder = holder.parent
    if holder is None or holder.type != "pair":
        return ""
    return (key_text(src, holder.child_by_field_name("key")) or "").lower()


def _aws_secret_context(name: str | None) -> bool:
    if not name:
        return False
    words = set(name_words(name))
    return "SECRET" in words and ("ACCESS" in words or "AWS" in words) and "KEY" in words


_LITERALS = "[(string) (template_string)] @literal"
_LITERALS_AND_PAIRS = "[(string) (template_string)] @literal (pair) @pair"


def _skipped(node: "Node") -> bool:
    """Inside a type, an import, a comment…: not a runtime string."""
    parent = node.parent
    while parent is not None:
        if parent.type in _SKIP:
            return True
        parent = parent.parent
    return False


def scan_hardcoded(src: Source, root: "Node", *, language: Language, tsx: bool, is_cdk: bool,
                   extra_words: tuple[str, ...]) -> list[HardcodedSecret]:
    found = captures(root, language, tsx, _LITERALS_AND_PAIRS if is_cdk else _LITERALS)
    cdk = _CdkEnvironment(src) if is_cdk else None
    if cdk is not None:
        for pair in found.get("pair", ()):
            cdk.note_pair(pair)
    out: list[HardcodedSecret] = []
    for node in found.get("literal", ()):
        if node.type == "template_string" and any(c.type == "template_substitution" for c in node.named_children):
            continue  # not a literal (its substitutions are scanned on their own)
        value = src.string_value(node)
        if len(value.strip()) < _MIN_SHAPE_OR_NAME:
            continue
        if _is_module_source(node) or _skipped(node):
            continue
        if cdk is not None and cdk.contains(node):
            continue
        name = _bound_name(src, node)
        shape = credential_shape(value, aws_secret_candidate=_aws_secret_context(name))
        if shape is not None:
            out.append(HardcodedSecret(name or "", shape.kind, mask(value), src.location(node)))
        elif (
            name
            and len(value) >= _MIN_NAMED_LEN
            and is_secret_name(name, extra_words)
            and not is_trivial_value(value)
            and not is_reference_value(value)
        ):
            out.append(HardcodedSecret(name, NAMED_LITERAL, mask(value), src.location(node)))
    return out
