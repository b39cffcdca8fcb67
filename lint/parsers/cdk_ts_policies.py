"""CDK TS/JS: IAM statements and policies built in a stack file, read into
the role they are attached to (docs/design/iam-linking.md §1, REFERENCE.md
§D.2, §D.3).

cdk_ts_iam.py finds where a statement or policy reaches a role (`initialPolicy`,
`addToRolePolicy`, `inlinePolicies`, `managedPolicies`, `attachInlinePolicy`,
`new iam.Policy({ roles })` …); this module reads what it grants:

- `new iam.PolicyStatement({ effect, actions, resources, conditions })`
  (literal lists; a resource token such as `param.parameterArn` takes its
  runtime text, an unknown part is `*` and makes the statement
  `unresolved`), `PolicyStatement.fromJson({...})`, and the statement
  mutations made after it is built (`st.addActions(...)`, `addResources`,
  `addCondition` …).
- `new iam.PolicyDocument({ statements })` / `PolicyDocument.fromJson`,
  `new iam.Policy` / `new iam.ManagedPolicy` with `statements` or `document`
  (and `policy.addStatements(...)`).
- Managed policies: `ManagedPolicy.fromAwsManagedPolicyName` /
  `fromManagedPolicyArn` of a modelled AWS managed policy give its
  statements; a customer-managed or unmodelled one is a reason for `partial`.

What cannot be read is a reason for the role to be `partial`, never a guess.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.iam.managed import MANAGED_POLICIES, managed_policy_name
from lambda_secrets_lint.iam.policy import Statement, statements_from_document
from lambda_secrets_lint.model.infra import Grant
from lambda_secrets_lint.parsers.js.text import key_text, unwrap

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

    from lambda_secrets_lint.parsers.cdk_ts import _Builder
    from lambda_secrets_lint.parsers.cdk_ts_iam import _Role
    from lambda_secrets_lint.parsers.cdk_ts_values import ValueReader

__all__ = ["PolicyReader"]


class PolicyReader:
    def __init__(self, b: "_Builder", values: "ValueReader") -> None:
        self.b = b
        self.values = values
        self.mutations = self._mutations()

    def managed_call(self, expr: "Node") -> bool:
        return expr.type == "call_expression" and self.values.method(expr) in (
            "fromAwsManagedPolicyName", "fromManagedPolicyArn", "fromManagedPolicyName")

    # -- statements ---------------------------------------------------------

    def add_statement(self, acc: "_Role", node: "Node", origin: str) -> None:
        found = self._statements(node, origin)
        if isinstance(found, str):
            acc.partial.append(found)
            return
        acc.grants.extend(found)

    def _statements(self, node: "Node", origin: str) -> list[Grant] | str:
        """The statement(s) a `new iam.PolicyStatement(...)` / `PolicyStatement.fromJson`
        expression is (through variables); a reason string when not readable."""
        b = self.b
        values = self.values
        expr = values.resolved(node)
        loc = b.src.location(expr)
        if expr.type == "call_expression":
            args = b._args(expr)
            if values.method(expr) == "fromJson" and args:
                doc = values.json(args[0], 0)
                if isinstance(doc, dict):
                    return [Grant(st, loc, origin) for st in statements_from_document([doc], source="cdk")]
            return f"{origin}: the statement is not a literal PolicyStatement"
        if expr.type != "new_expression" or not values.is_class(expr, "PolicyStatement"):
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
        values = self.values
        fields: dict[str, list[Any]] = {"actions": [], "notActions": [], "resources": [], "notResources": []}
        unresolved = False
        condition = False
        effect = "Allow"
        for name, _k, value in b._entries(props, 0) if props is not None else ():
            if name in ("actions", "notActions"):
                strings = values.strings(value)
                if strings is None:
                    return f"{name} is not a literal list"
                fields[name] = strings
            elif name in ("resources", "notResources"):
                globs = values.resources(value)
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
                strings = values.spread_strings(margs)
                if strings is None:
                    return f"{method} is not given literals"
                fields["actions" if method == "addActions" else "notActions"].extend(strings)
            elif method in ("addResources", "addNotResources"):
                globs = [values.glob(a) for a in margs]
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
            target = self.values.resolved(callee.child_by_field_name("object"))  # type: ignore[arg-type]
            if target.type == "new_expression":
                out.setdefault(target.start_byte, []).append((method, b._args(call)))
        return out

    # -- documents and policies ---------------------------------------------

    def add_document(self, acc: "_Role", node: "Node", origin: str) -> None:
        """`new iam.PolicyDocument({ statements })` / `PolicyDocument.fromJson({...})`."""
        b = self.b
        values = self.values
        expr = values.resolved(node)
        if expr.type == "new_expression" and values.is_class(expr, "PolicyDocument"):
            args = b._args(expr)
            props = b._object(args[0], 0) if args else None
            stmts = b._property(props, "statements", 0) if props is not None else None
            self.add_statement_list(acc, stmts, expr, origin)
            return
        if expr.type == "call_expression":
            args = b._args(expr)
            if values.method(expr) == "fromJson" and args:
                doc = values.json(args[0], 0)
                if isinstance(doc, dict):
                    loc = b.src.location(expr)
                    acc.grants.extend(Grant(st, loc, origin) for st in statements_from_document(doc, source="cdk"))
                    return
        acc.partial.append(f"{origin} is not a literal PolicyDocument")

    def add_statement_list(self, acc: "_Role", stmts: "Node | None", owner: "Node", origin: str) -> None:
        items = self.values.array(stmts, 0) if stmts is not None else []
        if items is None:
            acc.partial.append(f"{origin}: statements are not a literal list")
            return
        for item in items:
            self.add_statement(acc, item, origin)
        for method, margs in self.mutations.get(owner.start_byte, ()):
            if method == "addStatements":
                for arg in margs:
                    self.add_statement(acc, arg, origin)

    def add_policy(self, acc: "_Role", node: "Node", origin: str) -> None:
        """`new iam.Policy(...)` / `new iam.ManagedPolicy(...)` with `statements` or `document`."""
        b = self.b
        values = self.values
        expr = values.resolved(node)
        if expr.type == "new_expression" and (
            values.is_class(expr, "Policy") or values.is_class(expr, "ManagedPolicy")
        ):
            props = values.props(expr)
            if props is None:
                self.add_statement_list(acc, None, expr, origin)
                return
            doc = b._property(props, "document", 0)
            if doc is not None:
                self.add_document(acc, doc, origin)
            self.add_statement_list(acc, b._property(props, "statements", 0), expr, origin)
            return
        if self.managed_call(expr):
            self.add_managed(acc, expr)
            return
        acc.partial.append(f"{origin}: the policy is defined elsewhere")

    def add_managed(self, acc: "_Role", node: "Node") -> None:
        b = self.b
        values = self.values
        expr = values.resolved(node)
        if expr.type == "new_expression" and values.is_class(expr, "ManagedPolicy"):
            self.add_policy(acc, expr, f"statement in managed policy {values.construct_id(expr)}")
            return
        if not self.managed_call(expr):
            acc.partial.append("a managed policy that is defined elsewhere")
            return
        method = values.method(expr)
        args = b._args(expr)
        if method == "fromAwsManagedPolicyName":
            raw = b._literal(args[0]) if args else None
            name = raw.rsplit("/", 1)[-1] if raw else None
        elif method == "fromManagedPolicyArn":
            raw, _ = values.glob(args[2]) if len(args) > 2 else ("*", True)
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
