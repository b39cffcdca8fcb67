"""IAM policy documents written in Terraform, as located statements:

- `jsonencode({ Version, Statement = [{ Effect, Action, Resource, Condition }] })`
  (HCL object syntax; a statement is located at its `{`);
- a heredoc or quoted JSON string, with `${…}` holes evaluated (located at
  the statement's line inside the heredoc);
- `data.aws_iam_policy_document.<d>.json` with `statement { effect, actions,
  not_actions, resources, not_resources, condition {…} }` blocks (effect
  defaults to Allow; located at `statement`), `source_policy_documents`
  first and `override_policy_documents` replacing statements by `sid`;
- `file(…)`, `templatefile(…)`, a variable without a default, a `dynamic
  "statement"`: not read, and said so (the role becomes `partial`).

A Resource part we cannot know becomes `*`; unless it sits in an ARN's
partition, region or account field the statement is `unresolved` (never
LSL302-broad, never a definite Deny). An Action we cannot know makes the
statement unreadable: it may allow anything.

`var.x` takes its default in `Statement.resources`; each document is read a
second time with every variable unknown (`Policies(static, deploy=…)`) for
`Statement.any_resources` (tfvars and `-var` override defaults), as
cfn_roles.py does with template parameters.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.iam.policy import Statement
from lambda_secrets_lint.model.infra import Grant
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.parsers.cfn_json import load_json
from lambda_secrets_lint.parsers.cfn_roles import with_deploy_resources
from lambda_secrets_lint.parsers.nodes import ParseError, PosDict, PosList
from lambda_secrets_lint.parsers.serverless_iam import arn_fields_only
from lambda_secrets_lint.parsers.terraform.hcl import (
    HclFile,
    attr_expr,
    attributes,
    block_body,
    block_header,
    block_labels,
    blocks,
    hole_expression,
    template_pieces,
    unwrap,
)
from lambda_secrets_lint.parsers.terraform.module import Declared
from lambda_secrets_lint.parsers.terraform.static import (
    JSON_WIDE,
    WIDE,
    DocRef,
    HDict,
    HList,
    Static,
    Unknown,
    flat_strings,
    from_json,
    point,
    to_json_text,
)

if TYPE_CHECKING:
    from tree_sitter import Node
else:
    Node = Any

__all__ = ["Parts", "Policies", "JSON_KEYS", "LOWER_KEYS", "to_statement", "with_deployed"]

JSON_KEYS = {"effect": "Effect", "actions": "Action", "not_actions": "NotAction", "resources": "Resource",
             "not_resources": "NotResource", "condition": "Condition", "sid": "Sid"}
# data.aws_iam_policy_document blocks and terraform-aws-modules/lambda policy_statements
LOWER_KEYS = {k: k for k in JSON_KEYS}
DOC_TYPE = "aws_iam_policy_document"
_MAX_DEPTH = 8


@dataclass
class Parts:
    """Grants read from some policies, and what could not be read."""

    grants: list[Grant] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)

    def extend(self, other: "Parts") -> None:
        self.grants.extend(other.grants)
        self.partial.extend(other.partial)


def with_deployed(parts: Parts, deployed: Parts) -> Parts:
    """`parts` (variables at their default) with `any_resources` from the same
    policies read with every variable unknown. Statements pair up by where
    they are written, in order; a place whose count differs (a variable
    that adds or drops statements) keeps its grants as they are."""
    others: dict[Location, list[Statement]] = {}
    for g in deployed.grants:
        others.setdefault(g.location, []).append(g.statement)
    counts = Counter(g.location for g in parts.grants)
    seen: Counter[Location] = Counter()
    grants: list[Grant] = []
    for g in parts.grants:
        i = seen[g.location]
        seen[g.location] += 1
        mates = others.get(g.location, [])
        if len(mates) == counts[g.location]:
            (st,) = with_deploy_resources((g.statement,), (mates[i],))
            if st is not g.statement:
                g = replace(g, statement=st)
        grants.append(g)
    return Parts(grants, parts.partial)


_UNSET = object()

# A statement before it is attributed to a policy: (statement, where, sid).
_Item = tuple[Statement, Location, str]


@dataclass
class _Raw:
    items: list[_Item] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)


def to_statement(item: Mapping[str, object], keys: Mapping[str, str], *, default_effect: str | None = None) -> tuple[Statement | None, str]:
    """A statement object (JSON keys or the lowercase block keys) -> Statement,
    or (None, why) when it cannot be read."""
    effect = item.get(keys["effect"])
    if effect is None:
        effect = default_effect
    if effect not in ("Allow", "Deny"):
        return None, "has no static Effect"
    actions, ok1 = _names(item.get(keys["actions"]))
    not_actions, ok2 = _names(item.get(keys["not_actions"]))
    if not (ok1 and ok2):
        return None, "has actions that are not static"
    resources, u1 = _resources(item.get(keys["resources"]))
    not_resources, u2 = _resources(item.get(keys["not_resources"]))
    condition = item.get(keys["condition"])
    return Statement(
        effect=effect,  # type: ignore[arg-type]
        actions=actions,
        not_actions=not_actions,
        resources=resources,
        not_resources=not_resources,
        has_condition=condition not in (None, "", {}, []),
        unresolved=u1 or u2,
    ), ""


def _names(value: object) -> tuple[tuple[str, ...], bool]:
    out: list[str] = []
    for item in flat_strings(value):
        if not isinstance(item, str) or WIDE in item:
            return (), False
        out.append(item)
    return tuple(out), True


def _resources(value: object) -> tuple[tuple[str, ...], bool]:
    out: list[str] = []
    unresolved = False
    for item in flat_strings(value):
        if not isinstance(item, str):
            out.append("*")
            unresolved = True
            continue
        if WIDE in item:
            unresolved = unresolved or not arn_fields_only(item)
            item = item.replace(WIDE, "*")
        out.append(item)
    return tuple(out), unresolved


def _sid(item: Mapping[str, object], keys: Mapping[str, str]) -> str:
    sid = item.get(keys["sid"])
    return sid if isinstance(sid, str) and WIDE not in sid else ""


class Policies:
    """Reads policy arguments of one module; data documents are read once.
    `deploy`: a Static with every variable unknown (Static(…,
    with_defaults=False)); each policy is then read with it too, for
    `Statement.any_resources`."""

    def __init__(self, static: Static, deploy: Static | None = None) -> None:
        self.static = static
        self._docs: dict[str, _Raw] = {}
        self.deploy = Policies(deploy) if deploy is not None else None

    @property
    def deploy_static(self) -> Static | None:
        return self.deploy.static if self.deploy is not None else None

    # -- public ------------------------------------------------------------
    def from_attr(self, decl: Declared, name: str, origin: str) -> Parts:
        """`policy = …` of a block (an inline_policy, an aws_iam_role_policy,
        an aws_iam_policy)."""
        attr = attributes(block_body(decl.node)).get(name)
        expr = attr_expr(attr) if attr is not None else None
        if attr is None or expr is None:
            return Parts()
        return self.from_expr(decl.file, expr, origin, decl.file.loc(attr))

    def from_expr(self, f: HclFile, expr: Node, origin: str, where: Location) -> Parts:
        parts = self._finish(self._expr(f, expr, where, origin, 0), origin)
        if self.deploy is not None:
            parts = with_deployed(parts, self.deploy.from_expr(f, expr, origin, where))
        return parts

    def from_value(self, value: object, origin: str, where: Location, deployed: object = _UNSET) -> Parts:
        """A policy already evaluated; `deployed`: the same evaluated by
        `deploy_static` (when given, it sets `any_resources`)."""
        parts = self._finish(self._value(value, where, origin, 0), origin)
        if self.deploy is not None and deployed is not _UNSET:
            parts = with_deployed(parts, self.deploy.from_value(deployed, origin, where))
        return parts

    # -- reading -----------------------------------------------------------
    def _finish(self, raw: _Raw, origin: str) -> Parts:
        grants = [Grant(replace(st, source=origin), loc, origin) for st, loc, _ in raw.items]
        return Parts(grants, list(raw.partial))

    def _expr(self, f: HclFile, expr: Node, where: Location, label: str, depth: int) -> _Raw:
        f2, node = self.static.deref(f, expr)
        primary, postfix = unwrap(node)
        if not postfix and primary.type == "template_expr" and primary.named_children:
            template = primary.named_children[0]
            pieces = template_pieces(f2, template)
            whole_hole = len(pieces) == 1 and pieces[0][1] is not None
            if not whole_hole:
                return self._json_text(f2, template, pieces, where, label)
        return self._value(self.static.eval(f2, node), where, label, depth)

    def _value(self, value: object, where: Location, label: str, depth: int) -> _Raw:
        if depth > _MAX_DEPTH:
            return _Raw(partial=[f"the policy of {label} nests too deeply"])
        if isinstance(value, DocRef):
            return self._data_document(value.name, depth + 1)
        if isinstance(value, dict):
            return self._document(value, where, label)
        if isinstance(value, str):
            try:
                raw = load_json(value.replace(WIDE, JSON_WIDE))
            except ParseError:
                return _Raw(partial=[f"the policy of {label} is not JSON the linter can read"])
            return self._value(from_json(raw, where), where, label, depth + 1)
        if isinstance(value, Unknown):
            return _Raw(partial=[f"the policy of {label} is not static ({value.reason})"])
        if value is None:
            return _Raw()
        return _Raw(partial=[f"the policy of {label} is not a policy document the linter can read"])

    def _document(self, doc: Mapping[str, object], where: Location, label: str) -> _Raw:
        statements = doc.get("Statement")
        out = _Raw()
        if statements is None:
            return out
        if isinstance(statements, dict):
            items: list[tuple[object, Location | None]] = [(statements, getattr(statements, "loc", None))]
        elif isinstance(statements, list):
            locs = getattr(statements, "locs", [None] * len(statements))
            items = list(zip(statements, locs))
        else:
            return _Raw(partial=[f"the statements of {label} are not static"])
        for i, (item, loc) in enumerate(items, 1):
            if not isinstance(item, dict):
                out.partial.append(f"statement {i} of {label} is not static")
                continue
            st, why = to_statement(item, JSON_KEYS)
            if st is None:
                out.partial.append(f"statement {i} of {label} {why}")
                continue
            at = point(getattr(item, "loc", None) or loc or where) or where
            out.items.append((st, at, _sid(item, JSON_KEYS)))
        return out

    def _json_text(self, f: HclFile, template: Node, pieces: list, where: Location, label: str) -> _Raw:
        parts: list[str] = []
        for text, hole in pieces:
            if text is not None:
                parts.append(text)
                continue
            inner = hole_expression(hole)
            if inner is None:
                return _Raw(partial=[f"the policy of {label} uses a template directive"])
            value = self.static.eval(f, inner)
            if isinstance(value, (dict, list)):
                parts.append(to_json_text(value))
            elif isinstance(value, bool):
                parts.append("true" if value else "false")
            elif isinstance(value, str):
                parts.append(value.replace(WIDE, JSON_WIDE))
            else:
                parts.append(JSON_WIDE)
        text = "".join(parts)
        try:
            raw = load_json(text)
        except ParseError:
            return _Raw(partial=[f"the policy of {label} is not JSON the linter can read"])
        if template.type == "heredoc_template":
            ids = [c for c in template.named_children if c.type == "heredoc_identifier"]
            first_line = (ids[0].start_point[0] + 2) if ids else template.start_point[0] + 1
        else:
            first_line = template.start_point[0] + 1
        lines = f.src.split(b"\n")

        def locate(span: Span) -> Location:
            line = first_line + span.line - 1
            raw_line = lines[line - 1] if 0 < line <= len(lines) else b""
            col = len(raw_line) - len(raw_line.lstrip(b" \t")) + 1
            return Location(f.path, Span(line, col, line, col + 1))

        return self._document(_located(raw, locate), where, label)

    # -- data "aws_iam_policy_document" -------------------------------------
    def _data_document(self, name: str, depth: int) -> _Raw:
        if name in self._docs:
            return self._docs[name]
        self._docs[name] = _Raw(partial=[f"data.{DOC_TYPE}.{name} refers to itself"])  # cycle guard
        decl = self.static.index.data.get((DOC_TYPE, name))
        label = f"data.{DOC_TYPE}.{name}"
        if decl is None:
            raw = _Raw(partial=[f"{label} is not declared in this module"])
        else:
            raw = self._read_data_document(decl, label, depth)
        self._docs[name] = raw
        return raw

    def _read_data_document(self, decl: Declared, label: str, depth: int) -> _Raw:
        f = decl.file
        body = block_body(decl.node)
        where = point(f.loc(*block_header(decl.node))) or f.loc(decl.node)
        out = _Raw()
        for key in ("source_policy_documents", "source_json"):
            for doc in _listed(self.static.attr(decl, key)):
                sub = self._value(doc, where, label, depth + 1)
                out.items.extend(sub.items)
                out.partial.extend(sub.partial)
        for block in blocks(body, "dynamic"):
            if block_labels(f, block)[:1] == ["statement"]:
                out.partial.append(f"{label} has a dynamic \"statement\" block")
        for block in blocks(body, "statement"):
            stmt = Declared(f, block)
            item: dict[str, object] = {}
            for key in ("effect", "actions", "not_actions", "resources", "not_resources", "sid"):
                value = self.static.attr(stmt, key)
                if value is not None:
                    item[key] = value
            inner = block_body(block)
            conditions = list(blocks(inner, "condition")) + [
                b for b in blocks(inner, "dynamic") if block_labels(f, b)[:1] == ["condition"]
            ]
            if conditions:
                item["condition"] = True
            st, why = to_statement(item, LOWER_KEYS, default_effect="Allow")
            if st is None:
                out.partial.append(f"a statement of {label} {why}")
                continue
            first, _ = block_header(block)
            out.items.append((st, point(f.loc(first)) or where, _sid(item, LOWER_KEYS)))
        for key in ("override_policy_documents", "override_json"):
            for doc in _listed(self.static.attr(decl, key)):
                sub = self._value(doc, where, label, depth + 1)
                out.partial.extend(sub.partial)
                for st, loc, sid in sub.items:
                    if sid:
                        out.items = [it for it in out.items if it[2] != sid]
                    out.items.append((st, loc, sid))
        return out


def _listed(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    return [value]


def _located(node: object, locate) -> object:  # type: ignore[no-untyped-def]
    """A load_json tree (PosDict/PosList) as HDict/HList with file locations."""
    if isinstance(node, PosDict):
        obj = HDict(locate(node.span))
        for k, v in node.items():
            obj[k.replace(JSON_WIDE, WIDE)] = _located(v, locate)
        return obj
    if isinstance(node, PosList):
        lst = HList(locate(node.span))
        for i, v in enumerate(node):
            span = node.item_spans[i] if i < len(node.item_spans) else node.span
            lst.add(_located(v, locate), locate(span))
        return lst
    if isinstance(node, str):
        return node.replace(JSON_WIDE, WIDE)
    return node
