"""CDK Python: each Lambda construct's execution role and every IAM
statement that applies to it (docs/design/iam-linking.md §1, REFERENCE.md
§D.2, §D.3).

The tracker is fed by the stack walker of `cdk_py` one call at a time, in
source order, with names bound as they are at that point:
- roles: the role CDK creates for a function (AWSLambdaBasicExecutionRole),
  `role=iam.Role(...)` (its `managed_policies`, `inline_policies`), an
  imported or passed-in role (known=False);
- grants: `x.grant_read(fn | fn.role | fn.grant_principal | role)` on the
  parameters and secrets of `cdk_py_stores` (plus `kms:Decrypt` when the
  construct has an `encryption_key`), `key.grant_decrypt(...)`,
  `fn.add_to_role_policy(stmt)`, `initial_policy=[...]`,
  `role.add_to_policy(stmt)` / `add_to_principal_policy`,
  `role.add_managed_policy(mp)`, `role.attach_inline_policy(policy)`,
  `iam.Policy(..., roles=[role])` / `policy.attach_to_role(role)`;
  `for fn in (a, b):` reaches each function.

What cannot be read makes the role `partial` (LSL301 is then silent): a
grant on a construct defined elsewhere, a customer-managed or unmodelled
managed policy, a statement that is not literal, and — for every function of
the file — a grant whose target cannot be followed (a helper's parameter, a
loop over a computed list). Nothing is guessed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

import libcst as cst

from lambda_secrets_lint.iam.managed import MANAGED_POLICIES, managed_policy_statements
from lambda_secrets_lint.iam.policy import Statement
from lambda_secrets_lint.model.infra import Grant, RoleFacts, SecretStore
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.cdk_py import _arg, _is_self_attr, _last
from lambda_secrets_lint.parsers.cdk_py_policies import STMT_MUTATORS, PolicyReader, PolicyRec, StmtRec
from lambda_secrets_lint.parsers.cdk_py_stores import KMS_ANY, STORE_CTORS, StoreReader, split_qual
from lambda_secrets_lint.parsers.cdk_py_values import MAX_DEPTH, ValueReader

if TYPE_CHECKING:
    from lambda_secrets_lint.parsers.cdk_py import _Builder, _Fn, _Scope

__all__ = ["IamTracker", "RoleRec"]

SSM_GRANT_READ = ("ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParameterHistory")
SECRET_GRANT_READ = ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")
_AWS_POLICY = ":iam::aws:policy/"
_GRANT_READS = frozenset({"grant_read", "grant_decrypt", "grant_encrypt_decrypt"})
_ROLE_POLICY_METHODS = frozenset(
    {"add_to_role_policy", "add_to_policy", "add_to_principal_policy", "add_managed_policy", "attach_inline_policy"}
)
# attributes of a function that stand for its execution role
_PRINCIPAL_ATTRS = frozenset({"role", "grant_principal", "current_version", "latest_version"})

_Entry = Union[Grant, tuple[StmtRec, str], PolicyRec]
_Vars = dict[str, "_Fn"]


# Mutable on purpose: grants keep arriving after the role is built.
@dataclass
class RoleRec:
    """A function's execution role while the file is read (see RoleFacts)."""

    name: str
    location: Location | None
    known: bool = True
    entries: list[_Entry] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    named: bool = False  # the name came from a variable

    def freeze(self) -> RoleFacts:
        grants: list[Grant] = []
        partial = list(self.partial)
        for entry in self.entries:
            if isinstance(entry, Grant):
                grants.append(entry)
                continue
            pairs = entry.statements if isinstance(entry, PolicyRec) else [entry]
            if isinstance(entry, PolicyRec):
                partial.extend(entry.partial)
            for stmt, origin in pairs:
                if stmt.unknown:
                    partial.append(stmt.unknown)
                else:
                    grants.append(Grant(stmt.freeze(origin), stmt.location, origin))
        reasons = "; ".join(dict.fromkeys(p for p in partial if p))
        return RoleFacts(name=self.name, location=self.location, grants=tuple(grants), known=self.known, partial=reasons)


