"""CDK Python: the IAM-relevant values of a stack file, read statically.

- `glob`: a parameter name, secret ARN or policy resource as an IAM-style
  glob — literal text, the runtime text of `param.parameter_name` /
  `secret.secret_arn` … (ValueSource.text), `*` for anything unknown — and
  whether something other than the partition/region/account was widened.
- `items`: the elements of a literal list (through names, `*spreads`, `+`).
- `literal`: a dict/list display as data (`PolicyStatement.from_json`).
- `brief`: code shown in messages, never a comment or a string literal.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import libcst as cst

from lambda_secrets_lint.model.infra import SourceKind, ValueSource
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.cdk_py import _arg, _last, _source

if TYPE_CHECKING:
    from lambda_secrets_lint.parsers.cdk_py import _Builder, _Scope

__all__ = ["MAX_DEPTH", "Items", "ValueReader"]

MAX_DEPTH = 12
Items = list[tuple[cst.BaseExpression, "_Scope"]]
_ANYWHERE = ("partition", "region", "account")  # `*` there never narrows a grant


class ValueReader:
    def __init__(self, b: "_Builder") -> None:
        self.b = b
        # texts of stores whose name has unknown parts: a resource built from
        # them is `unresolved` (so never reported as broad)
        self.widened_texts: set[str] = set()

    def loc(self, node: cst.CSTNode) -> Location:
        return self.b.loc(node)

    # -- messages ---------------------------------------------------------------
    def brief(self, node: cst.CSTNode | None) -> str:
        """Code for messages: a call as `recv.method(arg)` with nested calls
        shown as `f(...)`, so no comment or literal leaks in."""
        if isinstance(node, cst.Call):
            args = [a for a in node.args if a.keyword is None and not a.star]
            inner = ""
            if len(args) == 1 and isinstance(args[0].value, (cst.Name, cst.Attribute)):
                inner = self.brief(args[0].value)
            elif node.args:
                inner = "..."
            return f"{self.brief(node.func)}({inner})"
        if isinstance(node, cst.Attribute):
            return f"{self.brief(node.value)}.{node.attr.value}"
        if isinstance(node, cst.Subscript):
            return f"{self.brief(node.value)}[...]"
        if isinstance(node, (cst.Name, cst.Integer)):
            return _source(self.b.module, node)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return '"..."'  # a literal is never quoted: it could be a secret
        if isinstance(node, (cst.List, cst.Tuple)):
            return "[...]"
        return "{...}" if isinstance(node, cst.Dict) else "..."

    def call_origin(self, call: cst.Call) -> str:
        """`x.grant_read(fn)`, `fn.add_to_role_policy(iam.PolicyStatement(...))`."""
        args = [a for a in call.args if not a.star]
        first = self.brief(args[0].value) if args else ""
        return f"{self.brief(call.func)}({first})"

    # -- values -----------------------------------------------------------------
    def items(self, node: cst.BaseExpression, scope: "_Scope", depth: int = 0) -> Items | None:
        """Elements of a literal list/tuple; None when it is not literal."""
        if depth > MAX_DEPTH:
            return None
        resolved, rscope = self.b._resolve(node, scope)
        if isinstance(resolved, cst.BinaryOperation) and isinstance(resolved.operator, cst.Add):
            left = self.items(resolved.left, rscope, depth + 1)
            right = self.items(resolved.right, rscope, depth + 1)
            return None if left is None or right is None else left + right
        if not isinstance(resolved, (cst.List, cst.Tuple)):
            return None
        out: Items = []
        for el in resolved.elements:
            if isinstance(el, cst.StarredElement):
                inner = self.items(el.value, rscope, depth + 1)
                if inner is None:
                    return None
                out.extend(inner)
            else:
                out.append((el.value, rscope))
        return out

    def glob(self, node: cst.BaseExpression | None, scope: "_Scope") -> tuple[str | None, bool]:
        """A name / ARN as an IAM glob (None when nothing of it is known) and
        whether a part of it was widened to `*`."""
        from lambda_secrets_lint.parsers.intrinsics import BREAK

        b = self.b
        if node is None:
            return None, True
        resolved, rscope = b._resolve(node, scope)
        if isinstance(resolved, cst.Call) and _last(resolved.func) == "format_arn":
            return self._format_arn(resolved, rscope)
        out: list[str] = []
        widened = False
        known = False  # a literal "*" is known; a value made only of unknowns is not
        for piece in b._pieces(node, scope, 0):
            if piece is BREAK:
                return None, True  # alternatives (`os.environ.get(x, default)`)
            if isinstance(piece, str):
                out.append(piece)
                known = known or bool(piece)
            elif isinstance(piece, ValueSource):
                if piece.text is not None:
                    out.append(piece.text)
                    known = True
                    widened = widened or piece.text in self.widened_texts
                else:
                    out.append("*")
                    widened = widened or piece.kind is not SourceKind.PSEUDO
        text = re.sub(r"\*+", "*", "".join(out))
        if not known or (widened and not text.strip("*")):
            return None, True
        return text, widened

    def _format_arn(self, call: cst.Call, scope: "_Scope") -> tuple[str | None, bool]:
        """`self.format_arn(service="ssm", resource="parameter", resource_name="orders/*")`."""
        fields: dict[str, str] = {}
        widened = False
        for key in ("partition", "service", "region", "account", "resource", "resource_name"):
            node = _arg(call, None, key)
            if node is None:
                fields[key] = "*" if key in _ANYWHERE else ""
                continue
            text, w = self.glob(node, scope)
            fields[key] = text if text is not None else "*"
            widened = widened or (w and key not in _ANYWHERE)
        if not fields["service"] or not fields["resource"]:
            return None, True
        fmt = _arg(call, None, "arn_format")
        sep = ":" if isinstance(fmt, cst.Attribute) and fmt.attr.value == "COLON_RESOURCE_NAME" else "/"
        tail = f"{fields['resource']}{sep}{fields['resource_name']}" if fields["resource_name"] else fields["resource"]
        return f"arn:{fields['partition']}:{fields['service']}:{fields['region']}:{fields['account']}:{tail}", widened

    def literal(self, node: cst.BaseExpression | None, scope: "_Scope", widened: list[bool], depth: int = 0) -> object:
        """A dict/list/str display as Python data; `widened[0]` is set when a
        string had unknown parts."""
        b = self.b
        if node is None or depth > MAX_DEPTH:
            return None
        resolved, rscope = b._resolve(node, scope)
        if isinstance(resolved, cst.Dict):
            out: dict[str, object] = {}
            for el in resolved.elements:
                if not isinstance(el, cst.DictElement):
                    return None
                key = b._text(el.key, rscope)
                if key is None:
                    return None
                out[key] = self.literal(el.value, rscope, widened, depth + 1)
            return out
        if isinstance(resolved, (cst.List, cst.Tuple)):
            return [self.literal(el.value, rscope, widened, depth + 1) for el in resolved.elements]
        text, w = self.glob(resolved, rscope)
        widened[0] = widened[0] or w
        return text if text is not None else "*"
