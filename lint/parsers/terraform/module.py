"""What the files of one Terraform module (one directory) declare: variables,
locals, data sources and managed resources. `var.x`, `local.x`,
`data.t.n` and `t.n` in any file of the module resolve against this index.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.model.infra import TemplateParameter
from lambda_secrets_lint.parsers.terraform.hcl import (
    HclFile,
    attr_expr,
    attributes,
    block_body,
    block_header,
    block_labels,
    blocks,
    scalar_text,
    top_body,
    unwrap,
)

if TYPE_CHECKING:
    from tree_sitter import Node
else:
    Node = Any


@dataclass(frozen=True, slots=True)
class Declared:
    """A block (data source, resource) or an attribute (local) and its file."""

    file: HclFile
    node: Node


@dataclass
class ModuleIndex:
    variables: dict[str, TemplateParameter] = field(default_factory=dict)
    locals: dict[str, Declared] = field(default_factory=dict)  # name -> the local's expression
    data: dict[tuple[str, str], Declared] = field(default_factory=dict)  # (type, name) -> block
    resources: dict[tuple[str, str], Declared] = field(default_factory=dict)

    def add(self, f: HclFile) -> None:
        body = top_body(f)
        for block in blocks(body):
            kind = block.named_children[0].text.decode("utf-8", errors="replace")
            labels = block_labels(f, block)
            if kind == "variable" and len(labels) == 1:
                self.variables.setdefault(labels[0], variable(f, block, labels[0]))
            elif kind == "locals":
                for name, attr in attributes(block_body(block)).items():
                    expr = attr_expr(attr)
                    if expr is not None:
                        self.locals.setdefault(name, Declared(f, expr))
            elif kind == "data" and len(labels) == 2:
                self.data.setdefault((labels[0], labels[1]), Declared(f, block))
            elif kind == "resource" and len(labels) == 2:
                self.resources.setdefault((labels[0], labels[1]), Declared(f, block))


def variable(f: HclFile, block: Node, name: str) -> TemplateParameter:
    attrs = attributes(block_body(block))
    type_expr = attr_expr(attrs["type"]) if "type" in attrs else None
    default_attr = attrs.get("default")
    default_expr = attr_expr(default_attr) if default_attr is not None else None
    sensitive = attrs.get("sensitive")
    first, last = block_header(block)
    return TemplateParameter(
        name=name,
        type=" ".join(f.text(type_expr).split()) if type_expr is not None else "string",
        location=f.loc(first, last),
        default=scalar_text(f, default_expr),
        default_location=f.loc(default_attr) if default_attr is not None and not _is_null(f, default_expr) else None,
        no_echo=sensitive is not None and _is_true(f, attr_expr(sensitive)),
    )


def _is_true(f: HclFile, expr: Node | None) -> bool:
    text = scalar_text(f, expr)
    return text is not None and text.strip().lower() == "true"


def _is_null(f: HclFile, expr: Node | None) -> bool:
    if expr is None:
        return True
    primary, postfix = unwrap(expr)
    return not postfix and primary.type == "literal_value" and bool(primary.named_children) and primary.named_children[0].type == "null_lit"


def block_attr(decl: Declared, name: str) -> Node | None:
    """The expression of attribute `name` of a declared block."""
    attr = attributes(block_body(decl.node)).get(name)
    return attr_expr(attr) if attr is not None else None
