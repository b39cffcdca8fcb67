"""CDK TS/JS: code a function or role is handed to that may attach policies
we cannot read (docs/design/iam-linking.md §1).

cdk_ts_iam.py finds every call and construct that receives a function or
role, and every public field that holds one; this module says why such a
place makes the role `partial` (LSL301 then stays silent):

- a construct from another module, or an `aws-iam` construct whose grants
  are not read (`new iam.…(…)` that receives the role);
- a same-file helper, method or class whose body mentions a policy word
  (`grant…`, `addToRolePolicy`, `PolicyStatement` …); one that does not is
  read no further and adds nothing;
- a helper or namespace imported from a non-CDK module;
- a public (not `private` / `protected` / `#`) class field, which another
  file — a stack that receives this construct — may grant to.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lambda_secrets_lint.parsers.js.text import FUNCTION_TYPES, key_text, render, unwrap

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

    from lambda_secrets_lint.parsers.cdk_ts import _Builder, _Fn

__all__ = ["CDK_MODULE", "opaque", "public_field"]

# Words that mean a helper may attach policies (same-file helpers are only
# read this far: when they mention one, the role is partial).
_POLICY_WORDS = re.compile(
    r"grant|addToRolePolicy|addToPolicy|addToPrincipalPolicy|addManagedPolicy|attachInlinePolicy|PolicyStatement|"
    r"ManagedPolicy|PolicyDocument"
)
CDK_MODULE = re.compile(r"^(aws-cdk-lib|@aws-cdk/|constructs$|cdk-nag|aws-cdk)")


def opaque(b: "_Builder", by_node: dict[tuple[int, int], "_Fn"], node: "Node") -> str | None:
    """Why a call / construct that receives a function or role may attach
    policies we cannot see; None when it is a CDK construct or a helper
    that does not touch IAM."""
    src = b.src
    if (node.start_byte, node.end_byte) in by_node:
        return None  # a Lambda construct's own props (its `role`)
    if node.type == "new_expression":
        ctor = node.child_by_field_name("constructor")
        found = b._class_of(ctor) if ctor is not None else None
        if found is None:
            return None
        module, cls = found
        if module is not None and CDK_MODULE.match(module):
            return f"{render(src, node)} may attach policies" if module.endswith("aws-iam") else None
        if module is None:
            body = _declaration(b, cls)
            if body is not None:
                return f"{cls} may attach policies" if _POLICY_WORDS.search(src.text(body)) else None
        return f"the role is handed to {cls}, defined elsewhere"
    callee = unwrap(node.child_by_field_name("function"))  # type: ignore[arg-type]
    if callee.type == "identifier":
        name = src.text(callee)
        module = b.named.get(name, ("", ""))[0] or b.namespaces.get(name, "")
        if module and CDK_MODULE.match(module):
            return None
        body = _declaration(b, name)
        if body is not None:
            return f"{name}() may attach policies" if _POLICY_WORDS.search(src.text(body)) else None
        return f"the role is handed to {name}(), defined elsewhere"
    if callee.type != "member_expression":
        return None
    method = key_text(src, callee.child_by_field_name("property")) or ""
    recv = unwrap(callee.child_by_field_name("object"))  # type: ignore[arg-type]
    if recv.type == "this":
        body = _declaration(b, method)
        if body is None or _POLICY_WORDS.search(src.text(body)):
            return f"this.{method}() may attach policies"
        return None
    if recv.type == "identifier":
        module = b.namespaces.get(src.text(recv))
        if module is not None and not CDK_MODULE.match(module) and module not in ("path", "node:path"):
            return f"the role is handed to {src.text(recv)}.{method}(), defined elsewhere"
    return None


def _declaration(b: "_Builder", name: str) -> "Node | None":
    """The body of a same-file function / method / class named `name`."""
    stack = [b.root]
    while stack:
        node = stack.pop()
        t = node.type
        if t in ("function_declaration", "method_definition", "class_declaration", "class"):
            n = node.child_by_field_name("name")
            if n is not None and b.src.text(n) == name:
                return node
        elif t == "variable_declarator":
            n, v = node.child_by_field_name("name"), node.child_by_field_name("value")
            if n is not None and v is not None and b.src.text(n) == name and unwrap(v).type in FUNCTION_TYPES:
                return v
        stack.extend(node.children)
    return None


def public_field(b: "_Builder", left: "Node", name: str) -> bool:
    """`this.<name>` (assigned at `left`) is a field other files can reach."""
    body = left.parent
    while body is not None and body.type != "class_body":
        body = body.parent
    if body is None:
        return False  # `this.x` outside a class: not a field
    for member in body.named_children:
        if member.type not in ("public_field_definition", "field_definition"):
            continue
        prop = member.child_by_field_name("name") or member.child_by_field_name("property")
        if prop is None or key_text(b.src, prop) != name:
            continue
        if prop.type == "private_property_identifier":
            return False
        mods = [c for c in member.children if c.type == "accessibility_modifier"]
        return not any(b.src.text(m) in ("private", "protected") for m in mods)
    return True  # undeclared (JavaScript): public
