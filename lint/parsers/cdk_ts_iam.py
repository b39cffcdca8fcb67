"""CDK TS/JS: execution-role facts (LSL3xx) — which role each Lambda
construct runs as and every grant that reaches it; the entry point of the
IAM reading of a CDK TypeScript stack.

Part of the CDK TypeScript builder (lint/parsers/cdk_ts.py), which calls
`iam_facts`; it reads the file through the builder's same-file resolution.
docs/design/iam-linking.md §1 says what must be provided; REFERENCE.md
§D.2/§D.3 what CDK grants. What it builds on lives beside it:
cdk_ts_stores.py (secrets and parameters; re-exported here for the
builder), cdk_ts_policies.py (statements, documents, managed policies),
cdk_ts_values.py (literal values and resource globs) and cdk_ts_escapes.py
(code a function or role is handed to).

- Roles: the default role of each function (CDK always gives it
  AWSLambdaBasicExecutionRole, which grants no secret access, so nothing is
  modelled for it), a same-file `new iam.Role` given as `role:`, or an
  imported role (`known=False`); every grant that reaches it: `grantRead`,
  `addToRolePolicy`, `initialPolicy`, `inlinePolicies`, `managedPolicies`,
  `addToPolicy` / `addToPrincipalPolicy`, `addManagedPolicy`,
  `attachInlinePolicy`, `new iam.Policy({ roles })`, `policy.attachToRole`.
- `partial`: whatever could add statements we cannot read — a grant from a
  construct defined elsewhere, a statement list that is not literal, an
  unknown or customer-managed policy, the function (or role) handed to a
  helper or construct from another module, or exposed as a public field
  other files can grant to. LSL301 stays silent for such roles.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from lambda_secrets_lint.iam.policy import Statement
from lambda_secrets_lint.model.infra import Grant, RoleFacts, SecretStore
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.cdk_ts_escapes import CDK_MODULE, opaque, public_field
from lambda_secrets_lint.parsers.cdk_ts_policies import PolicyReader
from lambda_secrets_lint.parsers.cdk_ts_stores import (
    ParamConstruct,
    SecretConstruct,
    file_stores,
    glob_of,
    grant_resources,
    store_text,
)
from lambda_secrets_lint.parsers.cdk_ts_values import MAX_DEPTH, ValueReader
from lambda_secrets_lint.parsers.js.text import key_text, render, unwrap

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

    from lambda_secrets_lint.parsers.cdk_ts import _Builder, _Fn

__all__ = [
    "ParamConstruct",
    "SecretConstruct",
    "glob_of",
    "iam_facts",
    "store_text",
]

_ANY_KEY = "arn:*:kms:*:*:key/*"
_SSM_READ = ("ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParameterHistory")
_SECRET_READ = ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")
# Grants on a construct we cannot see may include secret reads.
_OPAQUE_GRANTS = frozenset({"grantRead", "grantWrite", "grantReadWrite", "grant"})
# iam.Grant.addToPrincipal({ grantee, actions, resourceArns, conditions }) and friends.
_GRANT_HELPERS = frozenset({"addToPrincipal", "addToPrincipalOrResource", "addToPrincipalAndResource"})


# -- roles ------------------------------------------------------------------


@dataclass
class _Role:
    name: str
    location: Location | None
    known: bool = True
    grants: list[Grant] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)

    def facts(self) -> RoleFacts:
        reasons = list(dict.fromkeys(self.partial))
        # In document order, whichever pass found them.
        grants = sorted(self.grants, key=lambda g: (g.location.span.line, g.location.span.col))
        return RoleFacts(self.name, self.location, tuple(grants), self.known, "; ".join(reasons))


def iam_facts(b: "_Builder", functions: Sequence["_Fn"]) -> tuple[list[RoleFacts], tuple[SecretStore, ...]]:
    """(the role facts of each function, in order; the stores of the file)."""
    iam = _Iam(b, functions)
    return iam.roles(), iam.stores()


class _Iam:
    def __init__(self, b: "_Builder", functions: Sequence["_Fn"]) -> None:
        self.b = b
        self.functions = list(functions)
        self.by_node = {(fn.node.start_byte, fn.node.end_byte): fn for fn in functions}
        self.accs: dict[tuple[str, int], _Role] = {}
        self.fn_role: dict[int, tuple[str, int]] = {}
        self.role_nodes: dict[int, tuple[str, int]] = {}  # new iam.Role start → key
        self.handled: set[int] = set()  # call/new nodes already read as IAM
        self.values = ValueReader(b)
        self.policies = PolicyReader(b, self.values)

    # -- entry points -------------------------------------------------------

    def roles(self) -> list[RoleFacts]:
        for fn in self.functions:
            self._assign_role(fn)
        for fn in self.functions:
            self._function_policies(fn)
        self._calls()
        self._policies()
        self._escapes()
        cache: dict[tuple[str, int], RoleFacts] = {}
        out = []
        for fn in self.functions:
            key = self.fn_role[fn.node.start_byte]
            if key not in cache:
                cache[key] = self.accs[key].facts()
            out.append(cache[key])
        return out

    def stores(self) -> tuple[SecretStore, ...]:
        return file_stores(self.b)

    # -- which role ---------------------------------------------------------

    def _assign_role(self, fn: "_Fn") -> None:
        b = self.b
        props = self.values.props(fn.node)
        role_node = b._property(props, "role", 0) if props is not None else None
        if role_node is None:
            if fn.cls == "CfnFunction":  # `role` is required; without it nothing is known
                key = ("unknown", fn.node.start_byte)
                self.accs[key] = _Role("", b.src.location(fn.node), known=False)
            else:
                key = ("default", fn.node.start_byte)
                self.accs[key] = _Role("", b.src.location(fn.node))
            self.fn_role[fn.node.start_byte] = key
            return
        value = unwrap(role_node)
        if fn.cls == "CfnFunction" and value.type == "member_expression" and key_text(
            b.src, value.child_by_field_name("property")
        ) in ("roleArn", "attrArn"):
            value = unwrap(value.child_by_field_name("object"))  # type: ignore[arg-type]
        name = b._var_key(value) or ""
        new = self._role_construct(value, 0)
        if new is not None and new.type == "new_expression":
            key = ("role", new.start_byte)
            if key not in self.accs:
                args = b._args(new)
                label = name or (b._literal(args[1]) if len(args) > 1 else None) or ""
                self.accs[key] = _Role(label, b.src.location(new))
                self.role_nodes[new.start_byte] = key
                self._role_props(key, new)
        else:
            # Role.fromRoleArn / fromRoleName / a role from props: its policies are not here.
            key = ("unknown", fn.node.start_byte)
            where = new if new is not None else value
            self.accs[key] = _Role(name, b.src.location(where), known=False)
        self.fn_role[fn.node.start_byte] = key

    def _role_construct(self, node: "Node", depth: int) -> "Node | None":
        """The `new iam.Role(...)` (or `Role.fromRoleArn(...)` call) an expression is."""
        b = self.b
        node = unwrap(node)
        if depth > MAX_DEPTH:
            return None
        if node.type == "new_expression":
            ctor = node.child_by_field_name("constructor")
            found = b._class_of(ctor) if ctor is not None else None
            return node if found is not None and found[1] in ("Role", "LazyRole") else None
        if node.type == "call_expression":
            return node if self.values.method(node) in ("fromRoleArn", "fromRoleName", "fromLookup") else None
        key = b._var_key(node)
        if key is not None:
            value = b._resolve(key, node.start_byte)
            if value is not None and unwrap(value).start_byte != node.start_byte:
                return self._role_construct(value, depth + 1)
        return None

    def _target(self, node: "Node", depth: int = 0) -> tuple[str, int] | None:
        """The role a grantee expression stands for: a function (its role),
        `fn.role` / `fn.grantPrincipal`, a same-file role."""
        b = self.b
        node = unwrap(node)
        if depth > MAX_DEPTH:
            return None
        if node.type == "member_expression":
            prop = key_text(b.src, node.child_by_field_name("property"))
            if prop in ("role", "grantPrincipal"):
                return self._target(node.child_by_field_name("object"), depth + 1)  # type: ignore[arg-type]
        fn = b._fn_of(node, self.by_node, node.start_byte, 0)
        if fn is not None:
            return self.fn_role.get(fn.node.start_byte)
        role = self._role_construct(node, 0)
        if role is not None:
            return self.role_nodes.get(role.start_byte)
        return None

    # -- policies written on the function / role ----------------------------

    def _function_policies(self, fn: "_Fn") -> None:
        b = self.b
        props = self.values.props(fn.node)
        initial = b._property(props, "initialPolicy", 0) if props is not None else None
        if initial is None:
            return
        key = self.fn_role[fn.node.start_byte]
        items = self.values.array(initial, 0)
        if items is None:
            self.accs[key].partial.append(f"initialPolicy of {fn.construct_id} is not a literal list")
            return
        for item in items:
            self.policies.add_statement(self.accs[key], item, f"statement in initialPolicy of {fn.construct_id}")

    def _role_props(self, key: tuple[str, int], new: "Node") -> None:
        b = self.b
        props = self.values.props(new)
        if props is None:
            return
        acc = self.accs[key]
        managed = b._property(props, "managedPolicies", 0)
        if managed is not None:
            items = self.values.array(managed, 0)
            if items is None:
                acc.partial.append(f"managedPolicies of role {acc.name} is not a literal list")
            for item in items or ():
                self.policies.add_managed(acc, item)
        inline = b._property(props, "inlinePolicies", 0)
        if inline is not None:
            obj = b._object(inline, 0)
            if obj is None:
                acc.partial.append(f"inlinePolicies of role {acc.name} is not a literal object")
                return
            for name, _key_node, doc in b._entries(obj, 0):
                self.policies.add_document(acc, doc, f"statement in inline policy {name} of role {acc.name}")

    def _calls(self) -> None:
        b = self.b
        for call in b.calls:
            callee = unwrap(call.child_by_field_name("function"))  # type: ignore[arg-type]
            if callee.type != "member_expression":
                continue
            method = key_text(b.src, callee.child_by_field_name("property")) or ""
            recv = unwrap(callee.child_by_field_name("object"))  # type: ignore[arg-type]
            args = b._args(call)
            # Messages start with the origin: "Grant db.grantRead(fn) lets …",
            # "Statement added by fn.addToRolePolicy() on …".
            call_text = f"{render(b.src, recv)}.{method}({render(b.src, args[0]) if args else ''})"
            origin = f"statement added by {render(b.src, recv)}.{method}()"
            if method in _OPAQUE_GRANTS and args:
                key = self._target(args[0])
                if key is None:
                    continue
                self.handled.add(call.start_byte)
                kind = b._kind(recv, 0)
                if method == "grantRead" and isinstance(kind, (SecretConstruct, ParamConstruct)):
                    self._add_grant_read(key, kind, call, f"grant {call_text}")
                elif not isinstance(kind, (SecretConstruct, ParamConstruct)) and not self._known_other(recv):
                    self.accs[key].partial.append(f"{call_text}: what it grants is defined elsewhere")
                continue
            if method == "addToRolePolicy" and args:
                fn = b._fn_of(recv, self.by_node, call.start_byte, 0)
                key = self.fn_role.get(fn.node.start_byte) if fn is not None else None
                if key is not None:
                    self.handled.add(call.start_byte)
                    self.policies.add_statement(self.accs[key], args[0], origin)
                continue
            if method in ("addToPolicy", "addToPrincipalPolicy", "addManagedPolicy", "attachInlinePolicy") and args:
                key = self._target(recv)
                if key is None:
                    continue
                self.handled.add(call.start_byte)
                if method == "addManagedPolicy":
                    self.policies.add_managed(self.accs[key], args[0])
                elif method == "attachInlinePolicy":
                    what = f"statement in the policy attached by {render(b.src, recv)}.{method}()"
                    self.policies.add_policy(self.accs[key], args[0], what)
                else:
                    self.policies.add_statement(self.accs[key], args[0], origin)
                continue
            if method in _GRANT_HELPERS and args and (b._class_of(recv) or (None, ""))[1] == "Grant":
                self._iam_grant(call, args[0], f"statement added by iam.Grant.{method}()")
                continue
            if method == "attachToRole" and args:
                key = self._target(args[0])
                if key is not None:
                    self.handled.add(call.start_byte)
                    self.policies.add_policy(self.accs[key], recv, f"statement in the policy attached by {call_text}")

    def _iam_grant(self, call: "Node", options: "Node", origin: str) -> None:
        """`iam.Grant.addToPrincipal({ grantee: fn, actions: [...], resourceArns: [...] })`."""
        b = self.b
        props = b._object(options, 0)
        grantee = b._property(props, "grantee", 0) if props is not None else None
        key = self._target(grantee) if grantee is not None else None
        if key is None:
            return
        self.handled.add(call.start_byte)
        actions = self.values.strings(b._property(props, "actions", 0))  # type: ignore[arg-type]
        arns = b._property(props, "resourceArns", 0)  # type: ignore[arg-type]
        globs = self.values.resources(arns) if arns is not None else None
        if actions is None or globs is None:
            self.accs[key].partial.append(f"{origin}: actions or resources are not literal lists")
            return
        conditions = b._property(props, "conditions", 0)  # type: ignore[arg-type]
        cond_obj = b._object(conditions, 0) if conditions is not None else None
        has_condition = conditions is not None and (cond_obj is None or bool(b._entries(cond_obj, 0)))
        st = Statement("Allow", tuple(actions), resources=tuple(g for g, _ in globs), has_condition=has_condition,
                       source="cdk:Grant", unresolved=any(u for _, u in globs))
        self.accs[key].grants.append(Grant(st, b.src.location(call), origin))

    def _policies(self) -> None:
        """`new iam.Policy(this, 'P', { statements, roles: [role] })` (and ManagedPolicy)."""
        b = self.b
        for new in b.news:
            ctor = new.child_by_field_name("constructor")
            found = b._class_of(ctor) if ctor is not None else None
            if found is None or found[1] not in ("Policy", "ManagedPolicy"):
                continue
            props = self.values.props(new)
            roles = b._property(props, "roles", 0) if props is not None else None
            items = self.values.array(roles, 0) if roles is not None else None
            for item in items or ():
                key = self._target(item)
                if key is not None:
                    self.handled.add(new.start_byte)
                    what = f"statement in {found[1]} {self.values.construct_id(new)}"
                    self.policies.add_policy(self.accs[key], new, what)

    # -- grants -------------------------------------------------------------

    def _add_grant_read(self, key: tuple[str, int], kind: SecretConstruct | ParamConstruct, call: "Node",
                        origin: str) -> None:
        b = self.b
        resource, unresolved = grant_resources(kind)
        actions = _SSM_READ if isinstance(kind, ParamConstruct) else _SECRET_READ
        loc = b.src.location(call)
        acc = self.accs[key]
        acc.grants.append(Grant(Statement("Allow", actions, resources=(resource,), source="cdk:grantRead",
                                          unresolved=unresolved), loc, origin))
        if kind.kms:
            # A secret's key is granted through kms:ViaService (a condition);
            # a parameter's through encryptionKey.grantDecrypt (REFERENCE §D.2/§D.3).
            acc.grants.append(Grant(
                Statement("Allow", ("kms:Decrypt",), resources=(kind.kms,), source="cdk:grantRead",
                          has_condition=isinstance(kind, SecretConstruct), unresolved=kind.kms == _ANY_KEY),
                loc, origin))

    def _known_other(self, recv: "Node") -> bool:
        """The receiver is a same-file CDK construct that is not a secret or
        parameter (a table, bucket, queue…): its grants are not secret reads."""
        expr = self.values.resolved(recv)
        if expr.type == "new_expression":
            ctor = expr.child_by_field_name("constructor")
            found = self.b._class_of(ctor) if ctor is not None else None
        elif expr.type == "call_expression":
            callee = unwrap(expr.child_by_field_name("function"))  # type: ignore[arg-type]
            if callee.type != "member_expression":
                return False
            found = self.b._class_of(callee.child_by_field_name("object"))  # type: ignore[arg-type]
        else:
            return False
        if found is None or found[0] is None:
            return False
        module = found[0]
        return bool(CDK_MODULE.match(module)) and "secretsmanager" not in module and "aws-ssm" not in module

    # -- the function / role handed to code we cannot read ------------------

    def _escapes(self) -> None:
        b = self.b
        for node in sorted(b.calls + b.news, key=lambda n: n.start_byte):
            if node.start_byte in self.handled:
                continue
            keys = {k for arg in b._args(node) for k in self._refs(arg, 0)}
            if not keys:
                continue
            reason = opaque(b, self.by_node, node)
            if reason is not None:
                for key in keys:
                    self.accs[key].partial.append(reason)
        # `this.fn = new NodejsFunction(...)` on a public field: another file
        # (a stack that receives this construct) may grant to it.
        for name, entries in b.decls.items():
            if not name.startswith("this."):
                continue
            for _, left, value in entries:
                key = self._target(value)
                if key is not None and public_field(b, left, name[5:]):
                    self.accs[key].partial.append(f"{name} is public: other files may grant to it")

    def _refs(self, node: "Node", depth: int) -> set[tuple[str, int]]:
        """Roles a direct argument (or an array / object entry of it) stands for."""
        node = unwrap(node)
        if depth > 2:
            return set()
        if node.type == "array":
            return {k for c in node.named_children for k in self._refs(c, depth + 1)}
        if node.type == "object":
            return {k for _, _, v in self.b._entries(node, 0) for k in self._refs(v, depth + 1)}
        if node.type in ("identifier", "member_expression", "shorthand_property_identifier"):
            key = self._target(node)
            return {key} if key is not None else set()
        return set()
