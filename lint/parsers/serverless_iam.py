"""Serverless Framework IAM: each function's execution role and the secrets
the service declares (REFERENCE.md §F; docs/design/iam-linking.md §1).

Roles, in the framework's own order of precedence:
- `functions.<f>.role` (an ARN, a logical id, `Fn::GetAtt`), else the
  deprecated `provider.role`, else `provider.iam.role` given as a string or
  intrinsic: an existing role. A logical id of an `AWS::IAM::Role` declared
  under `resources.Resources` is read (inline `Policies`, `ManagedPolicyArns`,
  `AWS::IAM::Policy`/`ManagedPolicy` resources naming it); anything else is
  `known=False`.
- plugin serverless-iam-roles-per-function listed and the function has
  `iamRoleStatements` (even `[]`): the plugin gives the function its OWN role
  holding those statements, plus the provider's statements only when
  `iamRoleStatementsInherit: true` (or `custom.serverless-iam-roles-per-function.
  defaultInherit` and not `false`). The provider's managed policies are not
  copied (plugin src/lib/index.ts `createRoleForFunction`).
- otherwise the default role `IamRoleLambdaExecution`: `provider.iam.role.
  statements` (else the legacy `provider.iamRoleStatements`) and
  `provider.iam.role.managedPolicies` (else `iamManagedPolicies`) — the
  "else" is the framework's (merge-iam-templates.js), not a union.

Serverless resolves its `${…}` variables in the whole file before
CloudFormation sees it, Fn::Sub strings included. A variable whose value is
chosen at deploy time (`${sls:stage}`, `${opt:…}`, `${env:…}`, `${aws:region}`)
becomes `*`. When such a `*` lands anywhere but an ARN's partition, region
or account field the statement is `unresolved` (a stage-sized hole in a
name must not read as "every secret" to LSL302).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from lambda_secrets_lint.iam.managed import is_known_managed, managed_policy_name, managed_policy_statements
from lambda_secrets_lint.iam.policy import Statement, resolve_value, statements_from_document
from lambda_secrets_lint.model.infra import Grant, RoleFacts, SecretStore
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.parsers.cfn_roles import iam_context
from lambda_secrets_lint.parsers.intrinsics import TemplateContext, resource_ref_text
from lambda_secrets_lint.parsers.nodes import PosDict, PosList

__all__ = ["PER_FUNCTION_PLUGIN", "SECRET", "SSM_PARAMETER", "WIDE", "ServerlessIam", "VariableResolver", "declared_names"]

# Stands for a part of a string that a variable leaves unknown; becomes `*`
# once we know where in the string it sits.
WIDE = "\x02"
PER_FUNCTION_PLUGIN = "serverless-iam-roles-per-function"
SSM_PARAMETER = "AWS::SSM::Parameter"
SECRET = "AWS::SecretsManager::Secret"
_ROLE = "AWS::IAM::Role"
_POLICY_TYPES = frozenset({"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"})
_MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
_ROLE_POLICY = "AWS::IAM::RolePolicy"
# The logical id the framework gives the role it creates (naming.getRoleLogicalId).
DEFAULT_ROLE = "IamRoleLambdaExecution"
# Fn::Sub's own pseudo parameters: they only decide the ARN's partition,
# region and account, which never narrow a grant (lint.iam.policy).
_PSEUDO = {"AWS::Region": "*", "AWS::AccountId": "*", "AWS::Partition": "*"}
_WHOLE_SELF = re.compile(r"^\$\{self:([^${}]+)\}$")
_AWS_MANAGED_KEYS = frozenset({"alias/aws/secretsmanager", "alias/aws/ssm"})
_MAX_DEPTH = 10


class VariableResolver(Protocol):
    """What the serverless.yml variable resolver offers this module."""

    def glob(self, text: str, *, sub: bool = False) -> str:
        """`text` with its variables resolved; WIDE where unknown. sub=True:
        CloudFormation's own `${AWS::Region}` / `${Logical.Attr}` stay as written."""
        ...

    def lookup(self, address: str) -> tuple[bool, object]:
        """The node at `self:<address>`."""
        ...


