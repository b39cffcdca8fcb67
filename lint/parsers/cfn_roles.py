"""CloudFormation / SAM: each function's execution role and the statements
that apply to it, and the parameters and secrets a template declares.

A role's grants come from its inline `Policies`, its `ManagedPolicyArns`
(AWS managed policies known by name, or an `AWS::IAM::ManagedPolicy` of the
same template), and every `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy`
whose `Roles` names it. A SAM function without `Role` gets a generated role
(`<FunctionId>Role`) from `Policies` (managed names, policy templates,
inline documents; SAM rejects `Role` and `Policies` under Globals).
Whatever cannot be read makes the role `partial` or unknown, never guessed.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from lambda_secrets_lint.iam.managed import is_known_managed, managed_policy_name, managed_policy_statements
from lambda_secrets_lint.iam.policy import Statement, resolve_value, statements_from_document
from lambda_secrets_lint.iam.sam_templates import SAM_TEMPLATES, expand_sam_policy
from lambda_secrets_lint.model.infra import Grant, RoleFacts, SecretStore
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.parsers.intrinsics import TemplateContext, resource_ref_text
from lambda_secrets_lint.parsers.nodes import PosDict, PosList

ROLE = "AWS::IAM::Role"
POLICY_TYPES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
SAM_FUNCTION = "AWS::Serverless::Function"
_KMS_ANY = "arn:*:kms:*:*:key/*"


def _dict(node: object) -> Mapping[str, object]:
    return node if isinstance(node, dict) else {}


def _items(node: object) -> Iterator[tuple[object, Span | None]]:
    """List items with their spans; a single value counts as a one-item list."""
    if isinstance(node, PosList):
        for i, item in enumerate(node):
            yield item, node.item_spans[i] if i < len(node.item_spans) else None
    elif isinstance(node, list):
        for item in node:
            yield item, None
    elif node is not None:
        yield node, None


def iam_context(ctx: TemplateContext, *, with_defaults: bool = True) -> dict[str, str]:
    """Values for Ref/Sub/GetAtt inside policies: pseudo parameters are
    unknown (`*`) but not "unresolved"; parameters with a Default take it;
    parameter and secret resources resolve to their name / ARN glob.
    `with_defaults=False` leaves template parameters unknown: what a grant
    may allow once the stack is deployed with other parameter values."""
    out: dict[str, str] = {"AWS::Region": "*", "AWS::AccountId": "*", "AWS::Partition": "*", "AWS::URLSuffix": "*",
                           "AWS::StackName": "*", "AWS::StackId": "*"}
    if with_defaults:
        for name, param in ctx.parameters.items():
            if param.default is not None and not param.is_ssm_type:
                out[name] = param.default
    for logical_id, rtype in ctx.resource_types.items():
        text = resource_ref_text(logical_id, ctx)
        if text is not None:
            out[logical_id] = text
            if rtype == "AWS::SecretsManager::Secret":
                out[f"{logical_id}.Id"] = text
        elif rtype == "AWS::KMS::Key":
            out[logical_id] = "*"
            out[f"{logical_id}.Arn"] = _KMS_ANY
    return out


def _aws_managed_key(key: object) -> bool:
    """No key, or the AWS-managed `aws/ssm` / `aws/secretsmanager` key, which
    every principal in the account may use through the service: no kms grant
    is needed (REFERENCE.md §C)."""
    if key is None:
        return True
    return isinstance(key, str) and (key.startswith("alias/aws/") or ":alias/aws/" in key)


def with_deploy_resources(statements: tuple[Statement, ...], deployed: tuple[Statement, ...]) -> tuple[Statement, ...]:
    """Each statement (parameters at their Default) with the resources it has
    when parameters are unknown, where they differ."""
    if len(statements) != len(deployed):
        return statements
    return tuple(
        st if other.resources == st.resources or len(other.resources) != len(st.resources)
        else replace(st, any_resources=other.resources)
        for st, other in zip(statements, deployed)
    )


class RoleReader:
    """Reads roles for the functions of one template."""

    def __init__(self, path: str, resources: Mapping[str, object], ctx: TemplateContext) -> None:
        self.path = path
        self.resources = resources
        self.ctx = ctx
        self.context = iam_context(ctx)
        self.deploy_context = iam_context(ctx, with_defaults=False)
        self._attached = self._attached_policies()

    def loc(self, span: Span | None, fallback: Span) -> Location:
        return Location(self.path, span or fallback)

    # ---------------------------------------------------------------- functions

    def role_of(self, logical_id: str, body: Mapping[str, object], fn_span: Span) -> RoleFacts:
        props = _dict(body.get("Properties"))
        rtype = body.get("Type")
        role = props.get("Role")  # SAM's Globals cannot hold Role or Policies
        if role is not None:
            role_id = self._role_logical_id(role)
            if role_id is None:
                return RoleFacts(name="", location=self.loc(self._value_span(props, "Role"), fn_span), known=False,
                                 partial="the role is given as an ARN or parameter the linter cannot see")
            return self._explicit_role(role_id)
        if rtype == SAM_FUNCTION:
            return self._sam_generated(logical_id, body, props, fn_span)
        return RoleFacts(name="", location=None, known=False, partial="the function has no Role property")

    def _value_span(self, container: object, key: str) -> Span | None:
        return container.value_spans.get(key) if isinstance(container, PosDict) else None

    def _role_logical_id(self, node: object) -> str | None:
        if isinstance(node, dict) and len(node) == 1:
            ((fn, arg),) = node.items()
            target: object = None
            if fn == "Fn::GetAtt":
                target = arg.split(".", 1)[0] if isinstance(arg, str) else (arg[0] if isinstance(arg, list) and arg else None)
            elif fn == "Ref":
                target = arg
            elif fn == "Fn::Sub" and isinstance(arg, str):
                for rid, rtype in self.ctx.resource_types.items():
                    if rtype == ROLE and ("${" + rid + "}" in arg or "${" + rid + ".Arn}" in arg):
                        return rid
            if isinstance(target, str) and self.ctx.resource_types.get(target) == ROLE:
                return target
        return None

    # ---------------------------------------------------------------- explicit roles

    def _explicit_role(self, role_id: str) -> RoleFacts:
        resources = self.resources
        body = _dict(resources.get(role_id))
        props = _dict(body.get("Properties"))
        key_span = resources.key_spans.get(role_id) if isinstance(resources, PosDict) else None
        role_loc = self.loc(key_span, Span.point(1))
        grants: list[Grant] = []
        partial: list[str] = []
        for policy, _ in _items(props.get("Policies")):
            pname = _dict(policy).get("PolicyName")
            grants.extend(self._document(_dict(policy).get("PolicyDocument"), f"inline policy {pname if isinstance(pname, str) else ''} of {role_id}".replace("  ", " ")))
        container = props.get("ManagedPolicyArns")
        for arn, span in _items(container):
            self._managed(arn, self.loc(span, role_loc.span), grants, partial)
        for policy_id in self._attached.get(role_id, ()):
            grants.extend(self._policy_resource(policy_id))
        return RoleFacts(name=role_id, location=role_loc, grants=tuple(grants), partial="; ".join(partial))

    def _attached_policies(self) -> dict[str, list[str]]:
        """role logical id -> AWS::IAM::Policy / ManagedPolicy logical ids whose Roles name it."""
        out: dict[str, list[str]] = {}
        for pid, body in self.resources.items():
            body_d = _dict(body)
            if body_d.get("Type") not in POLICY_TYPES:
                continue
            for role, _ in _items(_dict(body_d.get("Properties")).get("Roles")):
                if isinstance(role, dict) and set(role) == {"Ref"} and isinstance(role["Ref"], str):
                    out.setdefault(role["Ref"], []).append(str(pid))
        return out

    def _policy_resource(self, policy_id: str) -> list[Grant]:
        body = _dict(self.resources.get(policy_id))
        doc = _dict(body.get("Properties")).get("PolicyDocument")
        kind = "managed policy" if body.get("Type") == "AWS::IAM::ManagedPolicy" else "policy"
        return self._document(doc, f"{kind} {policy_id}")

    def _document(self, doc: object, origin: str) -> list[Grant]:
        statements = _dict(doc).get("Statement")
        grants: list[Grant] = []
        for item, span in _items(statements):
            fallback = getattr(doc, "span", Span.point(1))
            statements = statements_from_document([item], source=origin, context=self.context)
            deployed = statements_from_document([item], source=origin, context=self.deploy_context)
            for st in with_deploy_resources(statements, deployed):
                grants.append(Grant(st, self.loc(span, fallback), origin))
        return grants

    def _managed(self, arn: object, where: Location, grants: list[Grant], partial: list[str]) -> None:
        text, widened = resolve_value(arn, self.context)
        if isinstance(arn, dict) and set(arn) == {"Ref"} and self.ctx.resource_types.get(str(arn["Ref"])) == "AWS::IAM::ManagedPolicy":
            grants.extend(Grant(g.statement, where, g.origin) for g in self._policy_resource(str(arn["Ref"])))
            return
        name = managed_policy_name(text)
        if not widened and is_known_managed(text):
            for st in managed_policy_statements(text):
                grants.append(Grant(st, where, f"managed policy {name}", managed=name))
            return
        partial.append(f"managed policy {name if not widened else '(not static)'} is not modelled")

    # ---------------------------------------------------------------- SAM generated role

    def _sam_generated(self, logical_id: str, body: Mapping[str, object], props: Mapping[str, object], fn_span: Span) -> RoleFacts:
        grants: list[Grant] = []
        partial: list[str] = []
        fn_loc = self.loc(fn_span, fn_span)
        entries: list[tuple[object, Location]] = []
        source = props.get("Policies")
        value_span = self._value_span(props, "Policies")
        if isinstance(source, dict) and "Statement" in source:
            entries.append((source, self.loc(value_span, fn_span)))  # one inline document, not a list
        elif isinstance(source, str):
            entries.append((source, self.loc(value_span, fn_span)))  # one managed policy
        elif isinstance(source, list):
            for item, span in _items(source):
                entries.append((item, self.loc(span, fn_span)))
        for entry, where in entries:
            self._sam_entry(entry, where, grants, partial)
        for policy_id in self._attached.get(f"{logical_id}Role", ()):
            grants.extend(self._policy_resource(policy_id))
        policies_span = props.key_spans.get("Policies") if isinstance(props, PosDict) else None
        return RoleFacts(name="", location=self.loc(policies_span, fn_span), grants=tuple(grants), partial="; ".join(partial))

    def _sam_entry(self, entry: object, where: Location, grants: list[Grant], partial: list[str]) -> None:
        if isinstance(entry, str) or (isinstance(entry, dict) and len(entry) == 1 and next(iter(entry)) in ("Ref", "Fn::Sub", "Fn::Join", "Fn::GetAtt")):
            self._managed(entry, where, grants, partial)
            return
        if isinstance(entry, dict) and "Statement" in entry:
            grants.extend(self._document(entry, "inline policy in Policies"))
            return
        if isinstance(entry, dict) and len(entry) == 1:
            name = str(next(iter(entry)))
            if name in SAM_TEMPLATES:
                statements = expand_sam_policy(entry, self.context)
                deployed = expand_sam_policy(entry, self.deploy_context)
                for st in with_deploy_resources(statements, deployed):
                    grants.append(Grant(st, where, f"SAM policy template {name}"))
            # Other SAM policy templates (DynamoDBCrudPolicy, S3ReadPolicy,
            # SQSSendMessagePolicy …) grant no parameter or secret reads.
            return
        partial.append("a Policies entry the linter cannot read")

    # ---------------------------------------------------------------- stores

    def stores(self) -> tuple[SecretStore, ...]:
        out: list[SecretStore] = []
        for logical_id, body in self.resources.items():
            body_d = _dict(body)
            rtype = body_d.get("Type")
            if rtype not in ("AWS::SSM::Parameter", "AWS::SecretsManager::Secret"):
                continue
            props = _dict(body_d.get("Properties"))
            span = self.resources.key_spans.get(logical_id) if isinstance(self.resources, PosDict) else None
            text = resource_ref_text(str(logical_id), self.ctx) or "*"
            kms = "" if _aws_managed_key(props.get("KmsKeyId")) else _KMS_ANY
            service = "ssm" if rtype == "AWS::SSM::Parameter" else "secretsmanager"
            out.append(SecretStore(service, text, self.loc(span, Span.point(1)), ref=str(logical_id), kms_key=kms))
        return tuple(out)
