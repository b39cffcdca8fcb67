"""Static evaluation of HCL expressions into plain values, for the IAM side
of Terraform (policies, roles, code paths, parameter and secret names).

values.py answers "what is an env value MADE OF"; this module answers
"what does this expression evaluate to", as far as the files of the module
show it without running Terraform:

- strings are IAM-style globs in which WIDE marks a part we cannot know
  (a variable without a default, an account id, `count.index`);
- tuples and objects become `HList` / `HDict`, which remember where each
  item is written (a statement's `{` is where its grant is reported);
- `var.x` takes its literal default (as CloudFormation parameters take their
  Default) or, in a `Static(index, with_defaults=False)`, a value of the
  default's shape made of WIDE (what a grant may name once tfvars or `-var`
  override the default; the names of the module's own parameters, secrets
  and keys keep the default, as env values and cfn_roles.iam_context do);
  `local.x` its expression; resource and data-source attributes
  that name a parameter, secret, KMS key or policy their known text
  (`aws_ssm_parameter.x.arn` -> `arn:W:ssm:W:W:parameter/<name>`);
- anything else is `Unknown(reason)`, never a guess.

The ARN partition, region and account fields are WIDE; callers decide
whether a WIDE elsewhere makes a statement "unresolved" (lint.iam.policy).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.iam.arns import secret_arn_patterns, ssm_parameter_arn
from lambda_secrets_lint.iam.managed import is_known_managed
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.parsers.terraform.hcl import (
    HclFile,
    attr_expr,
    attributes,
    block_body,
    block_labels,
    blocks,
    function_parts,
    hole_expression,
    object_elems,
    string_lit_value,
    template_pieces,
    top_body,
    unwrap,
)
from lambda_secrets_lint.parsers.terraform.module import Declared, ModuleIndex

if TYPE_CHECKING:
    from tree_sitter import Node
else:
    Node = Any

__all__ = [
    "WIDE", "DocRef", "HDict", "HList", "PolicyRef", "Static", "TfIndex", "Unknown",
    "flat_strings", "point", "secret_arn", "ssm_arn",
]

# The same stand-in serverless_iam uses: a part of a string that is not
# known statically; becomes `*` once we know where in the string it sits.
WIDE = "\x02"
MAX_DEPTH = 32
_KMS_KEY = f"arn:{WIDE}:kms:{WIDE}:{WIDE}:key/{WIDE}"


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value static analysis cannot see (and why, for --verbose notes)."""

    reason: str


class HDict(dict):  # type: ignore[type-arg]
    """An HCL object: `loc` is its `{`, `key_locs` each key."""

    __slots__ = ("loc", "key_locs")

    def __init__(self, loc: Location | None) -> None:
        super().__init__()
        self.loc = loc
        self.key_locs: dict[str, Location] = {}


class HList(list):  # type: ignore[type-arg]
    """An HCL tuple: `locs[i]` is where item i is written (None when unknown)."""

    __slots__ = ("loc", "locs")

    def __init__(self, loc: Location | None) -> None:
        super().__init__()
        self.loc = loc
        self.locs: list[Location | None] = []

    def add(self, value: object, loc: Location | None) -> None:
        self.append(value)
        self.locs.append(loc)


@dataclass(frozen=True, slots=True)
class PolicyRef:
    """The ARN of `resource "aws_iam_policy" "<name>"` of this module."""

    name: str


@dataclass(frozen=True, slots=True)
class DocRef:
    """`data.aws_iam_policy_document.<name>.json` of this module."""

    name: str


def point(loc: Location | None) -> Location | None:
    """The first character of a location (a grant is reported where it starts)."""
    if loc is None:
        return None
    return Location(loc.path, Span(loc.span.line, loc.span.col, loc.span.line, loc.span.col + 1))


def flat_strings(value: object) -> list[object]:
    """A string or a (nested) list of strings as a flat list; bools and
    numbers as text; anything else stays (Unknown, HDict, refs)."""
    if value is None:
        return []
    if isinstance(value, list):
        out: list[object] = []
        for item in value:
            out.extend(flat_strings(item))
        return out
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [value]