def _dict(node: object) -> Mapping[str, object]:
    return node if isinstance(node, dict) else {}


def _span(container: object, key: object) -> Span:
    if isinstance(container, PosDict) and key in container.key_spans:
        return container.key_spans[key]
    if isinstance(container, PosList) and isinstance(key, int) and key < len(container.item_spans):
        return container.item_spans[key]
    return getattr(container, "span", Span.point(1))


def arn_fields_only(text: str) -> bool:
    """Every WIDE of `text` sits in an ARN's partition, region or account."""
    if WIDE not in text:
        return True
    parts = text.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and all(WIDE not in p for i, p in enumerate(parts) if i not in (1, 3, 4))


def declared_names(resources: Mapping[str, object], resolver: VariableResolver) -> dict[str, str]:
    """`Name` of each declared parameter/secret with its variables resolved
    (serverless does that before CloudFormation sees the template)."""
    out: dict[str, str] = {}
    for lid, body in resources.items():
        body_d = _dict(body)
        node = _dict(body_d.get("Properties")).get("Name")
        if body_d.get("Type") in (SSM_PARAMETER, SECRET) and node is not None:
            value, _ = resolve_value(_materialize(node, resolver), _PSEUDO)
            out[str(lid)] = value.replace(WIDE, "*")
    return out


def _materialize(node: object, resolver: VariableResolver, *, sub: bool = False, depth: int = 0) -> object:
    """`node` with serverless variables resolved: a string that is only
    `${self:x}` becomes the node it names (a list of statements, a
    statement); other strings become globs with WIDE for unknown parts."""
    if depth > _MAX_DEPTH:
        return WIDE
    if isinstance(node, str):
        target = _whole_self(node, resolver)
        if target is not None:
            return _materialize(target, resolver, depth=depth + 1)
        return resolver.glob(node, sub=sub)
    if isinstance(node, list):
        return [_materialize(item, resolver, depth=depth + 1) for item in node]
    if isinstance(node, dict):
        if len(node) == 1 and "Fn::Sub" in node:
            arg = node["Fn::Sub"]
            if isinstance(arg, list) and arg:
                return {"Fn::Sub": [_materialize(arg[0], resolver, sub=True, depth=depth + 1),
                                    *(_materialize(a, resolver, depth=depth + 1) for a in arg[1:])]}
            return {"Fn::Sub": _materialize(arg, resolver, sub=True, depth=depth + 1)}
        return {k: _materialize(v, resolver, depth=depth + 1) for k, v in node.items()}
    return node


def _whole_self(text: str, resolver: VariableResolver) -> object | None:
    """The list/mapping a whole-string `${self:x}` names (positions kept)."""
    m = _WHOLE_SELF.match(text.strip())
    if not m:
        return None
    found, node = resolver.lookup(m.group(1).strip())
    return node if found and isinstance(node, (list, dict)) else None


@dataclass(frozen=True, slots=True)
class _Statements:
    grants: tuple[Grant, ...]
    partial: tuple[str, ...]


