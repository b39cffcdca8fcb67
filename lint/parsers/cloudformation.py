"""CloudFormation/SAM templates → Template facts.

Input is the positioned tree from cfn_yaml/cfn_json (long-form intrinsics,
PosDict/PosList containers that know where each key and value is written).
"""
from __future__ import annotations

import posixpath
from collections.abc import Mapping

from lambda_secrets_lint.model.infra import (
    CodeRef,
    EnvVar,
    IgnoreEntry,
    LambdaFunction,
    Resource,
    Template,
    TemplateParameter,
)
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.parsers.cfn_roles import RoleReader
from lambda_secrets_lint.parsers.intrinsics import TemplateContext, evaluate
from lambda_secrets_lint.parsers.nodes import PosDict, PosList

FUNCTION_TYPES = frozenset({"AWS::Lambda::Function", "AWS::Serverless::Function"})
SAM_FUNCTION = "AWS::Serverless::Function"
METADATA_KEY = "lambda-secrets-lint"


def is_template(doc: object) -> bool:
    """CloudFormation's own markers: the format version, a SAM transform, or
    Resources whose types are AWS:: types."""
    if not isinstance(doc, dict):
        return False
    if "AWSTemplateFormatVersion" in doc:
        return True
    transform = doc.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    if any(isinstance(t, str) and t.startswith("AWS::Serverless") for t in transforms):
        return True
    resources = doc.get("Resources")
    if isinstance(resources, dict):
        return any(
            isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith("AWS::")
            for r in resources.values()
        )
    return False


def _span(container: object, key: object, which: str = "value") -> Span:
    if isinstance(container, PosDict):
        spans = container.key_spans if which == "key" else container.value_spans
        if key in spans:
            return spans[key]
        return container.span
    if isinstance(container, PosList) and isinstance(key, int) and key < len(container.item_spans):
        return container.item_spans[key]
    return getattr(container, "span", Span.point(1))


def _dict(node: object) -> Mapping[str, object]:
    return node if isinstance(node, dict) else {}


