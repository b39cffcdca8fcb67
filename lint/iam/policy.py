"""IAM statement model and evaluation for the LSL3xx rules.

Semantics (identity policies only; no SCPs, boundaries, resource policies):

* ``evaluate`` = Allow minus explicit Deny.  A Deny with a Condition is only a
  *may deny*; it never makes the decision definitely denied, but it makes an
  allowed decision ``conditional``.  An allow that relies only on statements
  with a Condition is ``allowed=True, conditional=True``.
* The requested resource may itself contain ``*`` / ``?`` for parts the linter
  does not know (region, account, the secret's random suffix).  An Allow applies
  when its pattern *could* match (the languages intersect).  A Deny is definite
  only when its pattern *covers* every possible request; if it merely
  intersects it is a may-deny.  For a concrete ARN both notions coincide with
  ordinary IAM wildcard matching.
* A statement with ``unresolved=True`` had intrinsic values widened to ``*``;
  it counts as a may-deny (never a definite deny) and is never LSL302-broad.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Literal, Mapping, Sequence

__all__ = [
    "SECRET_READ_ACTIONS",
    "Statement",
    "Decision",
    "action_matches",
    "resource_matches",
    "patterns_intersect",
    "pattern_covers",
    "evaluate",
    "is_overbroad",
    "is_specific",
    "specific_resources",
    "required_actions",
    "statements_from_document",
    "resolve_value",
]

Effect = Literal["Allow", "Deny"]

#: Actions that return a secret value (LSL302 "secret-read actions").
SECRET_READ_ACTIONS: tuple[str, ...] = (
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:GetParameterHistory",
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
)


@dataclass(frozen=True)
class Statement:
    effect: Effect
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    has_condition: bool = False
    source: str = ""
    #: some Resource value was an unresolved intrinsic and was widened to ``*``
    unresolved: bool = False
    #: ``resources`` with every deploy-time parameter as ``*`` (aligned by
    #: index; empty when no parameter is involved). ``resources`` uses the
    #: parameters' defaults, so a grant stays "specific" (LSL303), while
    #: "could this allow the read" (LSL301) must not depend on a Default that
    #: the deployment overrides.
    any_resources: tuple[str, ...] = ()

    @property
    def deploy_resources(self) -> tuple[str, ...]:
        return self.any_resources or self.resources


@dataclass(frozen=True)
class Decision:
    allowed: bool
    conditional: bool
    allowing: tuple[Statement, ...] = ()
    denying: tuple[Statement, ...] = ()


# --------------------------------------------------------------------------- wildcards


@lru_cache(maxsize=4096)
def _glob_re(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    parts = []
    for ch in pattern:
        if ch == "*":
            parts.append(".*")
        elif ch == "?":
            parts.append(".")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def action_matches(pattern: str, action: str) -> bool:
    """IAM action match: case-insensitive, ``*`` and ``?`` wildcards in the pattern."""
    return _glob_re(pattern, True).fullmatch(action) is not None


def resource_matches(pattern: str, arn: str) -> bool:
    """IAM resource match: case-sensitive, ``*`` and ``?`` wildcards in the pattern."""
    return _glob_re(pattern, False).fullmatch(arn) is not None


def patterns_intersect(p: str, q: str) -> bool:
    """Could some concrete string match both glob patterns ``p`` and ``q``?

    Two six-field ARNs are compared field by field: a concrete partition,
    service, region or account never contains ':', so a `*` standing for an
    unknown region must not swallow the colons into the service field
    (`arn:*:ssm:*:*:parameter/a*` never meets `arn:*:secretsmanager:…`).
    """
    if p.startswith("arn:") and q.startswith("arn:"):
        ps, qs = p.split(":", 5), q.split(":", 5)
        if len(ps) == 6 and len(qs) == 6:
            return all(_glob_intersect(a, b) for a, b in zip(ps, qs))
    return _glob_intersect(p, q)


def _glob_intersect(p: str, q: str) -> bool:

    @lru_cache(maxsize=None)
    def f(i: int, j: int) -> bool:
        if i == len(p):
            return all(c == "*" for c in q[j:])
        if j == len(q):
            return all(c == "*" for c in p[i:])
        a, b = p[i], q[j]
        if a == "*":
            return f(i + 1, j) or f(i, j + 1)
        if b == "*":
            return f(i, j + 1) or f(i + 1, j)
        if a == b or a == "?" or b == "?":
            return f(i + 1, j + 1)
        return False

    return f(0, 0)


_ANY_ONE = "\x00"  # stands for a request '?': some single, unknown char
_ANY_SEQ = "\x01"  # stands for a request '*': some unknown string


def pattern_covers(p: str, q: str) -> bool:
    """Does ``p`` match *every* string that ``q`` could stand for? (sound, conservative)"""
    concrete = q.replace("*", _ANY_SEQ).replace("?", _ANY_ONE)
    rx = []
    for ch in p:
        if ch == "*":
            rx.append(".*")
        elif ch == "?":
            rx.append("[^" + _ANY_SEQ + "]")
        else:
            rx.append(re.escape(ch))
    return re.fullmatch("".join(rx), concrete, re.DOTALL) is not None


# --------------------------------------------------------------------------- evaluation


def _applies_to_action(st: Statement, action: str) -> bool:
    if st.actions:
        return any(action_matches(a, action) for a in st.actions)
    if st.not_actions:
        return not any(action_matches(a, action) for a in st.not_actions)
    return False


def _could_match_resource(st: Statement, arn: str) -> bool:
    if st.resources:
        return any(patterns_intersect(r, arn) for r in st.deploy_resources)
    if st.not_resources:
        return not any(pattern_covers(r, arn) for r in st.not_resources)
    return False


def _surely_matches_resource(st: Statement, arn: str) -> bool:
    if st.resources:
        return any(pattern_covers(r, arn) for r in st.resources)
    if st.not_resources:
        return not any(patterns_intersect(r, arn) for r in st.not_resources)
    return False


def evaluate(statements: Iterable[Statement], action: str, resource_arn: str) -> Decision:
    """Evaluate identity-policy statements for one action on one resource."""
    definite_allow: list[Statement] = []
    cond_allow: list[Statement] = []
    definite_deny: list[Statement] = []
    may_deny: list[Statement] = []
    for st in statements:
        if not _applies_to_action(st, action):
            continue
        if st.effect == "Allow":
            if _could_match_resource(st, resource_arn):
                (cond_allow if st.has_condition else definite_allow).append(st)
        elif st.effect == "Deny":
            if not _could_match_resource(st, resource_arn):
                continue
            # A Deny is judged with parameters at their Default (`resources`):
            # the read's name usually comes from the same parameter, so both
            # sides move together when the stage changes.
            if st.has_condition or st.unresolved or not _surely_matches_resource(st, resource_arn):
                may_deny.append(st)
            else:
                definite_deny.append(st)
    allowing = tuple(definite_allow + cond_allow)
    if definite_deny:
        return Decision(False, False, allowing, tuple(definite_deny + may_deny))
    if not allowing:
        return Decision(False, False, (), tuple(may_deny))
    conditional = not definite_allow or bool(may_deny)
    return Decision(True, conditional, allowing, tuple(may_deny))


# --------------------------------------------------------------------------- LSL302 / LSL303

_SERVICE_SCOPE = {
    "ssm": "arn:*:ssm:*:*:parameter/*",
    "secretsmanager": "arn:*:secretsmanager:*:*:secret:*",
}


def _granted_read_actions(st: Statement) -> tuple[str, ...]:
    return tuple(a for a in SECRET_READ_ACTIONS if _applies_to_action(st, a))


# BatchGetSecretValue only works with Resource "*" and reads nothing by
# itself: every secret also needs GetSecretValue (REFERENCE.md §C). A
# statement granting only it is the documented way to use it, not a broad grant.
_NOT_BROAD_ALONE = frozenset({"secretsmanager:BatchGetSecretValue"})


def _normalize_arn_pattern(p: str) -> str:
    parts = p.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn":
        parts[1] = parts[3] = parts[4] = "*"  # partition, region, account do not narrow the grant
        return ":".join(parts)
    return p


def is_overbroad(statement: Statement) -> str | None:
    """LSL302: reason string when the statement allows secret reads on every secret/parameter.

    Conditional statements (e.g. SAM's rotation template, ABAC) and statements
    whose resources were widened from unresolved intrinsics are not reported.
    """
    st = statement
    if st.effect != "Allow" or st.has_condition or st.unresolved:
        return None
    granted = tuple(a for a in _granted_read_actions(st) if a not in _NOT_BROAD_ALONE)
    if not granted:
        return None
    what = ", ".join(granted)
    via = f"Action {list(st.actions)!r}" if st.actions else f"NotAction {list(st.not_actions)!r}"
    if st.not_resources:
        return f"allows {what} ({via}) on every resource except NotResource {list(st.not_resources)!r}"
    for res in st.resources:
        if res == "*":
            return f"allows {what} ({via}) on Resource '*'"
        norm = _normalize_arn_pattern(res)
        for action in granted:
            scope = _SERVICE_SCOPE[action.split(":", 1)[0]]
            if pattern_covers(norm, scope):
                return f"allows {what} ({via}) on Resource {res!r}, which matches every {action.split(':')[0]} secret/parameter"
    return None


_SSM_PARAM_RE = re.compile(r"^arn:[^:]*:ssm:[^:]*:[^:]*:parameter/(?P<name>.+)$")
_SECRET_RE = re.compile(r"^arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:(?P<name>.+)$")


def _is_specific_resource(res: str) -> bool:
    m = _SSM_PARAM_RE.match(res)
    if m:
        return not any(c in m.group("name") for c in "*?")
    m = _SECRET_RE.match(res)
    if m:
        name = m.group("name")
        for suffix in ("-??????", "-*"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        return bool(name) and not any(c in name for c in "*?")
    return False


def specific_resources(statement: Statement) -> tuple[str, ...]:
    """Resources of an Allow secret-read statement that name one concrete parameter/secret."""
    st = statement
    if st.effect != "Allow" or st.not_resources or not _granted_read_actions(st):
        return ()
    return tuple(r for r in st.resources if _is_specific_resource(r))


def is_specific(statement: Statement) -> bool:
    """LSL303: the statement grants a secret read on a concrete parameter or secret.

    Region/account/partition wildcards are allowed; in the name, a wildcard is
    allowed only as Secrets Manager's random suffix ``-??????`` / ``-*``.
    """
    return bool(specific_resources(statement))


# --------------------------------------------------------------------------- required actions

_SSM_OPS = {
    "getparameter": ("ssm:GetParameter",),
    "getparameters": ("ssm:GetParameters",),
    "getparametersbypath": ("ssm:GetParametersByPath",),
    "getparameterhistory": ("ssm:GetParameterHistory",),
}
_SM_OPS = {
    "getsecretvalue": ("secretsmanager:GetSecretValue",),
    # BatchGetSecretValue is also authorized per secret against GetSecretValue (REFERENCE §C)
    "batchgetsecretvalue": ("secretsmanager:BatchGetSecretValue", "secretsmanager:GetSecretValue"),
    "describesecret": ("secretsmanager:DescribeSecret",),
}
_SERVICES = {
    "ssm": _SSM_OPS,
    "secretsmanager": _SM_OPS,
    "secrets-manager": _SM_OPS,
    "secrets_manager": _SM_OPS,
}


def _norm_op(action: str) -> str:
    op = action.split(":", 1)[-1]
    op = op.replace("_", "").replace("-", "").lower()
    for suffix in ("command",):
        if op.endswith(suffix):
            op = op[: -len(suffix)]
    if op.startswith("paginate"):
        op = op[len("paginate"):]
    return op


def required_actions(service: str, action: str, kms_key_named: bool, *, uses_filters: bool = False) -> tuple[str, ...]:
    """IAM actions a secret-reading SDK call needs (REFERENCE §C).

    ``action`` may be the API name (``GetParameters``), boto3 (``get_parameters``),
    JS (``getParameters``, ``GetParametersCommand``, ``paginateGetParametersByPath``)
    or an IAM action (``ssm:GetParameters``).  ``kms_key_named``: the template gives
    the parameter/secret a customer-managed key, so ``kms:Decrypt`` is needed too
    (the AWS-managed ``aws/ssm`` / ``aws/secretsmanager`` keys need no grant).
    ``uses_filters``: BatchGetSecretValue with ``Filters`` also needs ListSecrets.
    """
    ops = _SERVICES.get(service.lower())
    if ops is None:
        raise ValueError(f"unsupported service {service!r}")
    key = _norm_op(action)
    if key not in ops:
        raise ValueError(f"unsupported {service} action {action!r}")
    result = list(ops[key])
    if uses_filters and key == "batchgetsecretvalue":
        result.append("secretsmanager:ListSecrets")
    if kms_key_named:
        result.append("kms:Decrypt")
    return tuple(result)


# --------------------------------------------------------------------------- documents


def _as_str_tuple(value: Any, context: Mapping[str, str]) -> tuple[tuple[str, ...], bool]:
    """Normalize an Action/Resource value; unknowns become ``*`` (second item: anything widened)."""
    if value is None:
        return (), False
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    widened = False
    for item in items:
        s, w = resolve_value(item, context)
        out.append(s)
        widened = widened or w
    return tuple(out), widened


_SUB_NAME_RE = re.compile(r"\$\{(?!!)([^}]*)\}")


def resolve_value(value: Any, context: Mapping[str, str]) -> tuple[str, bool]:
    """Resolve a plain string or a simple intrinsic to a string.

    Supports ``Ref`` (from ``context``), ``Fn::Sub`` (both forms) and
    ``Fn::Join``; anything unknown is rendered as ``*``.  The flag tells whether
    something was widened to ``*``.
    """
    from .arns import substitute

    if isinstance(value, str):
        return value, False
    if isinstance(value, dict) and len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref" and isinstance(arg, str):
            v = context.get(arg)
            return (v, False) if isinstance(v, str) else ("*", True)
        if fn == "Fn::Sub":
            local: dict[str, str] = dict(context)
            widened = False
            if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
                for k, v in arg[1].items():
                    local[k], w = resolve_value(v, context)
                    widened = widened or w
                arg = arg[0]
            if isinstance(arg, str):
                missing = [n for n in _SUB_NAME_RE.findall(arg) if n.strip() not in local]
                return substitute(arg, local), widened or bool(missing)
        if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], list):
            parts = [resolve_value(p, context) for p in arg[1]]
            return arg[0].join(p for p, _ in parts), any(w for _, w in parts)
    return "*", True


def statements_from_document(
    doc: Mapping[str, Any] | Sequence[Any], source: str = "", context: Mapping[str, str] | None = None
) -> tuple[Statement, ...]:
    """Statements of a policy document (``{"Statement": ...}``) or a bare statement list."""
    ctx: Mapping[str, str] = context or {}
    raw = doc.get("Statement", []) if isinstance(doc, Mapping) else doc
    if isinstance(raw, Mapping):
        raw = [raw]
    out: list[Statement] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping):
            continue
        effect = item.get("Effect")
        if effect not in ("Allow", "Deny"):
            continue
        actions, _ = _as_str_tuple(item.get("Action"), ctx)
        not_actions, _ = _as_str_tuple(item.get("NotAction"), ctx)
        resources, ur1 = _as_str_tuple(item.get("Resource"), ctx)
        not_resources, ur2 = _as_str_tuple(item.get("NotResource"), ctx)
        out.append(
            Statement(
                effect=effect,
                actions=actions,
                not_actions=not_actions,
                resources=resources,
                not_resources=not_resources,
                has_condition=bool(item.get("Condition")),
                source=source,
                unresolved=ur1 or ur2,
            )
        )
    return tuple(out)