@dataclass
class TfIndex(ModuleIndex):
    """ModuleIndex plus what the IAM side needs: each variable's default
    expression (a list of ARNs, an object), not only its text."""

    var_defaults: dict[str, Declared] = field(default_factory=dict)

    def add(self, f: HclFile) -> None:
        super().add(f)
        for block in blocks(top_body(f), "variable"):
            labels = block_labels(f, block)
            default = attributes(block_body(block)).get("default")
            expr = attr_expr(default) if default is not None else None
            if len(labels) == 1 and expr is not None:
                self.var_defaults.setdefault(labels[0], Declared(f, expr))


# An accessor after a primary: ("attr", name), ("index", value), ("splat",).
Accessor = tuple[Any, ...]


class Static:
    """Evaluates expressions of one module (a TfIndex) to plain values."""

    def __init__(self, index: TfIndex, *, with_defaults: bool = True) -> None:
        self.index = index
        self.with_defaults = with_defaults
        self._defaults: Static | None = None  # names of resources, when with_defaults is False
        # var./local. values, each computed once (a local used by every
        # statement of a module must not be re-evaluated, nor a cycle loop)
        self._named: dict[str, object] = {}

    # -- entry points ------------------------------------------------------
    def eval(self, f: HclFile, node: Node | None, scope: Mapping[str, object] | None = None, depth: int = 0) -> object:
        if node is None:
            return None
        if depth > MAX_DEPTH:
            return Unknown("expression nested too deeply")
        primary, postfix = unwrap(node) if node.type == "expression" else (node, [])
        kind = primary.type
        if kind == "variable_expr":
            head = f.text(primary.named_children[0]) if primary.named_children else ""
            return self._reference(f, head, self._accessors(f, postfix, scope, depth), scope, depth)
        if kind == "function_call":
            value = self._call(f, primary, scope, depth)
        elif kind == "literal_value":
            value = self._literal(f, primary)
        elif kind == "template_expr" and primary.named_children:
            value = self._template(f, primary.named_children[0], scope, depth)
        elif kind == "collection_value" and primary.named_children:
            value = self._collection(f, primary.named_children[0], scope, depth)
        elif kind == "conditional":
            value = self._conditional(f, primary, scope, depth)
        else:  # for expressions, operations
            return Unknown(kind.replace("_", " "))
        if postfix:
            value = self._navigate(value, self._accessors(f, postfix, scope, depth))
        return value

    def attr(self, decl: Declared, name: str, scope: Mapping[str, object] | None = None) -> object:
        """The value of attribute `name` of a declared block (None when absent)."""
        attr = attributes(block_body(decl.node)).get(name)
        expr = attr_expr(attr) if attr is not None else None
        return self.eval(decl.file, expr, scope) if expr is not None else None

    def deref(self, f: HclFile, expr: Node, depth: int = 0) -> tuple[HclFile, Node]:
        """Follow `local.x` to the expression it names (a role or a file name
        written once in locals.tf)."""
        while depth < MAX_DEPTH:
            primary, postfix = unwrap(expr)
            if primary.type != "variable_expr" or len(postfix) != 1 or postfix[0].type != "get_attr":
                break
            if not primary.named_children or f.text(primary.named_children[0]) != "local":
                break
            ident = next((c for c in postfix[0].named_children if c.type == "identifier"), None)
            decl = self.index.locals.get(f.text(ident)) if ident is not None else None
            if decl is None:
                break
            f, expr = decl.file, decl.node
            depth += 1
        return f, expr

    # -- pieces ------------------------------------------------------------
    def _literal(self, f: HclFile, primary: Node) -> object:
        lit = primary.named_children[0] if primary.named_children else None
        if lit is None or lit.type == "null_lit":
            return None
        if lit.type == "string_lit":
            return string_lit_value(f, lit)
        if lit.type == "bool_lit":
            return f.text(lit).strip() == "true"
        return f.text(lit)

    def _template(self, f: HclFile, template: Node, scope: Mapping[str, object] | None, depth: int) -> object:
        pieces = template_pieces(f, template)
        if len(pieces) == 1 and pieces[0][1] is not None:
            inner = hole_expression(pieces[0][1])
            if inner is not None:  # "${x}" is x itself, not its text
                return self.eval(f, inner, scope, depth + 1)
        out: list[str] = []
        for text, hole in pieces:
            if text is not None:
                out.append(text)
                continue
            inner = hole_expression(hole)
            out.append(WIDE if inner is None else to_text(self.eval(f, inner, scope, depth + 1)))
        return "".join(out)

    def _collection(self, f: HclFile, inner: Node, scope: Mapping[str, object] | None, depth: int) -> object:
        if inner.type == "tuple":
            lst = HList(f.loc(inner))
            for child in inner.named_children:
                if child.type == "expression":
                    lst.add(self.eval(f, child, scope, depth + 1), f.loc(child))
            return lst
        if inner.type == "object":
            start = inner.children[0] if inner.children else inner
            obj = HDict(f.loc(start))
            for name, key, val in object_elems(f, inner):
                obj[name] = self.eval(f, val, scope, depth + 1)
                obj.key_locs[name] = f.loc(key)
            return obj
        return Unknown(inner.type)

    def _conditional(self, f: HclFile, primary: Node, scope: Mapping[str, object] | None, depth: int) -> object:
        exprs = [c for c in primary.named_children if c.type == "expression"]
        if len(exprs) != 3:
            return Unknown("conditional")
        cond = self.eval(f, exprs[0], scope, depth + 1)
        if isinstance(cond, bool):
            return self.eval(f, exprs[1 if cond else 2], scope, depth + 1)
        a = self.eval(f, exprs[1], scope, depth + 1)
        b = self.eval(f, exprs[2], scope, depth + 1)
        if not isinstance(a, Unknown) and a == b and not (isinstance(a, str) and WIDE in a):
            return a
        return Unknown("a conditional")

    def _accessors(self, f: HclFile, postfix: list[Node], scope: Mapping[str, object] | None, depth: int) -> list[Accessor]:
        out: list[Accessor] = []
        for acc in postfix:
            if acc.type == "get_attr":
                ident = next((c for c in acc.named_children if c.type == "identifier"), None)
                out.append(("attr", f.text(ident)) if ident is not None else ("index", Unknown("attribute")))
            elif acc.type == "index":
                inner = acc.named_children[0] if acc.named_children else None
                if inner is not None and inner.type == "legacy_index":  # a.0
                    digits = f.text(inner).lstrip(".")
                    out.append(("index", digits))
                    continue
                key = next((c for c in (inner.named_children if inner is not None else []) if c.type == "expression"), None)
                out.append(("index", self.eval(f, key, scope, depth + 1) if key is not None else Unknown("index")))
            elif acc.type == "splat":
                out.append(("splat",))
                for splat in acc.named_children:
                    out.extend(self._accessors(f, list(splat.named_children), scope, depth))
            else:
                out.append(("index", Unknown(acc.type)))
        return out

    def _navigate(self, value: object, accessors: list[Accessor]) -> object:
        for i, acc in enumerate(accessors):
            if isinstance(value, Unknown):
                return value
            if acc[0] == "splat":
                rest = accessors[i + 1 :]
                items = value if isinstance(value, list) else [value]
                out = HList(getattr(value, "loc", None))
                locs = getattr(value, "locs", [None] * len(items))
                for item, loc in zip(items, locs):
                    out.add(self._navigate(item, rest), loc)
                return out
            key = acc[1]
            if isinstance(value, dict):
                if isinstance(key, str) and key in value:
                    value = value[key]
                    continue
                return Unknown(f"key {key!r}" if isinstance(key, str) else "a computed key")
            if isinstance(value, list):
                try:
                    idx = int(key) if isinstance(key, str) else None
                except ValueError:
                    idx = None
                if idx is not None and 0 <= idx < len(value):
                    value = value[idx]
                    continue
                return Unknown("an index")
            return Unknown("an attribute of a value that has none")
        return value

    # -- references --------------------------------------------------------
    def _reference(self, f: HclFile, head: str, accessors: list[Accessor], scope: Mapping[str, object] | None, depth: int) -> object:
        first = accessors[0][1] if accessors and accessors[0][0] == "attr" else None
        if head in ("var", "local") and first is not None:
            return self._navigate(self._named_value(head, first, depth), accessors[1:])
        if head == "each" and first in ("key", "value"):
            if scope is None or f"each.{first}" not in scope:
                return Unknown(f"each.{first}")
            return self._navigate(scope[f"each.{first}"], accessors[1:])
        if head == "path" and first in ("module", "root", "cwd"):
            return "."  # relative to the module's directory (see code.py)
        if head == "data" and len(accessors) >= 2 and first is not None and accessors[1][0] == "attr":
            attr, rest = _attribute(accessors[2:])
            return self._navigate(self.data_attr(first, accessors[1][1], attr, depth), rest)
        if "_" in head and first is not None and head not in ("each", "count"):
            attr, rest = _attribute(accessors[1:])
            splat = any(a[0] == "splat" for a in accessors[1:])
            value = self._navigate(self.resource_attr(head, first, attr, depth), rest)
            if splat:
                lst = HList(None)
                lst.add(value, None)
                return lst
            return value
        return Unknown(f"{head}.{first or '…'}")

    def variable(self, name: str) -> object:
        """What `var.<name>` evaluates to (its default)."""
        return self._named_value("var", name, 0)

    def _named_value(self, head: str, name: str, depth: int) -> object:
        key = f"{head}.{name}"
        if key in self._named:
            return self._named[key]
        decl = (self.index.var_defaults if head == "var" else self.index.locals).get(name)
        if decl is None:
            return Unknown(f"{key} has no default" if head == "var" else f"{key} is not declared")
        self._named[key] = Unknown(f"{key} refers to itself")
        value = self.eval(decl.file, decl.node, None, depth + 1)
        if head == "var" and not self.with_defaults:
            value = _deploy_input(value)
        self._named[key] = value
        return value

    def _block_text(self, decl: Declared, name: str, depth: int) -> str | None:
        if not self.with_defaults:
            # a parameter's name changes with the variable as the env value naming it does
            if self._defaults is None:
                self._defaults = Static(self.index)
            return self._defaults._block_text(decl, name, depth)
        attr = attributes(block_body(decl.node)).get(name)
        expr = attr_expr(attr) if attr is not None else None
        if expr is None:
            return None
        value = self.eval(decl.file, expr, None, depth + 1)
        return to_text(value) if value is not None else None

    def resource_attr(self, rtype: str, name: str, attr: str, depth: int = 0) -> object:
        """What `<rtype>.<name>.<attr>` evaluates to, when it names a parameter,
        secret, key or policy of this module."""
        decl = self.index.resources.get((rtype, name))
        if decl is None:
            return Unknown(f"{rtype}.{name} is not declared in this module")
        if rtype == "aws_ssm_parameter":
            pname = self._block_text(decl, "name", depth)
            if pname is None:
                return Unknown(f"{rtype}.{name} has no name")
            if attr in ("name", "id"):
                return pname
            if attr == "arn":
                return ssm_arn(pname)
        elif rtype == "aws_secretsmanager_secret":
            sname = self._secret_name(decl, depth)
            if sname is None:
                return Unknown(f"{rtype}.{name} has no name")
            if attr == "name":
                return sname
            if attr in ("arn", "id"):
                return secret_arn(sname)
        elif rtype == "aws_secretsmanager_secret_version" and attr in ("arn", "secret_id"):
            sid = self._block_text(decl, "secret_id", depth)
            return secret_arn(sid) if sid is not None else Unknown(f"{rtype}.{name} has no secret_id")
        elif rtype == "aws_iam_policy" and attr in ("arn", "id"):
            return PolicyRef(name)
        elif rtype == "aws_iam_role" and attr in ("name", "id"):
            rname = self._block_text(decl, "name", depth)
            return rname if rname is not None else Unknown(f"{rtype}.{name} has no static name")
        elif rtype in ("aws_kms_key", "aws_kms_replica_key") and attr == "arn":
            return _KMS_KEY
        elif rtype == "aws_kms_alias":
            alias = self._block_text(decl, "name", depth)
            if attr == "name" and alias is not None:
                return alias
            if attr == "arn" and alias is not None:
                return f"arn:{WIDE}:kms:{WIDE}:{WIDE}:{alias}"
            if attr == "target_key_arn":
                return _KMS_KEY
        return Unknown(f"{rtype}.{name}.{attr}")

    def data_attr(self, dtype: str, name: str, attr: str, depth: int = 0) -> object:
        if dtype in ("aws_caller_identity", "aws_region", "aws_partition"):
            return WIDE  # account id, region, partition: never narrow a grant
        decl = self.index.data.get((dtype, name))
        if decl is None:
            return Unknown(f"data.{dtype}.{name} is not declared in this module")
        if dtype == "aws_iam_policy_document" and attr in ("json", "minified_json"):
            return DocRef(name)
        if dtype == "aws_ssm_parameter":
            pname = self._block_text(decl, "name", depth)
            if pname is not None and attr in ("name", "id"):
                return pname
            if pname is not None and attr == "arn":
                return ssm_arn(pname)
        elif dtype == "aws_secretsmanager_secret":
            arn = self._block_text(decl, "arn", depth)
            sname = self._block_text(decl, "name", depth)
            if attr in ("arn", "id"):
                if arn is not None:
                    return arn
                if sname is not None:
                    return secret_arn(sname)
            if attr == "name" and sname is not None:
                return sname
        elif dtype == "aws_secretsmanager_secret_version" and attr in ("arn", "secret_id"):
            sid = self._block_text(decl, "secret_id", depth)
            if sid is not None:
                return secret_arn(sid)
        elif dtype == "aws_iam_policy" and attr in ("arn", "id"):
            arn = self._block_text(decl, "arn", depth)
            if arn is not None:
                return arn
            pname = self._block_text(decl, "name", depth)
            if pname is not None and WIDE not in pname and is_known_managed(pname):
                return f"arn:{WIDE}:iam::aws:policy/{pname}"
        elif dtype in ("aws_kms_key", "aws_kms_alias") and attr in ("arn", "target_key_arn"):
            return _KMS_KEY
        return Unknown(f"data.{dtype}.{name}.{attr}")

    def _secret_name(self, decl: Declared, depth: int) -> str | None:
        sname = self._block_text(decl, "name", depth)
        if sname is not None:
            return sname
        prefix = self._block_text(decl, "name_prefix", depth)
        return prefix + WIDE if prefix is not None else None

    # -- functions ---------------------------------------------------------
    def _call(self, f: HclFile, call: Node, scope: Mapping[str, object] | None, depth: int) -> object:
        name, args = function_parts(f, call)
        name = name.split("::")[-1]  # provider::aws::arn_build …

        def arg(i: int) -> object:
            return self.eval(f, args[i], scope, depth + 1) if i < len(args) else None

        if name in ("jsonencode", "tostring", "tolist", "toset", "tomap", "sensitive", "nonsensitive", "trimspace", "chomp") and args:
            return arg(0)
        if name == "jsondecode" and args:
            return _json_value(arg(0), f.loc(call))
        if name in ("concat", "flatten", "distinct", "compact", "sort"):
            values = [arg(i) for i in range(len(args))] if name == "concat" else [arg(0)]
            return _join_lists(values, flatten=name == "flatten", compact=name == "compact", dedupe=name in ("distinct",))
        if name == "merge":
            merged = HDict(f.loc(call))
            for i in range(len(args)):
                part = arg(i)
                if not isinstance(part, dict):
                    return Unknown("merge() of a value that is not an object")
                merged.update(part)
                merged.key_locs.update(getattr(part, "key_locs", {}))
            return merged
        if name == "format" and args:
            return _format(arg(0), [arg(i) for i in range(1, len(args))])
        if name == "join" and len(args) == 2:
            sep, items = arg(0), arg(1)
            if isinstance(sep, str) and isinstance(items, list):
                return sep.join(to_text(v) for v in flat_strings(items))
            return Unknown("join()")
        if name in ("lower", "upper") and args:
            value = arg(0)
            return (value.lower() if name == "lower" else value.upper()) if isinstance(value, str) else Unknown(f"{name}()")
        if name in ("try", "coalesce") and args:
            for i in range(len(args)):
                value = arg(i)
                if not isinstance(value, Unknown) and value not in (None, ""):
                    return value
                if name == "coalesce" and isinstance(value, Unknown):
                    return value
            return Unknown(f"{name}()")
        if name == "lookup" and len(args) >= 2:
            mapping, key = arg(0), arg(1)
            if isinstance(mapping, dict) and isinstance(key, str):
                return mapping[key] if key in mapping else (arg(2) if len(args) > 2 else Unknown("lookup()"))
            return Unknown("lookup()")
        if name in ("file", "templatefile", "filebase64"):
            return Unknown(f"{name}() reads a file")
        return Unknown(f"{name}()")