class ServerlessIam:
    """Roles and stores of one serverless.yml. `ctx` is the intrinsics
    context with declared names already resolved (see `declared_names`)."""

    def __init__(self, path: str, doc: Mapping[str, object], resolver: VariableResolver, ctx: TemplateContext) -> None:
        self.path = path
        self.doc = doc
        self.resolver = resolver
        self.ctx = ctx
        self.provider = _dict(doc.get("provider"))
        self.resources = _dict(_dict(doc.get("resources")).get("Resources"))
        # Ref/Sub values inside policies: the same table CloudFormation
        # templates use (pseudo parameters `*`, parameter names, secret ARNs).
        self.context = iam_context(ctx)
        self._provider_role: RoleFacts | None = None

    # ------------------------------------------------------------- resources

    def stores(self) -> tuple[SecretStore, ...]:
        out: list[SecretStore] = []
        for lid, body in self.resources.items():
            rtype = _dict(body).get("Type")
            if rtype not in (SSM_PARAMETER, SECRET):
                continue
            # as the CloudFormation reader does: a parameter's name, a secret's ARN glob
            name = resource_ref_text(str(lid), self.ctx) or "*"
            out.append(
                SecretStore(
                    service="ssm" if rtype == SSM_PARAMETER else "secretsmanager",
                    name=name,
                    location=Location(self.path, _span(self.resources, lid)),
                    ref=str(lid),
                    kms_key=self._kms_key(_dict(_dict(body).get("Properties")).get("KmsKeyId")),
                )
            )
        return tuple(out)

    def _kms_key(self, node: object) -> str:
        if node is None:
            return ""
        if isinstance(node, str):
            text = self.resolver.glob(node)
            if text in _AWS_MANAGED_KEYS:
                return ""  # the AWS-managed key grants Decrypt to the whole account
            if WIDE not in text and text.startswith("arn:") and ":key/" in text:
                return text
        # a key id, an alias, a Ref/GetAtt of a key: some customer-managed key
        return "arn:*:kms:*:*:key/*"

    # ------------------------------------------------------------- variables

    def materialize(self, node: object) -> object:
        return _materialize(node, self.resolver)

    def _positioned(self, node: object, depth: int = 0) -> object:
        """Follow whole-string `${self:x}` references, keeping the target's
        own positions (a statement list under `custom:`)."""
        while isinstance(node, str) and depth < _MAX_DEPTH:
            target = _whole_self(node, self.resolver)
            if target is None:
                return node
            node, depth = target, depth + 1
        return node

    # ------------------------------------------------------------- statements

    def statements(self, node: object, where: str) -> _Statements:
        """Grants for a statement list (`iam.role.statements`,
        `iamRoleStatements`, a PolicyDocument's `Statement`)."""
        node = self._positioned(node)
        if isinstance(node, dict):
            node_list: list[object] = [node]
            spans = [getattr(node, "span", Span.point(1))]
        elif isinstance(node, list):
            node_list = list(node)
            spans = [_span(node, i) for i in range(len(node))]
        else:
            return _Statements((), (f"{where} is not written in this file",))
        grants: list[Grant] = []
        partial: list[str] = []
        for i, (item, span) in enumerate(zip(node_list, spans)):
            item = self._positioned(item)
            if not isinstance(item, dict):
                partial.append(f"statement {i + 1} of {where} is not written in this file")
                continue
            found = statements_from_document([self.materialize(item)], source=f"serverless:{where}", context=self.context)
            if not found:  # e.g. `Effect: ${file(…)}`: an unreadable statement may allow anything
                partial.append(f"statement {i + 1} of {where} has no literal Effect")
            for st in found:
                grants.append(Grant(self._finish(st), Location(self.path, span), f"statement {i + 1} of {where}"))
        return _Statements(tuple(grants), tuple(partial))

    @staticmethod
    def _finish(st: Statement) -> Statement:
        """Turn WIDE into `*`; a hole outside an ARN's account/region makes the
        statement `unresolved` (LSL302 then stays silent about it)."""
        targets = st.resources + st.not_resources
        unresolved = st.unresolved or not all(arn_fields_only(r) for r in targets)

        def clean(values: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(v.replace(WIDE, "*") for v in values)

        return replace(
            st,
            actions=clean(st.actions),
            not_actions=clean(st.not_actions),
            resources=clean(st.resources),
            not_resources=clean(st.not_resources),
            unresolved=unresolved,
        )

    def managed(self, node: object, where: str) -> _Statements:
        """Grants for a managed policy ARN list; unknown ones make the role partial."""
        node = self._positioned(node)
        if not isinstance(node, list):
            return _Statements((), (f"{where} is not written in this file",))
        grants: list[Grant] = []
        partial: list[str] = []
        for i, entry in enumerate(node):
            declared = self._declared_managed_policy(entry)
            if declared is not None:
                part = self.statements(_dict(_dict(declared[1]).get("PolicyDocument")).get("Statement"), f"policy {declared[0]}")
                grants.extend(part.grants)
                partial.extend(part.partial)
                continue
            arn, widened = resolve_value(self.materialize(entry), _PSEUDO)
            arn = arn.replace(WIDE, "*")
            location = Location(self.path, _span(node, i))
            name = managed_policy_name(arn)
            if widened or not is_known_managed(arn):
                partial.append(f"managed policy {name} in {where} is not modelled")
                continue
            for st in managed_policy_statements(arn):
                grants.append(Grant(st, location, f"managed policy {name}", managed=name))
        return _Statements(tuple(grants), tuple(partial))

    def _declared_managed_policy(self, entry: object) -> tuple[str, object] | None:
        """`!Ref P` of an AWS::IAM::ManagedPolicy in resources.Resources (Ref is its ARN)."""
        ref = entry.get("Ref") if isinstance(entry, dict) and len(entry) == 1 else None
        body = _dict(self.resources.get(ref)) if isinstance(ref, str) else {}
        return (str(ref), body.get("Properties")) if body.get("Type") == _MANAGED_POLICY else None

    def attached(self, logical_id: str) -> list[_Statements]:
        """Policies declared as their own resources that name the role:
        AWS::IAM::Policy / ManagedPolicy `Roles: [!Ref R]`, RolePolicy `RoleName: !Ref R`."""
        out: list[_Statements] = []
        for pid, pbody in self.resources.items():
            pbody_d = _dict(pbody)
            rtype = pbody_d.get("Type")
            props = _dict(pbody_d.get("Properties"))
            roles = props.get("Roles")
            if rtype in _POLICY_TYPES and isinstance(roles, list):
                names = any(_is_ref(r, logical_id) for r in roles)
            elif rtype == _ROLE_POLICY:
                names = _is_ref(props.get("RoleName"), logical_id)
            else:
                continue
            if names:
                out.append(self.statements(_dict(props.get("PolicyDocument")).get("Statement"), f"policy {pid}"))
        return out

    # ------------------------------------------------------------- roles

    def role_for(self, function: str, body: Mapping[str, object]) -> RoleFacts:
        if "role" in body:
            if body["role"] == DEFAULT_ROLE and self._creates_default_role():
                return self.provider_role()  # the framework's own role, named explicitly
            return self._existing_role(body["role"], Location(self.path, _span(body, "role")))
        if self._per_function_plugin() and "iamRoleStatements" in body:
            return self._plugin_role(function, body)
        return self.provider_role()

    def _creates_default_role(self) -> bool:
        role = _dict(self.provider.get("iam")).get("role")
        return "role" not in self.provider and (role is None or (isinstance(role, dict) and not _is_intrinsic(role)))

    def provider_role(self) -> RoleFacts:
        if self._provider_role is None:
            self._provider_role = self._build_provider_role()
        return self._provider_role

    def _build_provider_role(self) -> RoleFacts:
        provider = self.provider
        iam = _dict(provider.get("iam"))
        if "role" in provider:  # deprecated provider.role: no default role is created
            return self._existing_role(provider["role"], Location(self.path, _span(provider, "role")))
        role = iam.get("role")
        if role is not None and (not isinstance(role, dict) or _is_intrinsic(role)):
            return self._existing_role(role, Location(self.path, _span(iam, "role")))
        role_d = _dict(role)
        parts: list[_Statements] = []
        if "statements" in role_d:
            parts.append(self.statements(role_d["statements"], "provider.iam.role.statements"))
        elif "iamRoleStatements" in provider:
            parts.append(self.statements(provider["iamRoleStatements"], "provider.iamRoleStatements"))
        if "managedPolicies" in role_d:
            parts.append(self.managed(role_d["managedPolicies"], "provider.iam.role.managedPolicies"))
        elif "iamManagedPolicies" in provider:
            parts.append(self.managed(provider["iamManagedPolicies"], "provider.iamManagedPolicies"))
        parts.extend(self.attached(DEFAULT_ROLE))
        return RoleFacts(
            name="provider.iam.role",
            location=self._provider_location(),
            grants=tuple(g for p in parts for g in p.grants),
            partial="; ".join(r for p in parts for r in p.partial),
        )

    def _provider_location(self) -> Location:
        provider = self.provider
        for key in ("iam", "iamRoleStatements", "iamManagedPolicies"):
            if key in provider:
                return Location(self.path, _span(provider, key))
        return Location(self.path, _span(self.doc, "provider"))

    def _per_function_plugin(self) -> bool:
        plugins = self.doc.get("plugins")
        if isinstance(plugins, dict):  # {localPath: …, modules: [...]}
            plugins = plugins.get("modules")
        return isinstance(plugins, list) and PER_FUNCTION_PLUGIN in plugins

    def _inherits(self, body: Mapping[str, object]) -> bool:
        own = body.get("iamRoleStatementsInherit")
        settings = _dict(_dict(self.doc.get("custom")).get(PER_FUNCTION_PLUGIN))
        return own is True or (settings.get("defaultInherit") is True and own is not False)

    def _plugin_role(self, function: str, body: Mapping[str, object]) -> RoleFacts:
        where = f"functions.{function}.iamRoleStatements"
        parts = [self.statements(body["iamRoleStatements"], where)] if body["iamRoleStatements"] else []
        if self._inherits(body):
            # The plugin copies provider.iam.role.statements when provider.iam
            # exists at all, else the legacy provider.iamRoleStatements.
            provider = self.provider
            if "iam" in provider:
                node = _dict(_dict(provider["iam"]).get("role")).get("statements")
                if node is not None:
                    parts.append(self.statements(node, "provider.iam.role.statements"))
            elif "iamRoleStatements" in provider:
                parts.append(self.statements(provider["iamRoleStatements"], "provider.iamRoleStatements"))
        return RoleFacts(
            name=f"{function}-role",
            location=Location(self.path, _span(body, "iamRoleStatements")),
            grants=tuple(g for p in parts for g in p.grants),
            partial="; ".join(r for p in parts for r in p.partial),
        )

    def _existing_role(self, node: object, where: Location) -> RoleFacts:
        """`role:` — an ARN (imported: unknown) or a logical id / GetAtt of a
        role declared under resources.Resources (read when it is an AWS::IAM::Role)."""
        logical_id = None
        if isinstance(node, str):
            text = self.resolver.glob(node)
            logical_id = None if WIDE in text or text.startswith("arn:") else text
        elif isinstance(node, dict) and "Fn::GetAtt" in node:
            arg = node["Fn::GetAtt"]
            logical_id = arg[0] if isinstance(arg, list) and arg and isinstance(arg[0], str) else (
                arg.split(".", 1)[0] if isinstance(arg, str) else None)
        body = _dict(self.resources.get(logical_id)) if logical_id else {}
        if not logical_id or body.get("Type") != _ROLE:
            why = (f"the role {logical_id} is not declared in this file" if logical_id
                   else "the role is an existing role: an ARN or an expression the linter cannot read")
            return RoleFacts(name=logical_id or "", location=where, known=False, partial=why)
        return self._declared_role(logical_id, body)

    def _declared_role(self, logical_id: str, body: Mapping[str, object]) -> RoleFacts:
        props = _dict(body.get("Properties"))
        parts: list[_Statements] = []
        policies = props.get("Policies")
        for policy in policies if isinstance(policies, list) else []:
            pname = _dict(policy).get("PolicyName")
            document = _dict(_dict(policy).get("PolicyDocument"))
            parts.append(self.statements(document.get("Statement"), f"inline policy {pname} of {logical_id}"))
        if "ManagedPolicyArns" in props:
            parts.append(self.managed(props["ManagedPolicyArns"], f"ManagedPolicyArns of {logical_id}"))
        parts.extend(self.attached(logical_id))
        return RoleFacts(
            name=logical_id,
            location=Location(self.path, _span(self.resources, logical_id)),
            grants=tuple(g for p in parts for g in p.grants),
            partial="; ".join(r for p in parts for r in p.partial),
        )


def _is_intrinsic(node: object) -> bool:
    return isinstance(node, dict) and len(node) == 1 and any(k == "Ref" or k.startswith("Fn::") for k in node)


def _is_ref(node: object, logical_id: str) -> bool:
    return isinstance(node, dict) and len(node) == 1 and node.get("Ref") == logical_id