class _Builder:
    def __init__(self, path: str, doc: PosDict, synthesized: bool) -> None:
        self.path = path
        self.doc = doc
        self.synthesized = synthesized

    def loc(self, container: object, key: object, which: str = "value") -> Location:
        return Location(self.path, _span(container, key, which))

    def parameters(self) -> tuple[TemplateParameter, ...]:
        params = self.doc.get("Parameters")
        out: list[TemplateParameter] = []
        for name, body in _dict(params).items():
            body_d = _dict(body)
            default = body_d.get("Default")
            no_echo = body_d.get("NoEcho")
            out.append(
                TemplateParameter(
                    name=str(name),
                    type=str(body_d.get("Type", "String")),
                    location=self.loc(params, name, "key"),
                    default=None if default is None or isinstance(default, (dict, list)) else _scalar_text(default),
                    default_location=self.loc(body, "Default", "key") if "Default" in body_d else None,
                    no_echo=no_echo is True or str(no_echo).lower() == "true",
                )
            )
        return tuple(out)

    def resources(self) -> tuple[Resource, ...]:
        resources = self.doc.get("Resources")
        out: list[Resource] = []
        for logical_id, body in _dict(resources).items():
            body_d = _dict(body)
            value_span = _span(resources, logical_id)
            out.append(
                Resource(
                    logical_id=str(logical_id),
                    type=str(body_d.get("Type", "")),
                    location=self.loc(resources, logical_id, "key"),
                    end_line=value_span.end_line,
                    ignores=self._ignores(body_d.get("Metadata")),
                )
            )
        return tuple(out)

    def _ignores(self, metadata: object) -> tuple[IgnoreEntry, ...]:
        block = _dict(metadata).get(METADATA_KEY)
        entries = _dict(block).get("ignore")
        if not isinstance(entries, list):
            return ()
        out: list[IgnoreEntry] = []
        for i, entry in enumerate(entries):
            where = self.loc(entries, i)
            if isinstance(entry, str):
                out.append(IgnoreEntry(entry, "", where))
            elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
                out.append(IgnoreEntry(entry["id"], str(entry.get("reason", "")), where))
        return tuple(out)

    def functions(self, ctx: TemplateContext, roles: RoleReader) -> tuple[LambdaFunction, ...]:
        resources = self.doc.get("Resources")
        globals_env = self._globals_env()
        out: list[LambdaFunction] = []
        for logical_id, body in _dict(resources).items():
            body_d = _dict(body)
            rtype = body_d.get("Type")
            if rtype not in FUNCTION_TYPES:
                continue
            env: dict[str, EnvVar] = {}
            if rtype == SAM_FUNCTION and not _ignores_globals(body_d.get("IgnoreGlobals")):
                for name, (container, key_node) in globals_env.items():
                    env[name] = self._env_var(
                        str(logical_id), name, container, key_node, ctx, "globals",
                        f"Globals/Function/Environment/Variables/{name}",
                    )
            variables = _dict(_dict(_dict(body_d.get("Properties")).get("Environment")).get("Variables"))
            for name in variables:
                env[str(name)] = self._env_var(
                    str(logical_id), str(name), variables, name, ctx, "function",
                    f"Resources/{logical_id}/Properties/Environment/Variables/{name}",
                )
            fn_location = self.loc(resources, logical_id, "key")
            out.append(
                LambdaFunction(
                    logical_id=str(logical_id),
                    resource_type=str(rtype),
                    location=fn_location,
                    env=tuple(env.values()),
                    code=self._code(body_d, str(rtype)),
                    role=roles.role_of(str(logical_id), body_d, fn_location.span),
                )
            )
        return tuple(out)

    def _code(self, body: Mapping[str, object], rtype: str) -> CodeRef | None:
        """Code location per REFERENCE.md §E.5; None when an intrinsic or an
        S3 object makes it unknowable statically."""
        props = dict(_dict(body.get("Properties")))
        if rtype == SAM_FUNCTION and not _ignores_globals(body.get("IgnoreGlobals")):
            for key, value in _dict(_dict(self.doc.get("Globals")).get("Function")).items():
                props.setdefault(key, value)
        handler, runtime = props.get("Handler"), props.get("Runtime", "")
        if not isinstance(handler, str) or not isinstance(runtime, str):
            return None
        here = posixpath.dirname(self.path)
        if rtype == SAM_FUNCTION:
            if "InlineCode" in props:
                return CodeRef(root=here, handler=handler, runtime=runtime, inline=True)
            uri = props.get("CodeUri", ".")
            if not isinstance(uri, str) or "://" in uri:
                return CodeRef(root=None, handler=handler, runtime=runtime)
            build = _dict(_dict(body.get("Metadata")).get("BuildProperties"))
            entries = build.get("EntryPoints")
            entry_points = tuple(e for e in entries if isinstance(e, str)) if isinstance(entries, list) else ()
            root = posixpath.normpath(posixpath.join(here, uri)) if here else posixpath.normpath(uri)
            return CodeRef(root="" if root == "." else root, handler=handler, runtime=runtime, entry_points=entry_points)
        if isinstance(props.get("Code"), str) and "://" not in props["Code"]:
            # `aws cloudformation package` uploads a local directory named by
            # Code (relative to the template) and rewrites it to S3.
            uri = str(props["Code"])
            root = posixpath.normpath(posixpath.join(here, uri)) if here else posixpath.normpath(uri)
            return CodeRef(root="" if root == "." else root, handler=handler, runtime=runtime)
        code = _dict(props.get("Code"))
        if "ZipFile" in code:
            return CodeRef(root=here, handler=handler, runtime=runtime, inline=True)
        return CodeRef(root=None, handler=handler, runtime=runtime)  # S3 / image: not in the repo

    def _globals_env(self) -> dict[str, tuple[object, object]]:
        variables = _dict(_dict(_dict(_dict(self.doc.get("Globals")).get("Function")).get("Environment")).get("Variables"))
        return {str(k): (variables, k) for k in variables}

    def _env_var(
        self, function: str, name: str, container: object, key: object,
        ctx: TemplateContext, declared_in: str, pointer: str,
    ) -> EnvVar:
        value = container[key] if isinstance(container, dict) else None  # type: ignore[index]
        return EnvVar(
            name=name,
            value=evaluate(value, ctx),
            key_location=self.loc(container, key, "key"),
            value_location=self.loc(container, key),
            function=function,
            declared_in=declared_in,
            pointer=pointer,
        )


def _ignores_globals(value: object) -> bool:
    if value == "*":
        return True
    return isinstance(value, list) and ("Environment" in value or "*" in value)


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def build_template(path: str, doc: object, synthesized: bool = False) -> Template | None:
    """None when the document is not a CloudFormation/SAM template."""
    if not isinstance(doc, PosDict) or not is_template(doc):
        return None
    b = _Builder(path, doc, synthesized)
    parameters = b.parameters()
    resources_node = _dict(doc.get("Resources"))
    ctx = TemplateContext(
        parameters={p.name: p for p in parameters},
        resource_types={str(k): str(_dict(v).get("Type", "")) for k, v in resources_node.items()},
        resource_props={str(k): _dict(v).get("Properties") for k, v in resources_node.items()},
        mappings=_dict(doc.get("Mappings")),
    )
    transform = doc.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    roles = RoleReader(path, resources_node, ctx)
    return Template(
        path=path,
        is_sam=any(isinstance(t, str) and t.startswith("AWS::Serverless") for t in transforms),
        synthesized=synthesized,
        parameters=parameters,
        resources=b.resources(),
        functions=b.functions(ctx, roles),
        stores=roles.stores(),
    )