class IamTracker:
    def __init__(self, b: "_Builder") -> None:
        self.b = b
        self.values = ValueReader(b)
        self.stores = StoreReader(b, self.values)
        self.policies = PolicyReader(b, self.values)
        self.roles: dict[int, RoleRec] = {}  # id(iam.Role / Role.from_… Call) → role
        self.keys: set[int] = set()  # id(kms.Key / Alias Call)
        # `for fn in (a, b):` while its body is walked: name → (items, scope)
        self.loop_vars: dict[str, tuple[cst.BaseExpression, "_Scope"]] = {}
        self.unfollowed: list[str] = []

    # -- results ----------------------------------------------------------------
    def secret_stores(self) -> tuple[SecretStore, ...]:
        return self.stores.stores()

    def attr_text(self, base: cst.BaseExpression, attr: str, scope: "_Scope") -> str | None:
        return self.stores.attr_text(base, attr, scope)

    def finish(self, functions: list["_Fn"]) -> None:
        """A grant whose target could not be followed (a loop over a computed
        list, a helper's parameter) may land on any function of the file."""
        for fn in functions:
            if fn.role_rec is not None:
                fn.role_rec.partial.extend(self.unfollowed)

    # -- the walk -----------------------------------------------------------------
    def on_assign(self, target: str, value: cst.BaseExpression) -> None:
        """`x = <construct>` / `self.x = …`: the variable names the record."""
        self.stores.on_assign(target, value)
        role = self.roles.get(id(value))
        if role is not None and not role.named:
            role.name, role.named = target, True

    def on_call(self, call: cst.Call, scope: "_Scope", fn_vars: _Vars, self_vars: _Vars | None) -> bool:
        """Record what `call` does to stores, roles and policies; True when it
        was one of those calls (so it is not a Lambda construct)."""
        split = split_qual(self.b.qualify(call.func))
        if split is not None and self._construct(call, split, scope, fn_vars, self_vars):
            return True
        if not isinstance(call.func, cst.Attribute):
            return False
        method = call.func.attr.value
        recv = call.func.value
        if method in _GRANT_READS:
            return self._grant_read(call, method, recv, scope, fn_vars, self_vars)
        if method in _ROLE_POLICY_METHODS:
            roles = self._targets(recv, scope, fn_vars, self_vars)
            if roles is None:
                self._unfollowed(call, recv)
                return True
            arg = _arg(call, 0, "statement" if method.startswith("add_to") else "policy")
            for role in roles:
                if method == "add_managed_policy":
                    self._managed(role, arg, scope)
                elif method == "attach_inline_policy":
                    self._attach_policy(role, arg, scope)
                else:
                    self._attach_statement(role, arg, scope, self.values.call_origin(call))
            return True
        if method == "attach_to_role":
            policy = self.policies.policy_of(recv, scope)
            if policy is not None:
                self._attach_to(call, _arg(call, 0, "role"), policy, scope, fn_vars, self_vars)
            return policy is not None
        if method == "add_statements":
            policy = self.policies.policy_of(recv, scope)
            if policy is not None:
                self.policies.extend_policy(policy, call, scope)
            return policy is not None
        if method in STMT_MUTATORS:
            stmt = self.policies.statement_of(recv, scope)
            if stmt is not None:
                self.policies.mutate(stmt, method, call, scope)
            return stmt is not None
        return False

    def on_function(self, fn: "_Fn", call: cst.Call, scope: "_Scope", fn_vars: _Vars, self_vars: _Vars | None) -> None:
        """The execution role of a Lambda construct and its `initial_policy`."""
        b = self.b
        if b.qualify(call.func).endswith("aws_sam.CfnFunction"):
            return  # SAM `policies` inside CDK are not read: the role stays undetermined
        role_node = _arg(call, None, "role")
        brief = self.values.brief
        if fn.class_name == "CfnFunction":
            # `role` is an ARN: `my_role.role_arn` of a role built here, else unknown
            if isinstance(role_node, cst.Attribute) and role_node.attr.value == "role_arn":
                fn.role_rec = self._role_of(role_node.value, scope)
            if fn.role_rec is None:
                where = b.loc(role_node) if role_node is not None else fn.location
                fn.role_rec = RoleRec(brief(role_node), where, known=False,
                                      partial=["the role is given as an ARN the linter cannot follow"])
            return
        if role_node is None:
            rec = RoleRec("", fn.location)
            # The role CDK creates has AWSLambdaBasicExecutionRole (and the VPC
            # policy with `vpc=`): logs and ENIs only, recorded for completeness.
            names = ("AWSLambdaBasicExecutionRole",) + (
                ("AWSLambdaVPCAccessExecutionRole",) if _arg(call, None, "vpc") is not None else ()
            )
            for name in names:
                for st in managed_policy_statements(name):
                    rec.entries.append(Grant(st, fn.location, f"managed policy {name} (role CDK creates for {fn.construct_id})", managed=name))
        else:
            found = self._targets(role_node, scope, fn_vars, self_vars)
            rec = (found[0] if found and len(found) == 1 else None) or RoleRec(
                brief(role_node), b.loc(role_node), known=False,
                partial=[f"role {brief(role_node)} is not built in this file"],
            )
        fn.role_rec = rec
        initial = _arg(call, None, "initial_policy")
        if initial is not None:
            found_stmts, partial = self.policies.statement_list(initial, scope, f"initial_policy of {fn.construct_id}")
            rec.entries.extend(found_stmts)
            rec.partial.extend(partial)

    # -- constructs -----------------------------------------------------------------
    def _construct(self, call: cst.Call, split: tuple[str, str], scope: "_Scope", fn_vars: _Vars, self_vars: _Vars | None) -> bool:
        module, name = split
        how = STORE_CTORS.get(split)
        if how is not None:
            self.stores.register(call, how, scope)
            return True
        if module == "aws_iam":
            if name in ("Role", "LazyRole"):
                if id(call) not in self.roles:
                    self.roles[id(call)] = self._role(call, scope)
                return True
            if name.startswith("Role.from_"):
                cid = self.b._text(_arg(call, 1, "id"), scope) or name
                self.roles.setdefault(id(call), RoleRec(cid, self.b.loc(call), known=False, partial=[f"the role is imported ({name})"]))
                return True
            if self.policies.register(call, name, scope):
                roles = _arg(call, None, "roles")  # iam.Policy(..., roles=[role])
                policy = self.policies.policies.get(id(call))
                if policy is not None and roles is not None:
                    for item, iscope in self.values.items(roles, scope) or [(roles, scope)]:
                        self._attach_to(call, item, policy, iscope, fn_vars, self_vars)
                return True
        if module == "aws_kms" and (name in ("Key", "Alias") or name.startswith(("Key.from_", "Alias.from_"))):
            self.keys.add(id(call))
            return True
        return False

    def _role(self, call: cst.Call, scope: "_Scope") -> RoleRec:
        b = self.b
        cid = b._text(_arg(call, 1, "id"), scope) or "role"
        rec = RoleRec(cid, b.loc(call))
        managed = _arg(call, None, "managed_policies")
        if managed is not None:
            items = self.values.items(managed, scope)
            if items is None:
                rec.partial.append(f"managed_policies of role {cid} is not a literal list")
            for item, iscope in items or ():
                self._managed(rec, item, iscope)
        inline = _arg(call, None, "inline_policies")
        if inline is not None:
            resolved, rscope = b._resolve(inline, scope)
            if not isinstance(resolved, cst.Dict) or any(isinstance(e, cst.StarredDictElement) for e in resolved.elements):
                rec.partial.append(f"inline_policies of role {cid} is not a literal mapping")
            else:
                for key, _, value, vscope in b._mapping(resolved, rscope, 0):
                    found, partial = self.policies.document(value, vscope, f"inline policy {key} of {cid}")
                    rec.entries.extend(found)
                    rec.partial.extend(partial)
        return rec

    # -- grants ---------------------------------------------------------------------
    def _grant_read(self, call: cst.Call, method: str, recv: cst.BaseExpression, scope: "_Scope",
                    fn_vars: _Vars, self_vars: _Vars | None) -> bool:
        b = self.b
        store = self.stores.of(recv, scope)
        resolved, _ = b._resolve(recv, scope)
        is_key = id(resolved) in self.keys
        if store is None and not is_key and isinstance(resolved, cst.Call) and b.qualify(resolved.func).startswith("aws_cdk."):
            return False  # a bucket, a table, a stream … of this file: no secret read
        grantee = _arg(call, 0, "grantee")
        roles = self._targets(grantee, scope, fn_vars, self_vars)
        if roles is None:
            self._unfollowed(call, grantee)
            return True
        origin = self.values.call_origin(call)
        where = b.loc(call)
        grants: list[Grant] = []
        if store is not None and method == "grant_read":
            actions = SSM_GRANT_READ if store.service == "ssm" else SECRET_GRANT_READ
            # secret grant_read with version stages adds a VersionStage condition
            staged = store.service != "ssm" and _arg(call, 1, "version_stages") is not None
            grants.append(Grant(Statement("Allow", actions, resources=(store.grant,), has_condition=staged,
                                          source=origin, unresolved=store.widened), where, origin))
            if store.kms:
                # SSM: encryptionKey.grantDecrypt(grantee); Secrets Manager:
                # decrypt only via kms:ViaService secretsmanager.<region> (a condition)
                via_service = store.service != "ssm"
                grants.append(Grant(Statement("Allow", ("kms:Decrypt",), resources=(KMS_ANY,), has_condition=via_service,
                                              source=origin), where, origin))
        elif is_key and method in ("grant_decrypt", "grant_encrypt_decrypt"):
            grants.append(Grant(Statement("Allow", ("kms:Decrypt",), resources=(KMS_ANY,), source=origin), where, origin))
        for role in roles:
            role.entries.extend(grants)
            if store is None and not is_key:
                role.partial.append(f"{origin}: {self.values.brief(recv)} is not a parameter or secret declared in this file")
        return True

    def _attach_statement(self, role: RoleRec, node: cst.BaseExpression | None, scope: "_Scope", via: str) -> None:
        stmt = self.policies.statement_of(node, scope) if node is not None else None
        if stmt is None:
            role.partial.append(f"{via}: a statement that is not an iam.PolicyStatement of this file")
        else:
            role.entries.append((stmt, via))

    def _attach_policy(self, role: RoleRec, node: cst.BaseExpression | None, scope: "_Scope") -> None:
        policy = self.policies.policy_of(node, scope)
        if policy is None:
            role.partial.append(f"an inline policy of role {role.name or '(default)'} that is not built in this file")
        else:
            role.entries.append(policy)

    def _attach_to(self, call: cst.Call, target: cst.BaseExpression | None, policy: PolicyRec, scope: "_Scope",
                   fn_vars: _Vars, self_vars: _Vars | None) -> None:
        roles = self._targets(target, scope, fn_vars, self_vars)
        if roles is None:
            self._unfollowed(call, target)
        for role in roles or ():
            role.entries.append(policy)

    def _unfollowed(self, call: cst.Call, target: cst.BaseExpression | None) -> None:
        self.unfollowed.append(
            f"{self.values.call_origin(call)} at line {self.b.loc(call).line} grants to "
            f"{self.values.brief(target)}, which the linter cannot follow"
        )

    def _managed(self, role: RoleRec, node: cst.BaseExpression | None, scope: "_Scope") -> None:
        """`iam.ManagedPolicy.from_aws_managed_policy_name(...)` and friends."""
        b = self.b
        if node is None:
            return
        resolved, rscope = b._resolve(node, scope)
        policy = self.policies.policies.get(id(resolved))
        if policy is not None:
            role.entries.append(policy)
            return
        brief = self.values.brief
        last = _last(resolved.func) if isinstance(resolved, cst.Call) else ""
        if last == "from_aws_managed_policy_name":
            self._aws_managed(role, b._text(_arg(resolved, 0, "managed_policy_name"), rscope), resolved)  # type: ignore[arg-type]
        elif last == "from_managed_policy_arn":
            text = b._text(_arg(resolved, 2, "managed_policy_arn"), rscope)  # type: ignore[arg-type]
            if text is not None and _AWS_POLICY in text:
                self._aws_managed(role, text, resolved)  # type: ignore[arg-type]
            else:
                role.partial.append(f"customer-managed policy {text or brief(resolved)} is not read")
        elif last == "from_managed_policy_name":
            text = b._text(_arg(resolved, 2, "managed_policy_name"), rscope)  # type: ignore[arg-type]
            role.partial.append(f"customer-managed policy {text or brief(resolved)} is not read")
        else:
            role.partial.append(f"managed policy {brief(node)} is not built in this file")

    def _aws_managed(self, role: RoleRec, text: str | None, call: cst.Call) -> None:
        if text is None:
            role.partial.append(f"managed policy {self.values.brief(call)} is not static")
            return
        short = text.rsplit("/", 1)[-1]  # "service-role/AWSLambdaBasicExecutionRole", an ARN
        name = next((k for k in MANAGED_POLICIES if k.lower() == short.lower()), None)
        if name is None:
            role.partial.append(f"managed policy {short} is not modelled")
            return
        where = self.b.loc(call)
        for st in managed_policy_statements(name):
            role.entries.append(Grant(st, where, f"managed policy {name}", managed=name))

    # -- resolution -----------------------------------------------------------------
    def _role_of(self, node: cst.BaseExpression, scope: "_Scope") -> RoleRec | None:
        resolved, _ = self.b._resolve(node, scope)
        return self.roles.get(id(resolved))

    def _targets(self, node: cst.BaseExpression | None, scope: "_Scope",
                 fn_vars: _Vars, self_vars: _Vars | None, depth: int = 0) -> list[RoleRec] | None:
        """The roles a grant lands on: a function's (also through `fn.role`,
        `fn.grant_principal`, versions and aliases), a role of this file, each
        item of a literal `for` list. [] when the target is no function role
        (a user, another construct); None when it cannot be followed."""
        b = self.b
        if node is None or depth > MAX_DEPTH:
            return None
        if isinstance(node, cst.Name) and node.value in self.loop_vars:
            items, iscope = self.loop_vars[node.value]
            elements = self.values.items(items, iscope)
            if elements is None:
                return None
            out: list[RoleRec] = []
            for item, item_scope in elements:
                found = self._targets(item, item_scope, fn_vars, self_vars, depth + 1)
                if found is None:
                    return None
                out.extend(r for r in found if r not in out)
            return out
        fn = b._target_fn(node, scope, fn_vars, self_vars)
        if fn is not None:
            return [fn.role_rec] if fn.role_rec is not None else []
        if isinstance(node, cst.Attribute) and not _is_self_attr(node, cst) and node.attr.value in _PRINCIPAL_ATTRS:
            return self._targets(node.value, scope, fn_vars, self_vars, depth + 1)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "add_alias":
            return self._targets(node.func.value, scope, fn_vars, self_vars, depth + 1)
        resolved, rscope = b._resolve(node, scope)
        if resolved is not node:
            return self._targets(resolved, rscope, fn_vars, self_vars, depth + 1)
        if not isinstance(resolved, cst.Call):
            return None  # a parameter, a loop variable over a computed list …
        role = self.roles.get(id(resolved))
        if role is not None:
            return [role]
        qual = b.qualify(resolved.func)
        if qual.endswith(("aws_lambda.Alias", "aws_lambda.Version")):
            inner = _arg(resolved, None, "version") or _arg(resolved, None, "lambda_")
            return self._targets(inner, rscope, fn_vars, self_vars, depth + 1)
        return [] if qual.startswith("aws_cdk.") else None
