"""Serverless Framework (`serverless.yml` / `.yaml` / `.json`) → Template facts.

Environment: `provider.environment` shallow-merged with
`functions.<f>.environment` (the function wins per key), as the framework's
compile step does (REFERENCE.md §F). Values are strings with `${…}`
variables, or CloudFormation intrinsics (evaluated like templates, against
the `resources.Resources` section).

Variables are resolved only where the file itself says what they are:
- `${ssm:…}`, `${ssm(raw):…}`, `${ssm(eu-west-1, raw):…}`, `${<resolver>:ssm:…}`
  (v4), legacy `${ssm:/x~true}`: resolved at package time WITH decryption
  (v3+) → an SSM source with decrypted=True; `${ssm(noDecrypt):…}` → not
  decrypted; `${ssm:/aws/reference/secretsmanager/<id>}` → Secrets Manager.
- `${self:a.b.c}`: looked up in this file and evaluated in turn (so a
  literal secret under `custom:` is a literal, LSL101).
- Everything else (`${env:…}`, `${file(…)}`, `${opt:…}`, `${sls:…}`,
  `${aws:…}`, `${cf:…}`, `${param:…}`, `${s3:…}`) is unknown — never a literal.

For the IAM rules (LSL3xx) each function also gets its code (`handler`
relative to the service directory) and its role (serverless_iam.py); the
template lists the parameters and secrets declared under
`resources.Resources` as `stores`. An env value's `pattern` is its text
with unknown parts as `*`, so an env var holding
`/checkout/${sls:stage}/db-password` is followed to `/checkout/*/db-password`.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from lambda_secrets_lint.model.infra import CodeRef, EnvVar, LambdaFunction, SourceKind, Template, ValueSource
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.parsers.intrinsics import BREAK, TemplateContext, combine, evaluate
from lambda_secrets_lint.parsers.nodes import PosDict
from lambda_secrets_lint.parsers.serverless_iam import SECRET, SSM_PARAMETER, WIDE, ServerlessIam, declared_names

_SECRETS_MANAGER_REF = "/aws/reference/secretsmanager/"
_MAX_DEPTH = 10
# ssm / ssm(raw) / ssm(eu-west-1, noDecrypt) / awsProd:ssm (v4 resolver)
_STAGE_VARIABLE = re.compile(r"\$\{(?:sls:stage|opt:stage[^}]*|self:provider\.stage|param:stage)\}")
_SSM = re.compile(r"^(?:[A-Za-z0-9_-]+:)?ssm(?:\(([^)]*)\))?:(.*)$", re.DOTALL)
# Inside Fn::Sub, CloudFormation's own `${AWS::Region}` / `${Logical}` /
# `${Logical.Attr}` (serverless variables always name a source: `${self:…}`).
_CFN_SUB_NAME = re.compile(r"AWS::\w+|[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9.]+)?")


def is_serverless(doc: object) -> bool:
    if not isinstance(doc, dict):
        return False
    provider = doc.get("provider")
    name = provider.get("name") if isinstance(provider, dict) else provider
    return "service" in doc and (name in (None, "aws") or not isinstance(name, str))


def _dict(node: object) -> Mapping[str, object]:
    return node if isinstance(node, dict) else {}


def _split_variables(text: str) -> list[tuple[bool, str]]:
    """[(is_variable, text)] with nested `${…}` kept inside their variable."""
    out: list[tuple[bool, str]] = []
    i = last = 0
    while i < len(text):
        if text.startswith("${", i):
            depth, j = 0, i
            while j < len(text):
                if text.startswith("${", j):
                    depth += 1
                    j += 2
                    continue
                if text[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if depth != 0:
                break  # unterminated: the rest is literal text
            if i > last:
                out.append((False, text[last:i]))
            out.append((True, text[i + 2 : j]))
            i = last = j + 1
            continue
        i += 1
    if last < len(text):
        out.append((False, text[last:]))
    return out


def _strip_fallback(expr: str) -> str:
    """`ssm:/a/b, 'default'` → `ssm:/a/b` (a comma outside nested variables)."""
    depth = parens = 0
    for i, ch in enumerate(expr):
        if expr.startswith("${", i):
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif ch == "(":
            parens += 1  # ssm(eu-west-1, noDecrypt): the comma is a parameter separator
        elif ch == ")" and parens:
            parens -= 1
        elif ch == "," and depth == 0 and parens == 0:
            return expr[:i].strip()
    return expr.strip()


class _Resolver:
    def __init__(self, doc: Mapping[str, object], ctx: TemplateContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self._ssm_resolvers: dict[tuple[str, str], str] | None = None

    def glob(self, text: str, *, sub: bool = False) -> str:
        """`text` with each variable replaced by what this file says it is;
        WIDE for what only the deployment knows (stage, region, CLI options,
        the deployer's env) or what has alternatives (per-stage entries)."""
        out: list[str] = []
        for is_var, part in _split_variables(text):
            if not is_var:
                out.append(part)
                continue
            expr = _strip_fallback(part)
            if sub and _CFN_SUB_NAME.fullmatch(expr):
                out.append("${" + part + "}")
                continue
            pieces = self._variable(expr, 0)
            if any(p is BREAK for p in pieces):
                out.append(WIDE)
                continue
            for p in pieces:
                if isinstance(p, str):
                    out.append(p)
                elif isinstance(p, ValueSource) and p.text is not None:
                    out.append(p.text)
                else:
                    out.append(WIDE)
        return "".join(out)

    def lookup(self, address: str) -> tuple[bool, object]:
        return self._lookup(address)

    def value_pieces(self, node: object, depth: int = 0) -> list[object]:
        if depth > _MAX_DEPTH:
            return [ValueSource(SourceKind.UNKNOWN, detail="variables nested too deeply")]
        if isinstance(node, str):
            return self._string_pieces(node, depth)
        if isinstance(node, bool):
            return ["true" if node else "false"]
        if isinstance(node, (int, float)):
            return [str(node)]
        if node is None:
            return []
        if isinstance(node, dict) and len(node) == 1:
            # A CloudFormation intrinsic: evaluate it like a template would.
            value = evaluate(node, self.ctx)
            pieces: list[object] = list(value.literal_parts) if value.literal is None else [value.literal]
            return pieces + list(value.sources)
        return [ValueSource(SourceKind.UNKNOWN, detail="structured value")]

    def _string_pieces(self, text: str, depth: int) -> list[object]:
        pieces: list[object] = []
        for is_var, part in _split_variables(text):
            if not is_var:
                pieces.append(part)
                continue
            pieces.extend(self._variable(_strip_fallback(part), depth))
        return pieces

    def _variable(self, expr: str, depth: int) -> list[object]:
        if "${" in expr:
            if expr.startswith("self:") and _STAGE_VARIABLE.search(expr):
                # ${self:custom.stages.${sls:stage}.dbPassword}: any stage may be
                # deployed, so the value is made of every stage's entry.
                return self._per_stage(expr[len("self:") :], depth)
            return [ValueSource(SourceKind.UNKNOWN, detail="nested variable")]
        m = _SSM.match(expr)
        if m:
            return [self._ssm(m.group(1) or "", m.group(2).strip())]
        named = self._named_ssm(expr)
        if named is not None:
            return [named]
        if expr.startswith("self:"):
            found, node = self._lookup(expr[len("self:") :])
            if not found:
                return [ValueSource(SourceKind.UNKNOWN, name=expr, detail="self reference not found")]
            return self.value_pieces(node, depth + 1)
        source = expr.split(":", 1)[0].split("(", 1)[0]
        return [ValueSource(SourceKind.UNKNOWN, name=expr if source in ("env", "opt", "sls", "aws") else "", detail=f"${{{source}:…}}")]

    def _per_stage(self, address: str, depth: int) -> list[object]:
        nodes: list[object] = [self.doc]
        for part in re.split(r"\.(?![^{]*\})", address):
            if _STAGE_VARIABLE.fullmatch(part):
                nodes = [child for n in nodes if isinstance(n, dict) for child in n.values()]
            else:
                nodes = [n[part] for n in nodes if isinstance(n, dict) and part in n]
        if not nodes:
            return [ValueSource(SourceKind.UNKNOWN, detail="per-stage reference not found")]
        pieces: list[object] = []
        for node in nodes:
            pieces += [BREAK, *self.value_pieces(node, depth + 1)]
        return pieces + [BREAK]

    def _named_ssm(self, expr: str) -> ValueSource | None:
        """v4: `${awsShared:rawSsm:/path}` where stages.*.resolvers.awsShared.rawSsm
        is `{type: ssm, rawOrDecrypt: raw|noDecrypt}`."""
        parts = expr.split(":", 2)
        if len(parts) != 3:
            return None
        options = self.ssm_resolvers.get((parts[0], parts[1]))
        if options is None:
            return None
        return self._ssm(options, parts[2].strip())

    @property
    def ssm_resolvers(self) -> dict[tuple[str, str], str]:
        if self._ssm_resolvers is None:
            found: dict[tuple[str, str], str] = {}
            for stage in _dict(self.doc.get("stages")).values():
                for provider, subs in _dict(_dict(stage).get("resolvers")).items():
                    for sub, spec in _dict(subs).items():
                        if isinstance(spec, dict) and spec.get("type") == "ssm":
                            found[(str(provider), str(sub))] = str(spec.get("rawOrDecrypt", ""))
            self._ssm_resolvers = found
        return self._ssm_resolvers

    def _ssm(self, params: str, address: str) -> ValueSource:
        options = {p.strip().lower() for p in params.split(",") if p.strip()}
        legacy_decrypt = address.endswith("~true")
        address = address.removesuffix("~true").removesuffix("~split").strip().strip("'\"")
        if address.startswith(_SECRETS_MANAGER_REF):
            return ValueSource(SourceKind.SECRETS_MANAGER, name=address[len(_SECRETS_MANAGER_REF) :])
        decrypted = "nodecrypt" not in options or legacy_decrypt
        return ValueSource(SourceKind.SSM, name=address, decrypted=decrypted, detail="serverless ${ssm}")

    def _lookup(self, address: str) -> tuple[bool, object]:
        node: object = self.doc
        for part in address.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return False, None
        return True, node


def _code(path: str, function: Mapping[str, object], provider: Mapping[str, object], resolver: _Resolver) -> CodeRef | None:
    """`handler` is relative to the service directory (REFERENCE.md §F);
    `runtime` is the function's, else the provider's (variables resolved
    when this file defines them: `${self:custom.runtime}`)."""
    handler = function.get("handler")
    runtime = function.get("runtime", provider.get("runtime", ""))
    if not isinstance(handler, str) or not isinstance(runtime, str):
        return None
    handler, runtime = resolver.glob(handler), resolver.glob(runtime)
    if WIDE in handler:
        return None
    return CodeRef(root=posixpath.dirname(path), handler=handler, runtime="" if WIDE in runtime else runtime)


def _intrinsics_context(resources: Mapping[str, object], names: Mapping[str, str]) -> TemplateContext:
    """Resources as CloudFormation will see them: serverless variables in a
    parameter's or secret's `Name` are resolved first (their Ref is that name)."""
    props: dict[str, object] = {}
    for k, v in resources.items():
        body = _dict(v)
        p = body.get("Properties")
        name = names.get(str(k))
        if name is not None and isinstance(p, dict) and body.get("Type") in (SSM_PARAMETER, SECRET):
            p = p.copy()
            p["Name"] = name
        props[str(k)] = p
    return TemplateContext(
        parameters={},
        resource_types={str(k): str(_dict(v).get("Type", "")) for k, v in resources.items()},
        resource_props=props,
        mappings={},
    )


def build_serverless(path: str, doc: object) -> Template | None:
    if not isinstance(doc, PosDict) or not is_serverless(doc):
        return None
    resources = _dict(_dict(doc.get("resources")).get("Resources"))
    # Names of declared parameters/secrets may use variables; the resolver
    # needs no context to resolve those, and Ref of them needs the names.
    resolver = _Resolver(doc, _intrinsics_context(resources, {}))
    resolver.ctx = _intrinsics_context(resources, declared_names(resources, resolver))
    iam = ServerlessIam(path, doc, resolver, resolver.ctx)
    provider = doc.get("provider")
    provider_env = _dict(provider).get("environment") if isinstance(provider, dict) else None
    functions = doc.get("functions")
    out: list[LambdaFunction] = []
    for name, body in _dict(functions).items():
        env: dict[str, EnvVar] = {}
        for container, declared_in, prefix in (
            (provider_env, "provider", "provider/environment"),
            (_dict(body).get("environment"), "function", f"functions/{name}/environment"),
        ):
            if not isinstance(container, PosDict):
                continue
            for key in container:
                env[str(key)] = EnvVar(
                    name=str(key),
                    value=combine(resolver.value_pieces(container[key])),
                    key_location=Location(path, container.key_spans.get(key, container.span)),
                    value_location=Location(path, container.value_spans.get(key, container.span)),
                    function=str(name),
                    declared_in=declared_in,
                    pointer=f"{prefix}/{key}",
                )
        fspan = functions.key_spans.get(name, functions.span) if isinstance(functions, PosDict) else Span.point(1)
        out.append(
            LambdaFunction(str(name), "serverless-function", Location(path, fspan), tuple(env.values()),
                           code=_code(path, _dict(body), _dict(provider), resolver),
                           role=iam.role_for(str(name), _dict(body)))
        )
    return Template(
        path=path, is_sam=False, synthesized=False, parameters=(), resources=(), functions=tuple(out),
        tool="serverless", stores=iam.stores(),
    )


__all__ = ["build_serverless", "is_serverless"]
