"""Terraform: the execution role of each function and every statement that
applies to it (docs/design/iam-linking.md §1).

`role = aws_iam_role.<r>.arn` (directly or through a local) names a role of
the module; its grants are:

- its `inline_policy { name, policy }` blocks;
- its `managed_policy_arns = [...]`;
- every `aws_iam_role_policy` whose `role` names it (`aws_iam_role.<r>.id`
  / `.name`, or its literal name);
- every `aws_iam_role_policy_attachment` (and `aws_iam_policy_attachment`
  `roles = [...]`) naming it: an AWS managed policy ARN
  (lint.iam.managed), or `aws_iam_policy.<p>.arn` (that policy's document);
  `for_each` over a literal list is expanded.

A role given as a literal ARN, a `data "aws_iam_role"`, a variable or a
module output is `known=False`. A policy or policy ARN that cannot be read
makes the role `partial`, with the reason. Grants are located where the
statement starts (policy_json.py) or at the `policy_arn =` line.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.iam.managed import is_known_managed, managed_policy_name, managed_policy_statements
from lambda_secrets_lint.model.infra import Grant, RoleFacts
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.serverless_iam import arn_fields_only
from lambda_secrets_lint.parsers.terraform.hcl import (
    HclFile,
    attr_expr,
    attributes,
    block_body,
    block_header,
    block_labels,
    blocks,
    top_body,
    traversal,
    unwrap,
)
from lambda_secrets_lint.parsers.terraform.module import Declared
from lambda_secrets_lint.parsers.terraform.policy_json import Parts, Policies
from lambda_secrets_lint.parsers.terraform.static import WIDE, PolicyRef, Static, Unknown, point

if TYPE_CHECKING:
    from tree_sitter import Node
else:
    Node = Any

__all__ = ["ROLE", "Roles"]

ROLE = "aws_iam_role"
POLICY = "aws_iam_policy"
ROLE_POLICY = "aws_iam_role_policy"
ATTACHMENT = "aws_iam_role_policy_attachment"
POLICY_ATTACHMENT = "aws_iam_policy_attachment"


class Roles:
    def __init__(self, static: Static, policies: Policies) -> None:
        self.static = static
        self.policies = policies
        self._declared: dict[str, RoleFacts] = {}

    # -- which role --------------------------------------------------------
    def for_function(self, f: HclFile, block: Node) -> RoleFacts | None:
        attr = attributes(block_body(block)).get("role")
        expr = attr_expr(attr) if attr is not None else None
        if attr is None or expr is None:
            return None
        return self.from_expr(f, expr, f.loc(attr))

    def from_expr(self, f: HclFile, expr: Node, where: Location) -> RoleFacts:
        f2, node = self.static.deref(f, expr)
        trav = traversal(f2, node)
        if trav is not None:
            head, steps = trav
            if head == ROLE and steps and steps[0] is not None:
                if (ROLE, steps[0]) in self.static.index.resources:
                    return self.declared(steps[0])
                return RoleFacts(name=f"{ROLE}.{steps[0]}", location=where, known=False,
                                 partial=f"{ROLE}.{steps[0]} is not declared in this module")
            if head == "data" and len(steps) >= 2 and steps[0] == ROLE and steps[1] is not None:
                name = f"data.{ROLE}.{steps[1]}"
                return RoleFacts(name=name, location=where, known=False,
                                 partial=f"the role is an existing role ({name}): its policies are not visible")
            if head in ("var", "module", "local") and steps and steps[0] is not None:
                return RoleFacts(name="", location=where, known=False,
                                 partial=f"the role comes from {head}.{steps[0]}: its policies are not visible")
        primary, _ = unwrap(node)
        what = "an ARN" if primary.type in ("literal_value", "template_expr") else "an expression"
        return RoleFacts(name="", location=where, known=False,
                         partial=f"the role is given as {what} the linter cannot follow: its policies are not visible")

    # -- a role of this module ---------------------------------------------
    def declared(self, name: str) -> RoleFacts:
        if name not in self._declared:
            self._declared[name] = self._read_role(name)
        return self._declared[name]

    def _read_role(self, name: str) -> RoleFacts:
        decl = self.static.index.resources[(ROLE, name)]
        f = decl.file
        label = f"{ROLE}.{name}"
        parts = Parts()
        body = block_body(decl.node)
        for block in blocks(body, "inline_policy"):
            inline = Declared(f, block)
            pname = self.static.attr(inline, "name")
            shown = pname.replace(WIDE, "*") if isinstance(pname, str) else "(unnamed)"
            parts.extend(self.policies.from_attr(inline, "policy", f"inline_policy {shown} of {label}"))
        for block in blocks(body, "dynamic"):
            if block_labels(f, block)[:1] == ["inline_policy"]:
                parts.partial.append(f"{label} has a dynamic \"inline_policy\" block")
        arns_attr = attributes(body).get("managed_policy_arns")
        if arns_attr is not None:
            value = self.static.attr(decl, "managed_policy_arns")
            where = point(f.loc(arns_attr)) or f.loc(arns_attr)
            if isinstance(value, list):
                locs = getattr(value, "locs", [None] * len(value))
                for item, loc in zip(value, locs):
                    parts.extend(self.managed(item, point(loc) or where, f"managed_policy_arns of {label}"))
            else:
                parts.partial.append(f"managed_policy_arns of {label} is not static")
        literal = self.static.attr(decl, "name")
        literal_name = literal if isinstance(literal, str) and WIDE not in literal else None
        for (rtype, rname), other in self.static.index.resources.items():
            if rtype not in (ROLE_POLICY, ATTACHMENT, POLICY_ATTACHMENT) or not self._exists(other):
                continue
            origin = f"{rtype}.{rname}"
            attr_name = "roles" if rtype == POLICY_ATTACHMENT else "role"
            instances = list(self._instances(other))
            deploy_static = self.policies.deploy_static
            deployed = list(self._instances(other, deploy_static)) if deploy_static is not None else []
            for i, (scope, item_loc) in enumerate(instances):
                target = self._names_role(other, attr_name, name, literal_name, scope)
                if target is None:
                    parts.partial.append(f"{origin} attaches a policy to a role the linter cannot determine")
                elif target and rtype == ROLE_POLICY:
                    # for_each over a variable: its items as deployed line up with the default's
                    deploy_scope = deployed[i][0] if len(deployed) == len(instances) else {}
                    parts.extend(self._role_policy(other, origin, scope, deploy_scope))
                elif target:
                    parts.extend(self._attachment(other, origin, scope, item_loc))
        for mname, call in self._module_calls():
            if re.search(rf"\b{ROLE}\.{re.escape(name)}\b", call.file.text(call.node)):
                parts.partial.append(f"{label} is passed to module.{mname}, which may attach policies to it")
        first, last = block_header(decl.node)
        return RoleFacts(
            name=label,
            location=f.loc(first, last),
            grants=tuple(parts.grants),
            partial="; ".join(dict.fromkeys(parts.partial)),
        )

    def _role_policy(self, decl: Declared, origin: str, scope: Mapping[str, object] | None,
                     deploy_scope: Mapping[str, object] | None = None) -> Parts:
        attr = attributes(block_body(decl.node)).get("policy")
        expr = attr_expr(attr) if attr is not None else None
        if attr is None or expr is None:
            return Parts()
        if scope is None:
            return self.policies.from_expr(decl.file, expr, origin, decl.file.loc(attr))
        deploy_static = self.policies.deploy_static
        if deploy_static is None:
            return self.policies.from_value(self.static.eval(decl.file, expr, scope), origin, decl.file.loc(attr))
        return self.policies.from_value(self.static.eval(decl.file, expr, scope), origin, decl.file.loc(attr),
                                        deployed=deploy_static.eval(decl.file, expr, deploy_scope or {}))

    def _names_role(self, decl: Declared, attr_name: str, role: str, literal_name: str | None,
                    scope: Mapping[str, object] | None) -> bool | None:
        """Does `role` / `roles` of a policy resource name this role? None
        when the linter cannot tell (a variable, a name computed elsewhere)."""
        attr = attributes(block_body(decl.node)).get(attr_name)
        expr = attr_expr(attr) if attr is not None else None
        if expr is None:
            return False
        f, node = self.static.deref(decl.file, expr)
        primary, postfix = unwrap(node)
        candidates = [node]
        if not postfix and primary.type == "collection_value" and primary.named_children:
            candidates = [c for c in primary.named_children[0].named_children if c.type == "expression"]
        unsure = False
        for cand in candidates:
            cf, cnode = self.static.deref(f, cand)
            trav = traversal(cf, cnode)
            if trav is not None and trav[0] == ROLE and trav[1][:1]:
                if trav[1][0] == role:
                    return True
                continue
            value = self.static.eval(cf, cnode, scope)
            if isinstance(value, str) and WIDE not in value and literal_name is not None:
                if value == literal_name:
                    return True
                continue  # a role of another name
            unsure = True
        return None if unsure else False

    def _module_calls(self) -> Iterator[tuple[str, Declared]]:
        """Module blocks of this module, except the Lambda registry module
        (it attaches nothing to a role it is given)."""
        from lambda_secrets_lint.parsers.terraform.lambda_module import is_lambda_module

        for f in self._files():
            for block in blocks(top_body(f), "module"):
                labels = block_labels(f, block)
                if len(labels) != 1:
                    continue
                decl = Declared(f, block)
                source = self.static.attr(decl, "source")
                if isinstance(source, str) and is_lambda_module(source):
                    continue
                yield labels[0], decl

    def _files(self) -> list[HclFile]:
        seen: dict[str, HclFile] = {}
        index = self.static.index
        for group in (index.resources, index.data, index.locals):
            for decl in group.values():
                seen.setdefault(decl.file.path, decl.file)
        return list(seen.values())

    def _exists(self, decl: Declared) -> bool:
        """False only for `count = 0` (or a count that evaluates to 0)."""
        count = self.static.attr(decl, "count")
        return not (isinstance(count, str) and count.strip() == "0")

    def _instances(self, decl: Declared, static: Static | None = None) -> Iterator[tuple[Mapping[str, object] | None, Location | None]]:
        """One scope per `for_each` item (each.key / each.value), or (None, None)."""
        if "for_each" not in attributes(block_body(decl.node)):
            yield None, None
            return
        value = (static or self.static).attr(decl, "for_each")
        if isinstance(value, dict):
            for key, item in value.items():
                yield {"each.key": key, "each.value": item}, getattr(value, "key_locs", {}).get(key)
        elif isinstance(value, list):
            locs = getattr(value, "locs", [None] * len(value))
            for item, loc in zip(value, locs):
                yield {"each.key": item, "each.value": item}, loc
        else:
            yield {}, None  # each.* unknown: what uses it is reported as not static

    # -- policy ARNs -------------------------------------------------------
    def _attachment(self, decl: Declared, origin: str, scope: Mapping[str, object] | None, item_loc: Location | None) -> Parts:
        attr = attributes(block_body(decl.node)).get("policy_arn")
        expr = attr_expr(attr) if attr is not None else None
        if attr is None or expr is None:
            return Parts()
        where = point(decl.file.loc(attr)) or decl.file.loc(attr)
        value = self.static.eval(decl.file, expr, scope)
        # for_each over ARNs: the grant is the item that names the policy
        return self.managed(value, (point(item_loc) or where) if scope and _uses_each(decl.file, expr) else where, origin)

    def managed(self, value: object, where: Location, label: str) -> Parts:
        """A policy ARN: an AWS managed policy, or an aws_iam_policy of the module."""
        if isinstance(value, PolicyRef):
            decl = self.static.index.resources.get((POLICY, value.name))
            if decl is None:
                return Parts(partial=[f"{POLICY}.{value.name} ({label}) is not declared in this module"])
            if not self._exists(decl):
                return Parts()
            return self.policies.from_attr(decl, "policy", f"{POLICY}.{value.name}")
        if isinstance(value, str):
            if WIDE in value and not arn_fields_only(value):
                return Parts(partial=[f"the policy ARN in {label} is not static"])
            text = value.replace(WIDE, "*")
            name = managed_policy_name(text)
            if not is_known_managed(text):
                return Parts(partial=[f"managed policy {name} ({label}) is not modelled"])
            return Parts(grants=[Grant(st, where, f"managed policy {name}", managed=name) for st in managed_policy_statements(text)])
        if isinstance(value, Unknown):
            return Parts(partial=[f"the policy ARN in {label} is not static ({value.reason})"])
        if value is None:
            return Parts()
        return Parts(partial=[f"the policy ARN in {label} is not static"])


def _uses_each(f: HclFile, expr: Node) -> bool:
    return re.search(r"\beach\.(value|key)\b", f.text(expr)) is not None