def _deploy_input(value: object) -> object:
    """A variable's default as the deployment may override it: the same
    lists and object keys (so statements and for_each items still line up),
    every text, number, bool and null WIDE."""
    if isinstance(value, list):
        lst = HList(getattr(value, "loc", None))
        locs = getattr(value, "locs", [None] * len(value))
        for item, loc in zip(value, locs):
            lst.add(_deploy_input(item), loc)
        return lst
    if isinstance(value, dict):
        obj = HDict(getattr(value, "loc", None))
        for k, v in value.items():
            obj[k] = _deploy_input(v)
        obj.key_locs.update(getattr(value, "key_locs", {}))
        return obj
    if isinstance(value, Unknown):
        return value
    return WIDE


def _attribute(accessors: list[Accessor]) -> tuple[str, list[Accessor]]:
    """The first attribute name after a resource's name (skipping `[0]`,
    `["key"]` and splats) and the accessors after it."""
    for i, acc in enumerate(accessors):
        if acc[0] == "attr":
            return acc[1], accessors[i + 1 :]
    return "", []


def to_text(value: object) -> str:
    """How a value prints inside `"${…}"`; WIDE when it is not known text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return WIDE


def ssm_arn(name: str) -> str:
    return ssm_parameter_arn(name, region=WIDE, account=WIDE, partition=WIDE)


def secret_arn(name_or_arn: str) -> str:
    return secret_arn_patterns(name_or_arn, region=WIDE, account=WIDE, partition=WIDE)[0]


def _join_lists(values: list[object], *, flatten: bool, compact: bool, dedupe: bool) -> object:
    out = HList(None)
    for value in values:
        if not isinstance(value, list):
            return Unknown("a list function of a value that is not a list")
        locs = getattr(value, "locs", [None] * len(value))
        for item, loc in zip(value, locs):
            if flatten and isinstance(item, list):
                inner = _join_lists([item], flatten=True, compact=False, dedupe=False)
                if isinstance(inner, Unknown):
                    return inner
                assert isinstance(inner, HList)
                for sub, sub_loc in zip(inner, inner.locs):
                    out.add(sub, sub_loc)
                continue
            if compact and item in (None, ""):
                continue
            if dedupe and item in out:
                continue
            out.add(item, loc)
    return out


def _format(fmt: object, args: list[object]) -> object:
    if not isinstance(fmt, str):
        return Unknown("format()")
    out: list[str] = []
    i = 0
    rest = list(args)
    while i < len(fmt):
        ch = fmt[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        j = i + 1
        while j < len(fmt) and not fmt[j].isalpha() and fmt[j] != "%":
            j += 1
        if j < len(fmt) and fmt[j] == "%":
            out.append("%")
        else:
            out.append(to_text(rest.pop(0)) if rest else WIDE)
        i = j + 1
    return "".join(out)


_JSON_WIDE = "\ue000"  # WIDE inside JSON text (a control character is not valid JSON)


def _json_value(text: object, loc: Location | None) -> object:
    if not isinstance(text, str):
        return Unknown("jsondecode() of a value that is not text")
    try:
        raw = json.loads(text.replace(WIDE, _JSON_WIDE))
    except ValueError:
        return Unknown("jsondecode() of text that is not JSON")
    return from_json(raw, loc)


def from_json(raw: object, loc: Location | None) -> object:
    """A parsed JSON value as HDict/HList/str (all located at `loc`)."""
    if isinstance(raw, dict):
        obj = HDict(loc)
        for k, v in raw.items():
            obj[str(k).replace(_JSON_WIDE, WIDE)] = from_json(v, loc)
        return obj
    if isinstance(raw, list):
        lst = HList(loc)
        for v in raw:
            lst.add(from_json(v, loc), loc)
        return lst
    if isinstance(raw, str):
        return raw.replace(_JSON_WIDE, WIDE)
    if isinstance(raw, bool) or raw is None:
        return raw
    return str(raw)


def to_json_text(value: object) -> str:
    """A value rendered as JSON text (for `${jsonencode(x)}` inside a heredoc),
    WIDE kept as a JSON-safe stand-in."""
    def plain(v: object) -> object:
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, str):
            return v.replace(WIDE, _JSON_WIDE)
        if isinstance(v, bool) or v is None:
            return v
        return _JSON_WIDE
    return json.dumps(plain(value))


JSON_WIDE = _JSON_WIDE

