"""Functions declared through the registry module terraform-aws-modules/lambda/aws
(source "terraform-aws-modules/lambda/aws", or the git/GitHub source of
terraform-aws-modules/terraform-aws-lambda; not its `//modules/…` submodules).

Read from the module block, as the module's own iam.tf / main.tf use them:

- `handler`, `runtime`, `source_path` (a directory, a file, or one
  `{ path = … }` object; relative to the .tf file's directory) → CodeRef;
  `create_package = false`, `local_existing_package`, `s3_existing_package`,
  `image_uri` / `package_type = "Image"` → not in the repository;
- `environment_variables = {…}` → env, like `environment { variables }`;
- the role it creates (`create_role`, default true; `lambda_role` otherwise →
  known=False): `attach_policy_statements` + `policy_statements` (a map or
  list of `{ effect, actions, not_actions, resources, not_resources,
  condition }`; effect defaults to Allow), `attach_policy_json` +
  `policy_json`, `attach_policy_jsons` + `policy_jsons`, `attach_policy` +
  `policy` (an ARN), `attach_policies` + `policies` (ARNs). Each `attach_*`
  flag defaults to false; one that is not static makes the role partial.
"""
from __future__ import annotations

import posixpath
from dataclasses import replace

from lambda_secrets_lint.model.infra import CodeRef, EnvVar, Grant, LambdaFunction, RoleFacts
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.cfn_roles import with_deploy_resources
from lambda_secrets_lint.parsers.terraform.code import code_root, looks_like_file, source_file_root
from lambda_secrets_lint.parsers.terraform.env_text import TextEvaluator
from lambda_secrets_lint.parsers.terraform.hcl import (
    HclFile,
    attr_expr,
    attributes,
    block_body,
    block_header,
    block_labels,
    blocks,
    top_body,
    unwrap,
)
from lambda_secrets_lint.parsers.terraform.iam import Roles
from lambda_secrets_lint.parsers.terraform.module import Declared
from lambda_secrets_lint.parsers.terraform.policy_json import LOWER_KEYS, Parts, Policies, to_statement
from lambda_secrets_lint.parsers.terraform.static import WIDE, Static, point

__all__ = ["MODULE_TYPE", "is_lambda_module", "module_functions"]

MODULE_TYPE = "terraform-aws-modules/lambda/aws"
_GIT = "terraform-aws-modules/terraform-aws-lambda"


def is_lambda_module(source: str) -> bool:
    s = source.strip()
    for prefix in ("registry.terraform.io/", "app.terraform.io/"):
        if s.startswith(prefix):
            s = s[len(prefix):]
    if s == MODULE_TYPE:
        return True
    if _GIT in s:
        # `git::https://github.com/…/terraform-aws-lambda.git//modules/alias?ref=…` is a submodule
        path = s.split("?", 1)[0]
        return "//modules/" not in path and not path.rstrip("/").endswith("//modules")
    return False


def _flag(value: object, default: bool) -> bool | None:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return None


def module_functions(f: HclFile, static: Static, ev: TextEvaluator, roles: Roles, policies: Policies) -> list[LambdaFunction]:
    out: list[LambdaFunction] = []
    for block in blocks(top_body(f), "module"):
        labels = block_labels(f, block)
        if len(labels) != 1:
            continue
        decl = Declared(f, block)
        source = static.attr(decl, "source")
        if not isinstance(source, str) or not is_lambda_module(source):
            continue
        if _flag(static.attr(decl, "create"), True) is False or _flag(static.attr(decl, "create_function"), True) is False:
            continue
        name = labels[0]
        first, last = block_header(block)
        out.append(LambdaFunction(
            logical_id=name,
            resource_type=MODULE_TYPE,
            location=f.loc(first, last),
            env=_env(f, block, name, ev),
            code=_code(static, decl),
            role=_role(static, roles, policies, decl, name),
        ))
    return out


def _env(f: HclFile, block, name: str, ev: TextEvaluator) -> tuple[EnvVar, ...]:  # type: ignore[no-untyped-def]
    attr = attributes(block_body(block)).get("environment_variables")
    expr = attr_expr(attr) if attr is not None else None
    env: dict[str, EnvVar] = {}
    if expr is None:
        return ()
    for entry in ev.entries(f, expr):
        var = EnvVar(
            name=entry.name,
            value=ev.value(entry.value_file, entry.value_node),
            key_location=entry.key_file.loc(entry.key_node),
            value_location=entry.value_file.loc(entry.value_node),
            function=name,
            declared_in="function",
            pointer=f"module.{name}/environment_variables/{entry.name}",
        )
        env[entry.name if entry.name not in env else f"{entry.name}@{var.key_location.path}:{var.key_location.line}"] = var
    return tuple(env.values())


def _text(static: Static, decl: Declared, name: str) -> str | None:
    value = static.attr(decl, name)
    return value if isinstance(value, str) and WIDE not in value else None


def _code(static: Static, decl: Declared) -> CodeRef:
    handler = _text(static, decl, "handler") or ""
    runtime = _text(static, decl, "runtime") or ""
    attrs = attributes(block_body(decl.node))
    none = CodeRef(None, handler, runtime)
    if _text(static, decl, "package_type") == "Image" or "image_uri" in attrs or not handler:
        return none
    if _flag(static.attr(decl, "create_package"), True) is not True:
        return none
    for key in ("local_existing_package", "s3_existing_package"):
        if static.attr(decl, key) is not None:
            return none
    source = static.attr(decl, "source_path")
    entries = source if isinstance(source, list) else [source]
    if len(entries) != 1:
        return none  # several paths are merged into one package: no single root
    entry = entries[0]
    if isinstance(entry, dict):
        if entry.get("prefix_in_zip") not in (None, ""):
            return none
        entry = entry.get("path")
    if not isinstance(entry, str) or WIDE in entry:
        return none
    base = posixpath.dirname(decl.file.path)
    if looks_like_file(entry):
        return CodeRef(source_file_root(base, entry, handler, runtime), handler, runtime)
    return CodeRef(code_root(base, entry), handler, runtime)


