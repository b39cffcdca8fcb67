"""CDK TS/JS: secrets, parameters and execution-role facts (LSL3xx).

Part of the CDK TypeScript builder (lint/parsers/cdk_ts.py); it reads the
file through the builder's same-file resolution. docs/design/iam-linking.md
§1 says what must be provided; REFERENCE.md §D.2/§D.3 what CDK grants.

- Stores: `new ssm.StringParameter` / `StringListParameter`, the
  `fromStringParameter*` / `fromSecureStringParameterAttributes` imports,
  `new secretsmanager.Secret` / `DatabaseSecret` and the `fromSecret*`
  imports become `SecretStore`s; their names are IAM globs (`*` where a part
  is not static).
- What `param.parameterName`, `param.parameterArn`, `secret.secretArn`,
  `secret.secretName` evaluate to (`ValueSource.text`), so an env var that
  carries a name can be followed to the secret a handler reads. A secret's
  `secretArn` is the complete ARN `…:secret:<name>-??????` for a secret the
  stack creates, and the PARTIAL ARN `…:secret:<name>` for
  `fromSecretNameV2` — in an env value (the linker adds `-??????` to a
  partial ARN) and in a policy statement alike, where IAM compares it as
  written: the partial ARN matches no real secret, exactly the AccessDenied
  LSL301 reports.
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

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from lambda_secrets_lint.iam.arns import SECRET_SUFFIX_PATTERN, is_complete_secret_arn, ssm_parameter_arn
from lambda_secrets_lint.iam.managed import MANAGED_POLICIES, managed_policy_name
from lambda_secrets_lint.iam.policy import Statement, statements_from_document
from lambda_secrets_lint.model.infra import Grant, RoleFacts, SecretStore, ValueSource
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.intrinsics import BREAK, value_pattern
from lambda_secrets_lint.parsers.js.text import FUNCTION_TYPES, key_text, render, unwrap

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

_MAX_DEPTH = 12
_ANY_KEY = "arn:*:kms:*:*:key/*"
_SECRET_ARN = "arn:*:secretsmanager:*:*:secret:"
_SSM_READ = ("ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParameterHistory")
_SECRET_READ = ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")
# Grants on a construct we cannot see may include secret reads.
_OPAQUE_GRANTS = frozenset({"grantRead", "grantWrite", "grantReadWrite", "grant"})
# Words that mean a helper may attach policies (same-file helpers are only
# read this far: when they mention one, the role is partial).
_POLICY_WORDS = re.compile(
    r"grant|addToRolePolicy|addToPolicy|addToPrincipalPolicy|addManagedPolicy|attachInlinePolicy|PolicyStatement|"
    r"ManagedPolicy|PolicyDocument"
)
# iam.Grant.addToPrincipal({ grantee, actions, resourceArns, conditions }) and friends.
_GRANT_HELPERS = frozenset({"addToPrincipal", "addToPrincipalOrResource", "addToPrincipalAndResource"})
_CDK_MODULE = re.compile(r"^(aws-cdk-lib|@aws-cdk/|constructs$|cdk-nag|aws-cdk)")


# -- stores -----------------------------------------------------------------


@dataclass(frozen=True)
class SecretConstruct:
    """A Secrets Manager secret the file declares or imports.

    name: a display name (the literal name, else the variable) for messages.
    glob: the secret's name — or its ARN when imported by ARN — as a glob;
    None when nothing about it is static. form: "declared" (new Secret),
    "name" (fromSecretNameV2), "legacy-name" (fromSecretName), "complete" /
    "partial" (imported by ARN), "unknown" (e.g. `cluster.secret`).
    """

    name: str
    glob: str | None = None
    form: str = "unknown"
    kms: str = ""
    node: "Node | None" = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class ParamConstruct:
    """An SSM parameter the file declares or imports (glob: its name; None when unknown)."""

    name: str
    secure: bool
    glob: str | None = None
    kms: str = ""
    node: "Node | None" = field(default=None, compare=False, hash=False)


def _secret_name_of(s: SecretConstruct) -> str | None:
    """The secret's NAME (secretName): an imported ARN's name without the suffix."""
    if s.glob is None:
        return None
    if s.form in ("complete", "partial"):
        name = s.glob.split(":secret:", 1)[-1]
        return re.sub(r"-[A-Za-z0-9]{6}$", "", name) if s.form == "complete" else name
    return s.glob


def store_text(kind: object, prop: str) -> str | None:
    """What `<construct>.<prop>` evaluates to at runtime, as a glob, in an ENV
    value (ValueSource.text); None when unknown."""
    if isinstance(kind, ParamConstruct) and kind.glob is not None:
        if prop == "parameterName":
            return kind.glob
        if prop == "parameterArn":
            return ssm_parameter_arn(kind.glob)
    if isinstance(kind, SecretConstruct) and kind.glob is not None:
        if prop == "secretName":
            return _secret_name_of(kind)
        if prop in ("secretArn", "secretFullArn"):
            if kind.form in ("complete", "partial"):
                return kind.glob
            if kind.form == "declared":  # CloudFormation returns the complete ARN
                return _SECRET_ARN + kind.glob + SECRET_SUFFIX_PATTERN
            # fromSecretNameV2: the PARTIAL ARN (the linker adds `-??????`).
            return _SECRET_ARN + kind.glob
    return None


def _resource_text(kind: object, prop: str) -> tuple[str, bool] | None:
    """What `<construct>.<prop>` is as a policy RESOURCE: (glob, unresolved).
    The same text as at runtime: IAM compares it as written."""
    if not ((isinstance(kind, ParamConstruct) and prop == "parameterArn")
            or (isinstance(kind, SecretConstruct) and prop in ("secretArn", "secretFullArn"))):
        return None
    text = store_text(kind, prop)
    if text is None:  # nothing static about its name
        return ("arn:aws:ssm:*:*:parameter/*" if isinstance(kind, ParamConstruct) else _SECRET_ARN + "*"), True
    return text, "*" in (kind.glob or "")


def _grant_resources(kind: SecretConstruct | ParamConstruct) -> tuple[str, bool]:
    """The resource `grantRead` names (CDK's `arnForPolicies`): (glob, unresolved)."""
    if isinstance(kind, ParamConstruct):
        if kind.glob is None:
            return "arn:aws:ssm:*:*:parameter/*", True
        return ssm_parameter_arn(kind.glob), "*" in kind.glob
    if kind.glob is None:
        return _SECRET_ARN + "*", True
    unresolved = "*" in kind.glob
    if kind.form == "complete" or (kind.form == "partial" and is_complete_secret_arn(kind.glob)):
        return kind.glob, unresolved
    if kind.form == "partial":
        return kind.glob + SECRET_SUFFIX_PATTERN, unresolved
    if kind.form == "legacy-name":  # deprecated fromSecretName grants on `name*`
        return _SECRET_ARN + kind.glob + "*", True
    return _SECRET_ARN + kind.glob + SECRET_SUFFIX_PATTERN, unresolved


def glob_of(pieces: Sequence[object]) -> str | None:
    """An env value's `pattern` from the ordered pieces `_pieces` produced
    (the same rule as CloudFormation's, lint/parsers/intrinsics.py)."""
    return value_pattern(list(pieces))


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
        self.mutations = self._mutations()

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
        b = self.b
        refs: dict[int, str] = {}
        for key, entries in b.decls.items():
            for _, _, value in entries:
                refs.setdefault(unwrap(value).start_byte, key)
        out: list[SecretStore] = []
        seen: set[int] = set()
        for node in sorted(b.news + b.calls, key=lambda n: n.start_byte):
            if node.start_byte in seen or not self._declares_store(node):
                continue
            kind = b._kind(node, 0)
            if not isinstance(kind, (SecretConstruct, ParamConstruct)):
                continue
            seen.add(node.start_byte)
            service = "ssm" if isinstance(kind, ParamConstruct) else "secretsmanager"
            out.append(SecretStore(service, kind.glob or "*", b.src.location(node), refs.get(node.start_byte, ""),
                                   kind.kms))
        return tuple(out)

    def _declares_store(self, node: "Node") -> bool:
        b = self.b
        if node.type == "new_expression":
            ctor = node.child_by_field_name("constructor")
            found = b._class_of(ctor) if ctor is not None else None
            return found is not None and found[1] in (
                "Secret", "DatabaseSecret", "StringParameter", "StringListParameter")
        callee = unwrap(node.child_by_field_name("function"))  # type: ignore[arg-type]
        if callee.type != "member_expression":
            return False
        method = key_text(b.src, callee.child_by_field_name("property")) or ""
        return method.startswith("fromSecret") or method in (
            "fromStringParameterName", "fromStringParameterAttributes", "fromStringParameterArn",
            "fromSecureStringParameterAttributes", "fromStringListParameterName")

    # -- which role ---------------------------------------------------------

    def _props(self, node: "Node") -> "Node | None":
        args = self.b._args(node)
        return self.b._object(args[2], 0) if len(args) > 2 else None

    def _assign_role(self, fn: "_Fn") -> None:
        b = self.b
        props = self._props(fn.node)
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
        if depth > _MAX_DEPTH:
            return None
        if node.type == "new_expression":
            ctor = node.child_by_field_name("constructor")
            found = b._class_of(ctor) if ctor is not None else None
            return node if found is not None and found[1] in ("Role", "LazyRole") else None
        if node.type == "call_expression":
            return node if self._method(node) in ("fromRoleArn", "fromRoleName", "fromLookup") else None
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
        if depth > _MAX_DEPTH:
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
        props = self._props(fn.node)
        initial = b._property(props, "initialPolicy", 0) if props is not None else None
        if initial is None:
            return
        key = self.fn_role[fn.node.start_byte]
        items = self._array(initial, 0)
        if items is None:
            self.accs[key].partial.append(f"initialPolicy of {fn.construct_id} is not a literal list")
            return
        for item in items:
            self._add_statement(key, item, f"statement in initialPolicy of {fn.construct_id}")

    def _role_props(self, key: tuple[str, int], new: "Node") -> None:
        b = self.b
        props = self._props(new)
        if props is None:
            return
        acc = self.accs[key]
        managed = b._property(props, "managedPolicies", 0)
        if managed is not None:
            items = self._array(managed, 0)
            if items is None:
                acc.partial.append(f"managedPolicies of role {acc.name} is not a literal list")
            for item in items or ():
                self._add_managed(key, item)
        inline = b._property(props, "inlinePolicies", 0)
        if inline is not None:
            obj = b._object(inline, 0)
            if obj is None:
                acc.partial.append(f"inlinePolicies of role {acc.name} is not a literal object")
                return
            for name, _key_node, doc in b._entries(obj, 0):
                self._add_document(key, doc, f"statement in inline policy {name} of role {acc.name}")

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
                    self._add_statement(key, args[0], origin)
                continue
            if method in ("addToPolicy", "addToPrincipalPolicy", "addManagedPolicy", "attachInlinePolicy") and args:
                key = self._target(recv)
                if key is None:
                    continue
                self.handled.add(call.start_byte)
                if method == "addManagedPolicy":
                    self._add_managed(key, args[0])
                elif method == "attachInlinePolicy":
                    what = f"statement in the policy attached by {render(b.src, recv)}.{method}()"
                    self._add_policy(key, args[0], what)
                else:
                    self._add_statement(key, args[0], origin)
                continue
            if method in _GRANT_HELPERS and args and (b._class_of(recv) or (None, ""))[1] == "Grant":
                self._iam_grant(call, args[0], f"statement added by iam.Grant.{method}()")
                continue
            if method == "attachToRole" and args:
                key = self._target(args[0])
                if key is not None:
                    self.handled.add(call.start_byte)
                    self._add_policy(key, recv, f"statement in the policy attached by {call_text}")

    def _iam_grant(self, call: "Node", options: "Node", origin: str) -> None:
        """`iam.Grant.addToPrincipal({ grantee: fn, actions: [...], resourceArns: [...] })`."""
        b = self.b
        props = b._object(options, 0)
        grantee = b._property(props, "grantee", 0) if props is not None else None
        key = self._target(grantee) if grantee is not None else None
        if key is None:
            return
        self.handled.add(call.start_byte)
        actions = self._strings(b._property(props, "actions", 0))  # type: ignore[arg-type]
        arns = b._property(props, "resourceArns", 0)  # type: ignore[arg-type]
        globs = self._resources(arns) if arns is not None else None
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
            props = self._props(new)
            roles = b._property(props, "roles", 0) if props is not None else None
            items = self._array(roles, 0) if roles is not None else None
            for item in items or ():
                key = self._target(item)
                if key is not None:
                    self.handled.add(new.start_byte)
                    self._add_policy(key, new, f"statement in {found[1]} {self._construct_id(new)}")

    def _construct_id(self, node: "Node") -> str:
        args = self.b._args(node)
        return (self.b._literal(args[1]) if len(args) > 1 else None) or ""

    # -- grants -------------------------------------------------------------

    def _add_grant_read(self, key: tuple[str, int], kind: SecretConstruct | ParamConstruct, call: "Node",
                        origin: str) -> None:
        b = self.b
        resource, unresolved = _grant_resources(kind)
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

    def _add_statement(self, key: tuple[str, int], node: "Node", origin: str) -> None:
        acc = self.accs[key]
        found = self._statements(node, origin)
        if isinstance(found, str):
            acc.partial.append(found)
            return
        acc.grants.extend(found)

    def _statements(self, node: "Node", origin: str) -> list[Grant] | str:
        """The statement(s) a `new iam.PolicyStatement(...)` / `PolicyStatement.fromJson`
        expression is (through variables); a reason string when not readable."""
        b = self.b
        expr = self._resolved(node)
        loc = b.src.location(expr)
        if expr.type == "call_expression":
            args = b._args(expr)
            if self._method(expr) == "fromJson" and args:
                doc = self._json(args[0], 0)
                if isinstance(doc, dict):
                    return [Grant(st, loc, origin) for st in statements_from_document([doc], source="cdk")]
            return f"{origin}: the statement is not a literal PolicyStatement"
        if expr.type != "new_expression" or not self._is_class(expr, "PolicyStatement"):
            return f"{origin}: the statement is not a literal PolicyStatement"
        args = b._args(expr)
        props = b._object(args[0], 0) if args else None
        if args and props is None:
            return f"{origin}: the statement's props are not a literal object"
        st = self._statement(expr, props)
        if isinstance(st, str):
            return f"{origin}: {st}"
        return [Grant(st, loc, origin)] if st is not None else []

    def _statement(self, new: "Node", props: "Node | None") -> Statement | None | str:
        b = self.b
        fields: dict[str, list[Any]] = {"actions": [], "notActions": [], "resources": [], "notResources": []}
        unresolved = False
        condition = False
        effect = "Allow"
        for name, _k, value in b._entries(props, 0) if props is not None else ():
            if name in ("actions", "notActions"):
                strings = self._strings(value)
                if strings is None:
                    return f"{name} is not a literal list"
                fields[name] = strings
            elif name in ("resources", "notResources"):
                globs = self._resources(value)
                if globs is None:
                    return f"{name} is not a literal list"
                fields[name] = [g for g, _ in globs]
                unresolved = unresolved or any(u for _, u in globs)
            elif name == "conditions":
                obj = b._object(value, 0)
                condition = obj is None or bool(b._entries(obj, 0))
            elif name == "effect":
                text = b.src.text(unwrap(value)).replace(" ", "")
                if text.endswith(".DENY") or b._literal(value) == "Deny":
                    effect = "Deny"
                elif not (text.endswith(".ALLOW") or b._literal(value) == "Allow"):
                    return "its effect is not a literal"
        # Statement mutations: `st.addActions(...)`, `st.addResources(...)`, `st.addCondition(...)`.
        for method, margs in self.mutations.get(new.start_byte, ()):
            if method in ("addCondition", "addConditions"):
                condition = True
            elif method == "addAllResources":
                fields["resources"].append("*")
            elif method in ("addActions", "addNotActions"):
                strings = self._spread_strings(margs)
                if strings is None:
                    return f"{method} is not given literals"
                fields["actions" if method == "addActions" else "notActions"].extend(strings)
            elif method in ("addResources", "addNotResources"):
                globs = [self._glob(a) for a in margs]
                fields["resources" if method == "addResources" else "notResources"].extend(g for g, _ in globs)
                unresolved = unresolved or any(u for _, u in globs)
        if not fields["actions"] and not fields["notActions"]:
            return None
        return Statement(
            effect=effect,  # type: ignore[arg-type]
            actions=tuple(fields["actions"]),
            not_actions=tuple(fields["notActions"]),
            resources=tuple(fields["resources"]),
            not_resources=tuple(fields["notResources"]),
            has_condition=condition,
            source="cdk:PolicyStatement",
            unresolved=unresolved,
        )

    def _mutations(self) -> dict[int, list[tuple[str, list["Node"]]]]:
        """Calls that change a statement / policy after it is built, by the
        start of the `new` they apply to."""
        b = self.b
        out: dict[int, list[tuple[str, list["Node"]]]] = {}
        for call in b.calls:
            callee = unwrap(call.child_by_field_name("function"))  # type: ignore[arg-type]
            if callee.type != "member_expression":
                continue
            method = key_text(b.src, callee.child_by_field_name("property")) or ""
            if method not in ("addActions", "addNotActions", "addResources", "addNotResources", "addAllResources",
                              "addCondition", "addConditions", "addStatements"):
                continue
            target = self._resolved(callee.child_by_field_name("object"))  # type: ignore[arg-type]
            if target.type == "new_expression":
                out.setdefault(target.start_byte, []).append((method, b._args(call)))
        return out

    def _add_document(self, key: tuple[str, int], node: "Node", origin: str) -> None:
        """`new iam.PolicyDocument({ statements })` / `PolicyDocument.fromJson({...})`."""
        b = self.b
        acc = self.accs[key]
        expr = self._resolved(node)
        if expr.type == "new_expression" and self._is_class(expr, "PolicyDocument"):
            args = b._args(expr)
            props = b._object(args[0], 0) if args else None
            stmts = b._property(props, "statements", 0) if props is not None else None
            self._add_statement_list(key, stmts, expr, origin)
            return
        if expr.type == "call_expression":
            args = b._args(expr)
            if self._method(expr) == "fromJson" and args:
                doc = self._json(args[0], 0)
                if isinstance(doc, dict):
                    loc = b.src.location(expr)
                    acc.grants.extend(Grant(st, loc, origin) for st in statements_from_document(doc, source="cdk"))
                    return
        acc.partial.append(f"{origin} is not a literal PolicyDocument")

    def _add_statement_list(self, key: tuple[str, int], stmts: "Node | None", owner: "Node", origin: str) -> None:
        acc = self.accs[key]
        items = self._array(stmts, 0) if stmts is not None else []
        if items is None:
            acc.partial.append(f"{origin}: statements are not a literal list")
            return
        for item in items:
            self._add_statement(key, item, origin)
        for method, margs in self.mutations.get(owner.start_byte, ()):
            if method == "addStatements":
                for arg in margs:
                    self._add_statement(key, arg, origin)

    def _add_policy(self, key: tuple[str, int], node: "Node", origin: str) -> None:
        """`new iam.Policy(...)` / `new iam.ManagedPolicy(...)` with `statements` or `document`."""
        b = self.b
        expr = self._resolved(node)
        if expr.type == "new_expression" and (self._is_class(expr, "Policy") or self._is_class(expr, "ManagedPolicy")):
            props = self._props(expr)
            if props is None:
                self._add_statement_list(key, None, expr, origin)
                return
            doc = b._property(props, "document", 0)
            if doc is not None:
                self._add_document(key, doc, origin)
            self._add_statement_list(key, b._property(props, "statements", 0), expr, origin)
            return
        if self._managed_call(expr):
            self._add_managed(key, expr)
            return
        self.accs[key].partial.append(f"{origin}: the policy is defined elsewhere")

    def _managed_call(self, expr: "Node") -> bool:
        return expr.type == "call_expression" and self._method(expr) in (
            "fromAwsManagedPolicyName", "fromManagedPolicyArn", "fromManagedPolicyName")

    def _add_managed(self, key: tuple[str, int], node: "Node") -> None:
        b = self.b
        acc = self.accs[key]
        expr = self._resolved(node)
        if expr.type == "new_expression" and self._is_class(expr, "ManagedPolicy"):
            self._add_policy(key, expr, f"statement in managed policy {self._construct_id(expr)}")
            return
        if not self._managed_call(expr):
            acc.partial.append("a managed policy that is defined elsewhere")
            return
        method = self._method(expr)
        args = b._args(expr)
        if method == "fromAwsManagedPolicyName":
            raw = b._literal(args[0]) if args else None
            name = raw.rsplit("/", 1)[-1] if raw else None
        elif method == "fromManagedPolicyArn":
            raw, _ = self._glob(args[2]) if len(args) > 2 else ("*", True)
            name = managed_policy_name(raw) if ":iam::aws:policy/" in raw else None
        else:  # fromManagedPolicyName: a customer-managed policy
            raw, name = "", None
        canonical = next((k for k in MANAGED_POLICIES if name and k.lower() == name.lower()), None)
        if canonical is None:
            what = f"managed policy {name}" if name else "a customer-managed policy"
            acc.partial.append(f"{what} is not modelled")
            return
        loc = b.src.location(expr)
        for st in MANAGED_POLICIES[canonical]:
            acc.grants.append(Grant(st, loc, f"managed policy {canonical}", managed=canonical))

    # -- the function / role handed to code we cannot read ------------------

    def _escapes(self) -> None:
        b = self.b
        for node in sorted(b.calls + b.news, key=lambda n: n.start_byte):
            if node.start_byte in self.handled:
                continue
            keys = {k for arg in b._args(node) for k in self._refs(arg, 0)}
            if not keys:
                continue
            reason = self._opaque(node)
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
                if key is not None and self._public_field(left, name[5:]):
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

    def _opaque(self, node: "Node") -> str | None:
        """Why a call / construct that receives a function or role may attach
        policies we cannot see; None when it is a CDK construct or a helper
        that does not touch IAM."""
        b = self.b
        src = b.src
        if (node.start_byte, node.end_byte) in self.by_node:
            return None  # a Lambda construct's own props (its `role`)
        if node.type == "new_expression":
            ctor = node.child_by_field_name("constructor")
            found = b._class_of(ctor) if ctor is not None else None
            if found is None:
                return None
            module, cls = found
            if module is not None and _CDK_MODULE.match(module):
                return f"{render(src, node)} may attach policies" if module.endswith("aws-iam") else None
            if module is None:
                body = self._declaration(cls)
                if body is not None:
                    return f"{cls} may attach policies" if _POLICY_WORDS.search(src.text(body)) else None
            return f"the role is handed to {cls}, defined elsewhere"
        callee = unwrap(node.child_by_field_name("function"))  # type: ignore[arg-type]
        if callee.type == "identifier":
            name = src.text(callee)
            module = b.named.get(name, ("", ""))[0] or b.namespaces.get(name, "")
            if module and _CDK_MODULE.match(module):
                return None
            body = self._declaration(name)
            if body is not None:
                return f"{name}() may attach policies" if _POLICY_WORDS.search(src.text(body)) else None
            return f"the role is handed to {name}(), defined elsewhere"
        if callee.type != "member_expression":
            return None
        method = key_text(src, callee.child_by_field_name("property")) or ""
        recv = unwrap(callee.child_by_field_name("object"))  # type: ignore[arg-type]
        if recv.type == "this":
            body = self._declaration(method)
            if body is None or _POLICY_WORDS.search(src.text(body)):
                return f"this.{method}() may attach policies"
            return None
        if recv.type == "identifier":
            module = b.namespaces.get(src.text(recv))
            if module is not None and not _CDK_MODULE.match(module) and module not in ("path", "node:path"):
                return f"the role is handed to {src.text(recv)}.{method}(), defined elsewhere"
        return None

    def _declaration(self, name: str) -> "Node | None":
        """The body of a same-file function / method / class named `name`."""
        stack = [self.b.root]
        while stack:
            node = stack.pop()
            t = node.type
            if t in ("function_declaration", "method_definition", "class_declaration", "class"):
                n = node.child_by_field_name("name")
                if n is not None and self.b.src.text(n) == name:
                    return node
            elif t == "variable_declarator":
                n, v = node.child_by_field_name("name"), node.child_by_field_name("value")
                if n is not None and v is not None and self.b.src.text(n) == name and unwrap(v).type in FUNCTION_TYPES:
                    return v
            stack.extend(node.children)
        return None

    def _public_field(self, left: "Node", name: str) -> bool:
        body = left.parent
        while body is not None and body.type != "class_body":
            body = body.parent
        if body is None:
            return False  # `this.x` outside a class: not a field
        for member in body.named_children:
            if member.type not in ("public_field_definition", "field_definition"):
                continue
            prop = member.child_by_field_name("name") or member.child_by_field_name("property")
            if prop is None or key_text(self.b.src, prop) != name:
                continue
            if prop.type == "private_property_identifier":
                return False
            mods = [c for c in member.children if c.type == "accessibility_modifier"]
            return not any(self.b.src.text(m) in ("private", "protected") for m in mods)
        return True  # undeclared (JavaScript): public

    # -- small evaluators ---------------------------------------------------

    def _method(self, call: "Node") -> str:
        """The method a call invokes (`x.y.fromJson(...)` → "fromJson"); "" for a plain call."""
        callee = unwrap(call.child_by_field_name("function"))  # type: ignore[arg-type]
        if callee.type != "member_expression":
            return ""
        return key_text(self.b.src, callee.child_by_field_name("property")) or ""

    def _is_class(self, new: "Node", cls: str) -> bool:
        ctor = new.child_by_field_name("constructor")
        found = self.b._class_of(ctor) if ctor is not None else None
        return found is not None and found[1] == cls

    def _known_other(self, recv: "Node") -> bool:
        """The receiver is a same-file CDK construct that is not a secret or
        parameter (a table, bucket, queue…): its grants are not secret reads."""
        expr = self._resolved(recv)
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
        return bool(_CDK_MODULE.match(module)) and "secretsmanager" not in module and "aws-ssm" not in module

    def _resolved(self, node: "Node") -> "Node":
        return self.b._follow(node)

    def _array(self, node: "Node | None", depth: int) -> list["Node"] | None:
        """The elements of a literal array (through variables and spreads); None if not literal."""
        if node is None or depth > _MAX_DEPTH:
            return None
        expr = self._resolved(node)
        if expr.type != "array":
            return None
        out: list["Node"] = []
        for child in expr.named_children:
            if child.type == "comment":
                continue
            if child.type == "spread_element":
                inner = [c for c in child.named_children if c.type != "comment"]
                items = self._array(inner[0], depth + 1) if inner else None
                if items is None:
                    return None
                out.extend(items)
            else:
                out.append(child)
        return out

    def _strings(self, node: "Node") -> list[str] | None:
        items = self._array(node, 0)
        if items is None:
            return None
        out = []
        for item in items:
            text = self.b._literal(item)
            if text is None:
                return None
            out.append(text)
        return out

    def _spread_strings(self, args: list["Node"]) -> list[str] | None:
        out: list[str] = []
        for arg in args:
            if arg.type == "spread_element":
                inner = [c for c in arg.named_children if c.type != "comment"]
                items = self._strings(inner[0]) if inner else None
            else:
                text = self.b._literal(arg)
                items = [text] if text is not None else None
            if items is None:
                return None
            out.extend(items)
        return out

    def _resources(self, node: "Node") -> list[tuple[str, bool]] | None:
        items = self._array(node, 0)
        return None if items is None else [self._glob(item) for item in items]

    def _glob(self, node: "Node", depth: int = 0) -> tuple[str, bool]:
        """A policy resource as a glob: (text, unresolved). Region / account /
        partition tokens become `*` (they do not change what is granted);
        any other unknown part becomes `*` and marks the statement unresolved."""
        b = self.b
        src = b.src
        node = unwrap(node)
        if depth > _MAX_DEPTH:
            return "*", True
        t = node.type
        if t == "string":
            return src.string_value(node), False
        if t == "template_string":
            text, unresolved, pos = "", False, node.start_byte + 1
            for child in node.named_children:
                if child.type != "template_substitution":
                    continue
                text += src.data[pos : child.start_byte].decode("utf-8", errors="replace")
                inner = [c for c in child.named_children if c.type != "comment"]
                part, u = self._glob(inner[0], depth + 1) if inner else ("*", True)
                text, unresolved, pos = text + part, unresolved or u, child.end_byte
            text += src.data[pos : node.end_byte - 1].decode("utf-8", errors="replace")
            return re.sub(r"\*{2,}", "*", text), unresolved
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op is not None and src.text(op) == "+" and left is not None and right is not None:
                (lt, lu), (rt, ru) = self._glob(left, depth + 1), self._glob(right, depth + 1)
                return re.sub(r"\*{2,}", "*", lt + rt), lu or ru
            return "*", True
        if t == "member_expression":
            obj = unwrap(node.child_by_field_name("object"))  # type: ignore[arg-type]
            prop = key_text(src, node.child_by_field_name("property")) or ""
            if b._pseudo(obj, prop):
                return "*", False
            found = _resource_text(b._kind(obj, 0), prop)
            if found is not None:
                return found
        key = b._var_key(node)
        if key is not None:
            value = b._resolve(key, node.start_byte)
            if value is not None and unwrap(value).start_byte != node.start_byte:
                return self._glob(value, depth + 1)
        return "*", True

    def _json(self, node: "Node", depth: int) -> Any:
        """An object literal as a policy document for statements_from_document;
        an unknown value becomes a Ref that resolves to `*` (widened)."""
        b = self.b
        node = unwrap(node)
        if depth > _MAX_DEPTH:
            return {"Ref": "?"}
        expr = self._resolved(node)
        if expr.type == "object":
            return {k: self._json(v, depth + 1) for k, _kn, v in b._entries(expr, 0)}
        if expr.type == "array":
            items = self._array(expr, 0)
            return [self._json(i, depth + 1) for i in items] if items is not None else {"Ref": "?"}
        text = b._literal(expr)
        if text is not None:
            return text
        glob, unresolved = self._glob(expr)
        return {"Ref": "?"} if unresolved else glob
