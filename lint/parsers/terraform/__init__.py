"""Terraform (.tf, HCL) -> Template facts, mirroring parsers/cloudformation.py.

One Template per .tf file. A Terraform module is a directory, and `var.x`,
`local.x`, `data.t.n` and `t.n` resolve across all of its files, so
`build_terraform` takes the other .tf files of the directory as
`module_files` (read them with `read_module_files`). Findings still land in
the file that holds the offending text: an env KEY written in a `locals`
block of locals.tf is reported there, a variable's `default =` in
variables.tf.

- functions: each `resource "aws_lambda_function" "<name>"` of THIS file, with
  `environment { variables = … }` as an object, `local.x`, `merge(…)` (later
  wins) or a conditional of those; other shapes are skipped silently.
- parameters: this file's `variable` blocks, then the rest of the module's
  (so rules can find a variable's default wherever it is declared);
  `sensitive = true` is NoEcho.
- IAM linking (iam_hook.py): each function's `code`, `role` and env
  `pattern`s; functions of terraform-aws-modules/lambda/aws module blocks;
  `stores` (the parameters and secrets declared in THIS file).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from lambda_secrets_lint.model.infra import EnvVar, LambdaFunction, Template, TemplateParameter
from lambda_secrets_lint.parsers.terraform.hcl import (
    HclFile,
    attr_expr,
    attributes,
    block_body,
    block_header,
    block_labels,
    blocks,
    parse_file,
    top_body,
)
from lambda_secrets_lint.parsers.terraform.values import Evaluator

__all__ = ["build_terraform", "read_module_files", "FUNCTION_TYPE"]

FUNCTION_TYPE = "aws_lambda_function"


def build_terraform(path: str, text: str, module_files: Mapping[str, str] | None = None) -> Template | None:
    """The Lambda facts of one .tf file; None when it declares no
    aws_lambda_function and no variable. `module_files` maps the POSIX paths
    of the module's other .tf files to their text (the file itself, if
    present, is ignored; siblings with syntax errors are ignored — their own
    build reports them). Raises ParseError on a syntax error in `text`."""
    f = parse_file(path, text)
    err = f.syntax_error()
    if err is not None:
        raise err
    body = top_body(f)
    lambdas = [b for b in blocks(body, "resource") if _labels(f, b)[:1] == [FUNCTION_TYPE]]
    own_vars = [b for b in blocks(body, "variable") if len(_labels(f, b)) == 1]
    # LSL3xx (parsers/terraform/iam_hook.py): parameters and secrets declared
    # here, and functions made by terraform-aws-modules/lambda/aws.
    from lambda_secrets_lint.parsers.terraform.iam_hook import IamHook, has_iam_facts

    if not lambdas and not own_vars and not has_iam_facts(f):
        return None

    index = IamHook.new_index()
    index.add(f)
    for other_path in sorted(module_files or {}):
        if other_path == path:
            continue
        other = parse_file(other_path, module_files[other_path])  # type: ignore[index]
        if other.syntax_error() is None:
            index.add(other)

    own_names = [_labels(f, b)[0] for b in own_vars]
    parameters: list[TemplateParameter] = [index.variables[n] for n in dict.fromkeys(own_names)]
    parameters += [p for n, p in index.variables.items() if n not in own_names]

    hook = IamHook(index)
    ev = hook.evaluator
    functions = tuple(hook.complete(f, b, _function(f, b, ev)) for b in lambdas) + hook.module_functions(f)
    return Template(
        path=path,
        is_sam=False,
        synthesized=False,
        parameters=tuple(parameters),
        resources=(),
        functions=functions,
        tool="terraform",
        stores=hook.stores(f),
    )


def _labels(f: HclFile, block) -> list[str]:  # type: ignore[no-untyped-def]
    return block_labels(f, block)


def _function(f: HclFile, block, ev: Evaluator) -> LambdaFunction:  # type: ignore[no-untyped-def]
    labels = _labels(f, block)
    name = labels[1] if len(labels) > 1 else ""
    first, last = block_header(block)
    env: dict[str, EnvVar] = {}
    environment = next(blocks(block_body(block), "environment"), None)
    variables = attributes(block_body(environment)).get("variables") if environment is not None else None
    expr = attr_expr(variables) if variables is not None else None
    if expr is not None:
        for entry in ev.entries(f, expr):
            var = EnvVar(
                name=entry.name,
                value=ev.value(entry.value_file, entry.value_node),
                key_location=entry.key_file.loc(entry.key_node),
                value_location=entry.value_file.loc(entry.value_node),
                function=name,
                declared_in="function",
                pointer=f"{FUNCTION_TYPE}.{name}/environment/variables/{entry.name}",
            )
            # A conditional's two branches may both set KEY: keep each spot.
            env[entry.name if entry.name not in env else f"{entry.name}@{var.key_location.path}:{var.key_location.line}"] = var
    return LambdaFunction(
        logical_id=name,
        resource_type=FUNCTION_TYPE,
        location=f.loc(first, last),
        env=tuple(env.values()),
    )


def read_module_files(rel: str, abspath: Path, max_size: int) -> dict[str, str]:
    """The other .tf files of `abspath`'s directory, keyed by their path
    relative to the project root (POSIX, like `rel`). Unreadable files are
    left out (their own load reports them)."""
    from lambda_secrets_lint.parsers.textio import SourceError, read_text

    out: dict[str, str] = {}
    parent = PurePosixPath(rel).parent
    try:
        siblings = sorted(abspath.parent.iterdir())
    except OSError:
        return out
    for sib in siblings:
        if sib.name == abspath.name or not sib.name.endswith(".tf") or not sib.is_file():
            continue
        try:
            out[(parent / sib.name).as_posix()] = read_text(sib, max_size)
        except SourceError:
            continue
    return out