def _role(static: Static, roles: Roles, policies: Policies, decl: Declared, name: str) -> RoleFacts | None:
    f = decl.file
    attrs = attributes(block_body(decl.node))
    create_role = _flag(static.attr(decl, "create_role"), True)
    first, last = block_header(decl.node)
    here = f.loc(first, last)
    if create_role is False:
        if "lambda_role" not in attrs:
            return None
        return RoleFacts(name="", location=f.loc(attrs["lambda_role"]), known=False,
                         partial="the role is an existing role (lambda_role): its policies are not visible")
    label = f"module.{name}"
    if create_role is None:
        return RoleFacts(name=label, location=here, known=False, partial=f"create_role of {label} is not static")
    parts = Parts()

    def enabled(flag: str, content: str) -> bool:
        if content not in attrs:
            return False
        on = _flag(static.attr(decl, flag), False)
        if on is None:
            parts.partial.append(f"{flag} of {label} is not static")
        return on is True

    deploy_static = policies.deploy_static
    if enabled("attach_policy_statements", "policy_statements"):
        deployed = deploy_static.attr(decl, "policy_statements") if deploy_static is not None else None
        parts.extend(_statements(static.attr(decl, "policy_statements"), label, f.loc(attrs["policy_statements"]), deployed))
    if enabled("attach_policy_json", "policy_json"):
        expr = attr_expr(attrs["policy_json"])
        if expr is not None:
            parts.extend(policies.from_expr(f, expr, f"policy_json of {label}", f.loc(attrs["policy_json"])))
    if enabled("attach_policy_jsons", "policy_jsons"):
        parts.extend(_jsons(static, policies, f, attrs["policy_jsons"], label))
    if enabled("attach_policy", "policy"):
        where = point(f.loc(attrs["policy"])) or f.loc(attrs["policy"])
        parts.extend(roles.managed(static.attr(decl, "policy"), where, f"policy of {label}"))
    if enabled("attach_policies", "policies"):
        value = static.attr(decl, "policies")
        where = point(f.loc(attrs["policies"])) or f.loc(attrs["policies"])
        if isinstance(value, list):
            locs = getattr(value, "locs", [None] * len(value))
            for item, loc in zip(value, locs):
                parts.extend(roles.managed(item, point(loc) or where, f"policies of {label}"))
        else:
            parts.partial.append(f"policies of {label} is not static")
    return RoleFacts(name=label, location=here, grants=tuple(parts.grants), partial="; ".join(dict.fromkeys(parts.partial)))


def _statements(value: object, label: str, where: Location, deployed: object = None) -> Parts:
    """`deployed`: the same value with every variable unknown, for `any_resources`."""
    out = Parts()
    mates: dict[str, object] = {}
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
        if isinstance(deployed, dict):
            mates = {str(k): v for k, v in deployed.items()}
    elif isinstance(value, list):
        items = [(str(i), v) for i, v in enumerate(value)]
        if isinstance(deployed, list) and len(deployed) == len(value):
            mates = {str(i): v for i, v in enumerate(deployed)}
    else:
        out.partial.append(f"policy_statements of {label} is not static")
        return out
    for key, item in items:
        origin = f"policy_statements.{key} of {label}"
        if not isinstance(item, dict):
            out.partial.append(f"{origin} is not static")
            continue
        st, why = to_statement(item, LOWER_KEYS, default_effect="Allow")
        if st is None:
            out.partial.append(f"{origin} {why}")
            continue
        mate = mates.get(key)
        other = to_statement(mate, LOWER_KEYS, default_effect="Allow")[0] if isinstance(mate, dict) else None
        if other is not None:
            (st,) = with_deploy_resources((st,), (other,))
        loc = point(getattr(item, "loc", None)) or point(where) or where
        out.grants.append(Grant(replace(st, source=origin), loc, origin))
    return out


def _jsons(static: Static, policies: Policies, f: HclFile, attr, label: str) -> Parts:  # type: ignore[no-untyped-def]
    out = Parts()
    expr = attr_expr(attr)
    if expr is None:
        return out
    f2, node = static.deref(f, expr)
    primary, postfix = unwrap(node)
    if not postfix and primary.type == "collection_value" and primary.named_children and primary.named_children[0].type == "tuple":
        items = [c for c in primary.named_children[0].named_children if c.type == "expression"]
        for i, item in enumerate(items):
            out.extend(policies.from_expr(f2, item, f"policy_jsons[{i}] of {label}", f2.loc(item)))
        return out
    value = static.eval(f2, node)
    if not isinstance(value, list):
        out.partial.append(f"policy_jsons of {label} is not static")
        return out
    deploy_static = policies.deploy_static
    deployed = deploy_static.eval(f2, node) if deploy_static is not None else None
    for i, item in enumerate(value):
        if isinstance(deployed, list) and len(deployed) == len(value):
            out.extend(policies.from_value(item, f"policy_jsons[{i}] of {label}", f.loc(attr), deployed=deployed[i]))
        else:
            out.extend(policies.from_value(item, f"policy_jsons[{i}] of {label}", f.loc(attr)))
    return out
