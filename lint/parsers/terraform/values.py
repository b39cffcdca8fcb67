"""Static evaluation of HCL expressions in Lambda env values: what a value is
MADE OF (literal text, variables, secret stores, resource attributes), in the
same terms as intrinsics.py uses for CloudFormation. Anything we cannot see
through becomes an UNKNOWN source, never a guess.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.model.infra import EnvValue, SourceKind, ValueSource
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.terraform.hcl import (
    HclFile,
    as_object,
    block_header,
    function_parts,
    hole_expression,
    object_elems,
    scalar_text,
    string_lit_value,
    string_value,
    template_name,
    template_pieces,
    traversal,
    unwrap,
)
from lambda_secrets_lint.parsers.terraform.module import Declared, ModuleIndex, block_attr

if TYPE_CHECKING:
    from tree_sitter import Node
else:
    Node = Any

MAX_DEPTH = 24

# Managed-resource attributes that ARE the secret value (the plaintext is in state
# and, once referenced, in the function configuration).
SECRET_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "aws_iam_access_key": frozenset({"secret", "ses_smtp_password_v4"}),
    "aws_cognito_user_pool_client": frozenset({"client_secret"}),
    "random_password": frozenset({"result"}),
    "aws_appsync_api_key": frozenset({"key"}),
    "aws_api_gateway_api_key": frozenset({"value"}),
    "aws_iam_user_login_profile": frozenset({"password"}),
    "aws_iam_service_specific_credential": frozenset({"service_password"}),
    "tls_private_key": frozenset({"private_key_pem", "private_key_openssh", "private_key_pem_pkcs8"}),
    "aws_db_instance": frozenset({"password"}),
    "aws_rds_cluster": frozenset({"master_password"}),
    "aws_elasticache_replication_group": frozenset({"auth_token"}),
}
_SECRET_VALUE_ATTRS = frozenset({"secret_string", "secret_binary"})

# Functions whose result is their first argument's text.
_PASS_THROUGH = frozenset({"tostring", "trimspace", "chomp", "nonsensitive", "sensitive", "trim", "trimsuffix", "trimprefix"})
# Either argument may be the value.
_ALTERNATIVES = frozenset({"try", "coalesce"})
# Results that no longer carry the input's secret (digests, sizes, clocks).
_OPAQUE = frozenset({
    "md5", "sha1", "sha256", "sha512", "base64sha256", "base64sha512", "bcrypt", "length", "uuid",
    "uuidv5", "timestamp", "filemd5", "filesha1", "filesha256", "filesha512", "filebase64sha256",
    "filebase64sha512", "file", "filebase64", "templatefile", "fileexists", "fileset", "abspath",
    "dirname", "basename", "pathexpand", "cidrhost", "cidrnetmask", "cidrsubnet", "cidrsubnets",
})
# Kinds that say the value is (or may be) a secret; they survive functions we don't model.
_SECRET_KINDS = frozenset({
    SourceKind.SECRETS_MANAGER, SourceKind.SSM, SourceKind.SSM_SECURE,
    SourceKind.SECRET_ATTRIBUTE, SourceKind.TEMPLATE_PARAMETER,
})
_FORMAT_VERB = re.compile(r"%(%|[-+# 0]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z])")
_PSEUDO_HEADS = frozenset({"path", "terraform"})

_BREAK = object()  # separates alternatives so their texts are never glued


@dataclass(frozen=True, slots=True)
class Entry:
    """One `KEY = value` of an env map, wherever it is written."""

    name: str
    key_file: HclFile
    key_node: Node
    value_file: HclFile
    value_node: Node


class Evaluator:
    def __init__(self, index: ModuleIndex) -> None:
        self.index = index

    # -- env maps ----------------------------------------------------------
    def entries(self, f: HclFile, expr: Node, depth: int = 0) -> list[Entry]:
        """The KEY = value pairs of `variables = …`: an object, a local, a
        merge() of those (later wins), or either branch of a conditional."""
        if depth > MAX_DEPTH:
            return []
        obj = as_object(expr)
        if obj is not None:
            return [Entry(name, f, key, f, val) for name, key, val in object_elems(f, obj)]
        primary, postfix = unwrap(expr)
        if primary.type == "function_call" and not postfix:
            name, args = function_parts(f, primary)
            if name == "merge":
                merged: dict[str, Entry] = {}
                for arg in args:
                    for e in self.entries(f, arg, depth + 1):
                        merged[e.name] = e
                return list(merged.values())
            return []
        if primary.type == "conditional" and not postfix:
            exprs = [c for c in primary.named_children if c.type == "expression"]
            out: list[Entry] = []
            for branch in exprs[1:3]:
                out.extend(self.entries(f, branch, depth + 1))
            return out
        target = self._local_target(f, expr, depth)
        if target is not None:
            return self.entries(target.file, target.node, depth + 1)
        return []

    def _local_target(self, f: HclFile, expr: Node, depth: int) -> Declared | None:
        """`local.x` / `local.x.y` / `local.x["y"]` -> the expression it names."""
        trav = traversal(f, expr)
        if trav is None or trav[0] != "local" or not trav[1] or trav[1][0] is None:
            return None
        decl = self.index.locals.get(trav[1][0])
        if decl is None:
            return None
        return self._navigate(decl, trav[1][1:], depth)

    def _navigate(self, decl: Declared, steps: list[str | None], depth: int) -> Declared | None:
        for step in steps:
            if depth > MAX_DEPTH or step is None:
                return None
            obj = as_object(decl.node)
            if obj is None:
                inner = self._local_target(decl.file, decl.node, depth + 1)
                if inner is None:
                    return None
                decl = inner
                obj = as_object(decl.node)
                if obj is None:
                    return None
            found = None
            for name, _key, val in object_elems(decl.file, obj):
                if name == step:
                    found = Declared(decl.file, val)
            if found is None:
                return None
            decl = found
            depth += 1
        return decl

    # -- values ------------------------------------------------------------
    def value(self, f: HclFile, expr: Node) -> EnvValue:
        pieces: list[object] = []
        self._collect(f, expr, pieces, 0)
        return _finish(pieces)

    def _collect(self, f: HclFile, node: Node, out: list[object], depth: int) -> None:
        if depth > MAX_DEPTH:
            out.append(ValueSource(SourceKind.UNKNOWN, detail="expression nested too deeply"))
            return
        primary, postfix = unwrap(node) if node.type == "expression" else (node, [])
        kind = primary.type
        if kind == "variable_expr":
            self._reference(f, node, out, depth)
        elif kind == "function_call":
            self._call(f, primary, out, depth)  # `jsondecode(x)["k"]`: the field of x
        elif postfix:
            out.append(ValueSource(SourceKind.UNKNOWN, detail=f"{kind} with accessors"))
        elif kind == "literal_value":
            lit = primary.named_children[0] if primary.named_children else None
            if lit is None or lit.type == "null_lit":
                return
            out.append(string_lit_value(f, lit) if lit.type == "string_lit" else f.text(lit))
        elif kind == "template_expr":
            self._template(f, primary.named_children[0], out, depth)
        elif kind == "conditional":
            exprs = [c for c in primary.named_children if c.type == "expression"]
            self._branches(f, exprs[1:3], out, depth)
        elif kind == "collection_value":
            inner = primary.named_children[0].type if primary.named_children else ""
            out.append(ValueSource(SourceKind.UNKNOWN, detail="mapping value" if inner == "object" else "list value"))
        else:  # operations, for expressions
            out.append(ValueSource(SourceKind.UNKNOWN, detail=kind))

    def _branches(self, f: HclFile, exprs: list[Node], out: list[object], depth: int) -> None:
        for expr in exprs:
            out.append(_BREAK)
            self._collect(f, expr, out, depth + 1)
        out.append(_BREAK)

    def _template(self, f: HclFile, template: Node, out: list[object], depth: int) -> None:
        for text, hole in template_pieces(f, template):
            if text is not None:
                out.append(text)
                continue
            inner = hole_expression(hole)
            if inner is None:
                out.append(ValueSource(SourceKind.UNKNOWN, detail="template directive"))
            else:
                self._collect(f, inner, out, depth + 1)

    def _call(self, f: HclFile, call: Node, out: list[object], depth: int) -> None:
        name, args = function_parts(f, call)
        if name in _PASS_THROUGH and args:
            self._collect(f, args[0], out, depth + 1)
        elif name in _ALTERNATIVES and args:
            self._branches(f, args, out, depth)
        elif name == "format" and args:
            self._format(f, name, args, out, depth)
        elif name in _OPAQUE:
            out.append(ValueSource(SourceKind.UNKNOWN, detail=f"{name}()"))
        else:
            # jsondecode(secret)["password"], base64decode(…), lookup(…), join(…):
            # the text changes, but a secret going in is still a secret coming out.
            inner: list[object] = []
            for arg in args:
                self._collect(f, arg, inner, depth + 1)
            kept = [p for p in inner if isinstance(p, ValueSource) and p.kind in _SECRET_KINDS]
            out.extend(kept)
            if not kept:
                out.append(ValueSource(SourceKind.UNKNOWN, detail=f"{name}()"))

    def _format(self, f: HclFile, name: str, args: list[Node], out: list[object], depth: int) -> None:
        text = string_value(f, args[0])
        if text is None:
            out.append(ValueSource(SourceKind.UNKNOWN, detail=f"{name}()"))
            return
        rest = list(args[1:])
        last = 0
        for m in _FORMAT_VERB.finditer(text):
            out.append(text[last : m.start()])
            last = m.end()
            if m.group(1) == "%":
                out.append("%")
            elif rest:
                self._collect(f, rest.pop(0), out, depth + 1)
            else:
                out.append(ValueSource(SourceKind.UNKNOWN, detail=f"{name}()"))
        out.append(text[last:])

    # -- references --------------------------------------------------------
    def _reference(self, f: HclFile, expr: Node, out: list[object], depth: int) -> None:
        trav = traversal(f, expr)
        if trav is None:
            out.append(ValueSource(SourceKind.UNKNOWN, detail="expression"))
            return
        head, steps = trav
        first = steps[0] if steps else None
        if head == "var" and first is not None:
            out.append(self._variable(first))
        elif head == "local" and first is not None:
            target = self._local_target(f, expr, depth)
            if target is None and first in self.index.locals:
                target = self.index.locals[first]  # local.x["k"] we cannot navigate: all of x
            if target is None:
                out.append(ValueSource(SourceKind.UNKNOWN, name=f"local.{first}", detail="undeclared local"))
            else:
                self._collect(target.file, target.node, out, depth + 1)
        elif head == "data" and len(steps) >= 2 and steps[0] is not None and steps[1] is not None:
            out.append(self._data_source(steps[0], steps[1], _attr(steps[2:])))
        elif head == "module" and first is not None:
            out.append(ValueSource(SourceKind.RESOURCE, name=f"module.{first}", detail=f"module.{first}.{_attr(steps[1:])}"))
        elif head in _PSEUDO_HEADS:
            out.append(ValueSource(SourceKind.PSEUDO, name=f"{head}.{first or ''}"))
        elif "_" in head and first is not None and len(steps) >= 2:
            out.append(self._resource(head, first, _attr(steps[1:])))
        else:  # each.value, count.index, self.x, a for-expression variable
            out.append(ValueSource(SourceKind.UNKNOWN, name=head, detail="expression"))

    def _variable(self, name: str) -> ValueSource:
        param = self.index.variables.get(name)
        return ValueSource(
            SourceKind.TEMPLATE_PARAMETER, name=name, template_parameter=name,
            no_echo=param.no_echo if param is not None else False,
            location=param.location if param is not None else None,
        )

    def _data_source(self, dtype: str, name: str, attr: str) -> ValueSource:
        address = f"data.{dtype}.{name}"
        decl = self.index.data.get((dtype, name))
        where = _block_loc(decl)
        if dtype == "aws_secretsmanager_secret_version" and attr in _SECRET_VALUE_ATTRS:
            secret_id = template_name(decl.file, block_attr(decl, "secret_id")) if decl is not None else None
            return ValueSource(SourceKind.SECRETS_MANAGER, name=secret_id or address, detail=f"{address}.{attr}", location=where)
        if dtype == "aws_ssm_parameter" and attr in ("value", "insecure_value"):
            pname = template_name(decl.file, block_attr(decl, "name")) if decl is not None else None
            decrypt = True
            if decl is not None:
                flag = _scalar(decl, "with_decryption")
                decrypt = flag is None or flag.lower() != "false"
            # insecure_value is only valid for String/StringList parameters: never decrypted.
            return ValueSource(
                SourceKind.SSM, name=pname or address, template_parameter=name,
                decrypted=decrypt and attr == "value", detail=f"{address}.{attr}", location=where,
            )
        return ValueSource(SourceKind.RESOURCE, name=address, detail=f"{address}.{attr}", location=where)

    def _resource(self, rtype: str, name: str, attr: str) -> ValueSource:
        address = f"{rtype}.{name}"
        decl = self.index.resources.get((rtype, name))
        where = _block_loc(decl)
        if attr in SECRET_ATTRIBUTES.get(rtype, ()):
            return ValueSource(SourceKind.SECRET_ATTRIBUTE, name=address, detail=f"{rtype}.{attr}", location=where)
        if rtype == "aws_secretsmanager_secret_version" and attr in _SECRET_VALUE_ATTRS:
            return ValueSource(SourceKind.SECRETS_MANAGER, name=address, detail=f"{address}.{attr}", location=where)
        if rtype == "aws_ssm_parameter" and attr in ("value", "insecure_value"):
            pname = template_name(decl.file, block_attr(decl, "name")) if decl is not None else None
            ptype = _scalar(decl, "type") if decl is not None else None
            return ValueSource(
                SourceKind.SSM, name=pname or address, template_parameter=name,
                decrypted=attr == "value" and ptype == "SecureString", detail=f"{address}.{attr}", location=where,
            )
        return ValueSource(SourceKind.RESOURCE, name=address, detail=f"{rtype}.{attr}", location=where)


def _attr(steps: list[str | None]) -> str:
    return next((s for s in steps if s is not None), "")


def _scalar(decl: Declared, name: str) -> str | None:
    return scalar_text(decl.file, block_attr(decl, name))


def _block_loc(decl: Declared | None) -> Location | None:
    if decl is None:
        return None
    first, last = block_header(decl.node)
    return decl.file.loc(first, last)


def _finish(pieces: list[object]) -> EnvValue:
    sources = tuple(p for p in pieces if isinstance(p, ValueSource))
    parts: list[str] = []
    run: list[str] = []
    for p in pieces:
        if isinstance(p, str):
            run.append(p)
            continue
        if run:
            parts.append("".join(run))
            run = []
    if run:
        parts.append("".join(run))
    parts = [p for p in parts if p]
    only_text = bool(pieces) and all(isinstance(p, str) for p in pieces)
    literal = "".join(pieces) if only_text else None  # type: ignore[arg-type]
    if literal is not None:
        parts = [literal] if literal else []
    return EnvValue(literal=literal, literal_parts=tuple(parts), sources=sources)
