"""CDK Python: IAM statements and policies built in a stack file.

`iam.PolicyStatement(effect=…, actions=[…], resources=[…], conditions=…)`
(literal lists; a resource token such as `param.parameter_arn` takes its
runtime text, an unknown part is `*` and makes the statement `unresolved`),
`PolicyStatement.from_json({...})`, `iam.PolicyDocument(statements=[…])` /
`PolicyDocument.from_json`, `iam.Policy` / `iam.ManagedPolicy(statements=…)`.

Statements are mutable in CDK (`stmt.add_actions(...)` after it was
attached), so they are kept as records and frozen at the end. What cannot
be read is a reason for the role to be `partial`, never a guess.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from lambda_secrets_lint.iam.policy import Statement, statements_from_document
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.cdk_py import _arg, _last

if TYPE_CHECKING:
    from lambda_secrets_lint.parsers.cdk_py import _Builder, _Scope
    from lambda_secrets_lint.parsers.cdk_py_values import Items, ValueReader

__all__ = ["STMT_MUTATORS", "PolicyReader", "PolicyRec", "StmtRec"]

STMT_MUTATORS = frozenset(
    {"add_actions", "add_not_actions", "add_resources", "add_not_resources", "add_all_resources",
     "add_condition", "add_conditions", "add_account_condition", "add_source_account_condition",
     "add_source_arn_condition"}
)


@dataclass
class StmtRec:
    """An `iam.PolicyStatement`, open to `add_actions` … until the end."""

    location: Location
    effect: str = "Allow"
    actions: list[str] = field(default_factory=list)
    not_actions: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    not_resources: list[str] = field(default_factory=list)
    has_condition: bool = False
    widened: bool = False
    unknown: str = ""  # why the statement cannot be read (then the role is partial)

    def freeze(self, origin: str) -> Statement:
        return Statement(
            effect="Deny" if self.effect == "Deny" else "Allow",
            actions=tuple(self.actions),
            not_actions=tuple(self.not_actions),
            resources=tuple(self.resources),
            not_resources=tuple(self.not_resources),
            has_condition=self.has_condition,
            source=origin,
            unresolved=self.widened,
        )


@dataclass
class PolicyRec:
    """`iam.Policy` / `iam.ManagedPolicy` of the file, open to `add_statements`."""

    name: str
    kind: str  # "policy" | "managed policy"
    statements: list[tuple[StmtRec, str]] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)


# (statement, origin) pairs and the reasons some could not be read
Statements = tuple[list[tuple[StmtRec, str]], list[str]]


class PolicyReader:
    def __init__(self, b: "_Builder", values: "ValueReader") -> None:
        self.b = b
        self.values = values
        self.stmts: dict[int, StmtRec] = {}  # id(PolicyStatement Call) → record
        self.policies: dict[int, PolicyRec] = {}  # id(Policy / ManagedPolicy Call) → record

    # -- constructs -----------------------------------------------------------------
    def register(self, call: cst.Call, name: str, scope: "_Scope") -> bool:
        """`name`: the construct after the `aws_iam` module. True when it is a
        statement or policy (now recorded)."""
        if name == "PolicyStatement":
            self.stmts.setdefault(id(call), self._statement(call, scope))
        elif name == "PolicyStatement.from_json":
            self.stmts.setdefault(id(call), self._statement_json(call, scope))
        elif name in ("Policy", "ManagedPolicy"):
            if id(call) not in self.policies:
                self.policies[id(call)] = self._policy(call, name, scope)
        else:
            return False
        return True

    def statement_of(self, node: cst.BaseExpression, scope: "_Scope") -> StmtRec | None:
        resolved, rscope = self.b._resolve(node, scope)
        if isinstance(resolved, cst.Call) and id(resolved) not in self.stmts:
            qual = self.b.qualify(resolved.func)
            if qual.endswith(("aws_iam.PolicyStatement", "aws_iam.PolicyStatement.from_json")):
                # a statement the walk does not visit (inside a lambda)
                self.register(resolved, qual.split("aws_iam.", 1)[1], rscope)
        return self.stmts.get(id(resolved))

    def policy_of(self, node: cst.BaseExpression | None, scope: "_Scope") -> PolicyRec | None:
        if node is None:
            return None
        resolved, _ = self.b._resolve(node, scope)
        return self.policies.get(id(resolved))

    def statement_list(self, node: cst.BaseExpression, scope: "_Scope", origin: str) -> Statements:
        """`[iam.PolicyStatement(...), stmt, *MORE]`."""
        items = self.values.items(node, scope)
        if items is None:
            return [], [f"{origin}: a statement list that is not literal ({self.values.brief(node)})"]
        found: list[tuple[StmtRec, str]] = []
        partial: list[str] = []
        for item, iscope in items:
            stmt = self.statement_of(item, iscope)
            if stmt is None:
                partial.append(f"{origin}: {self.values.brief(item)} is not an iam.PolicyStatement of this file")
            else:
                found.append((stmt, origin))
        return found, partial

    def document(self, node: cst.BaseExpression, scope: "_Scope", origin: str) -> Statements:
        """`iam.PolicyDocument(statements=[...])` / `PolicyDocument.from_json({...})`."""
        resolved, rscope = self.b._resolve(node, scope)
        if isinstance(resolved, cst.Call) and _last(resolved.func) == "PolicyDocument":
            statements = _arg(resolved, None, "statements")
            return self.statement_list(statements, rscope, origin) if statements is not None else ([], [])
        if isinstance(resolved, cst.Call) and _last(resolved.func) == "from_json":
            widened = [False]
            doc = self.values.literal(_arg(resolved, 0, "obj"), rscope, widened)
            if isinstance(doc, dict) and "Statement" in doc:
                raw = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
                found: list[tuple[StmtRec, str]] = []
                for item in raw:
                    for st in statements_from_document([item]) if isinstance(item, dict) else ():
                        found.append((_record(self.b.loc(resolved), st, widened[0]), origin))
                return found, []
        return [], [f"{origin} is not a literal policy document"]

    def extend_policy(self, rec: PolicyRec, call: cst.Call, scope: "_Scope") -> None:
        """`policy.add_statements(a, b)`."""
        args = [a for a in call.args if a.keyword is None]
        if any(a.star for a in args):
            rec.partial.append(f"statements added to {rec.kind} {rec.name} are not literal")
            return
        origin = f"{rec.kind} {rec.name}"
        for a in args:
            stmt = self.statement_of(a.value, scope)
            if stmt is None:
                rec.partial.append(f"{origin}: {self.values.brief(a.value)} is not an iam.PolicyStatement of this file")
            else:
                rec.statements.append((stmt, origin))

    def mutate(self, rec: StmtRec, method: str, call: cst.Call, scope: "_Scope") -> None:
        """`stmt.add_actions(...)`, `add_resources`, `add_condition` …"""
        args: Items = [(a.value, scope) for a in call.args if a.keyword is None]
        if any(a.star for a in call.args):
            rec.unknown = f"{method} on the statement at line {rec.location.line} with unpacked arguments"
        elif method in ("add_actions", "add_not_actions"):
            self._actions(rec, args, rec.actions if method == "add_actions" else rec.not_actions)
        elif method in ("add_resources", "add_not_resources"):
            self._resources(rec, args, rec.resources if method == "add_resources" else rec.not_resources)
        elif method == "add_all_resources":
            rec.resources.append("*")
        else:
            rec.has_condition = True

    # -- reading ----------------------------------------------------------------
    def _policy(self, call: cst.Call, kind: str, scope: "_Scope") -> PolicyRec:
        cid = self.b._text(_arg(call, 1, "id"), scope) or kind
        rec = PolicyRec(cid, "managed policy" if kind == "ManagedPolicy" else "policy")
        origin = f"{rec.kind} {cid}"
        for key, read in (("statements", self.statement_list), ("document", self.document)):
            node = _arg(call, None, key)
            if node is not None:
                found, partial = read(node, scope, origin)
                rec.statements.extend(found)
                rec.partial.extend(partial)
        return rec

    def _statement(self, call: cst.Call, scope: "_Scope") -> StmtRec:
        b = self.b
        rec = StmtRec(b.loc(call))
        effect = _arg(call, None, "effect")
        if effect is not None:
            resolved, _ = b._resolve(effect, scope)
            word = resolved.attr.value if isinstance(resolved, cst.Attribute) else ""
            if word in ("ALLOW", "DENY"):
                rec.effect = word.capitalize()
            else:
                rec.unknown = f"the effect of the statement at line {rec.location.line} is not static"
        for key, target in (("actions", rec.actions), ("not_actions", rec.not_actions)):
            node = _arg(call, None, key)
            if node is not None:
                items = self.values.items(node, scope)
                if items is None:
                    rec.unknown = f"the {key} of the statement at line {rec.location.line} are not a literal list"
                else:
                    self._actions(rec, items, target)
        for key, target in (("resources", rec.resources), ("not_resources", rec.not_resources)):
            node = _arg(call, None, key)
            if node is not None:
                items = self.values.items(node, scope)
                if items is None:
                    rec.unknown = f"the {key} of the statement at line {rec.location.line} are not a literal list"
                else:
                    self._resources(rec, items, target)
        conditions = _arg(call, None, "conditions")
        if conditions is not None:
            resolved, _ = b._resolve(conditions, scope)
            empty = (isinstance(resolved, cst.Dict) and not resolved.elements) or (
                isinstance(resolved, cst.Name) and resolved.value == "None"
            )
            rec.has_condition = not empty
        return rec

    def _statement_json(self, call: cst.Call, scope: "_Scope") -> StmtRec:
        widened = [False]
        doc = self.values.literal(_arg(call, 0, "obj"), scope, widened)
        statements = statements_from_document([doc]) if isinstance(doc, dict) else ()
        if len(statements) != 1:
            rec = StmtRec(self.b.loc(call))
            rec.unknown = f"iam.PolicyStatement.from_json at line {rec.location.line} is not a literal statement"
            return rec
        return _record(self.b.loc(call), statements[0], widened[0])

    def _actions(self, rec: StmtRec, items: "Items", target: list[str]) -> None:
        for item, iscope in items:
            text = self.b._text(item, iscope)
            if text is None:
                rec.unknown = f"an action of the statement at line {rec.location.line} is not static"
                return
            target.append(text)

    def _resources(self, rec: StmtRec, items: "Items", target: list[str]) -> None:
        for item, iscope in items:
            text, widened = self.values.glob(item, iscope)
            target.append(text if text is not None else "*")
            rec.widened = rec.widened or widened or text is None


def _record(location: Location, st: Statement, widened: bool) -> StmtRec:
    return StmtRec(location, st.effect, list(st.actions), list(st.not_actions), list(st.resources),
                   list(st.not_resources), st.has_condition, widened)
