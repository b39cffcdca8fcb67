"""Hardcoded secrets in Python source (handler-facts.md §8, LSL205).

One iterative walk over the whole module. A string literal (a plain or
bytes string, an implicit concatenation of literals, an f-string without
substitutions) is reported when
- its text has a credential shape (`secrets.values.credential_shape`), with
  the name it is bound to if any; or
- it is bound to a secret-like name and is a non-trivial, non-reference value
  of at least 6 characters. "Bound": the value of an assignment / annotated
  assignment (`API_KEY = "…"`, `self.api_key = "…"`, `cfg["password"] = "…"`,
  class attributes), of a keyword argument (`password="…"`), of a dict entry
  with a literal key (`{"password": "…"}`), a parameter default
  (`def f(token="…")`), or the default of `os.environ.get("X", "…")` /
  `os.getenv("X", "…")` (bound to the env var's name X).

Not reported: docstrings, strings inside annotations, import statements,
f-strings with substitutions. In CDK code (is_cdk) literals that are part of
a Lambda environment definition are LSL101's, not ours: those whose nearest
enclosing dict (a `{…}` display or a `dict(...)` call) is the value of an
`environment=` keyword or of an "environment" dict key, and every literal in
the arguments of `add_environment(...)` / `addEnvironment(...)`.
"""
from __future__ import annotations

import ast
import dataclasses
import warnings
from collections.abc import Callable

import libcst as cst

from lambda_secrets_lint.model.code import HardcodedSecret
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.secrets.masking import mask
from lambda_secrets_lint.secrets.names import is_secret_name, name_words
from lambda_secrets_lint.secrets.values import credential_shape, is_reference_value, is_trivial_value

__all__ = ["LiteralCollector", "dotted", "string_value"]

NAMED_KIND = "literal under a secret-like name"
_MIN_NAMED_LEN = 6
_ENV_DEFAULT_CALLS = ("environ.get", "getenv", "environ.setdefault")
_ADD_ENV_CALLS = frozenset({"add_environment", "addEnvironment"})
# `environment=` of a Function; `variables=` of CfnFunction.EnvironmentProperty
# / `{"variables": …}` of a CfnFunction environment.
_ENV_KEYS = frozenset({"environment", "variables"})
_LITERAL_TYPES = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)


def dotted(node: cst.BaseExpression, limit: int = 12) -> str:
    """`a.b.c` for a Name/Attribute chain, `f(...)` for calls inside it, "?" otherwise."""
    parts: list[str] = []
    while limit > 0:
        limit -= 1
        if isinstance(node, cst.Attribute):
            parts.append(node.attr.value)
            node = node.value
        elif isinstance(node, cst.Name):
            parts.append(node.value)
            break
        elif isinstance(node, cst.Call):
            parts.append(dotted(node.func, 4) + "(...)")
            break
        elif isinstance(node, cst.Subscript):
            parts.append(dotted(node.value, 4) + "[...]")
            break
        else:
            parts.append("?")
            break
    return ".".join(reversed(parts))


def string_value(node: cst.BaseExpression) -> str | None:
    """The text of a literal string node (bytes decoded), or None when the
    node is not a pure literal (an f-string with substitutions, a concatenation
    containing one, anything else)."""
    if isinstance(node, cst.SimpleString):
        return _simple_value(node)
    if isinstance(node, cst.FormattedString):
        out = []
        for part in node.parts:
            if not isinstance(part, cst.FormattedStringText):
                return None
            out.append(part.value)
        return "".join(out).replace("{{", "{").replace("}}", "}")
    if isinstance(node, cst.ConcatenatedString):
        pieces: list[str] = []
        pending: list[cst.BaseExpression] = [node]
        while pending:
            current = pending.pop()
            if isinstance(current, cst.ConcatenatedString):
                pending.append(current.right)
                pending.append(current.left)
                continue
            value = string_value(current)
            if value is None:
                return None
            pieces.append(value)
        return "".join(pieces)
    return None


def _simple_value(node: cst.SimpleString) -> str | None:
    prefix = node.prefix.lower()
    body = node.raw_value
    if "\\" in body and "r" not in prefix:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = ast.literal_eval(node.value)
        except (ValueError, SyntaxError, MemoryError):
            return None
    else:
        value = body
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if "b" in prefix and isinstance(value, str):
        return value
    return value if isinstance(value, str) else None


def _target_name(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return dotted(node)
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        if isinstance(index, cst.Index):
            key = string_value(index.value)
            return key or ""
    return ""


def _is_docstring_holder(body: object) -> cst.BaseExpression | None:
    if isinstance(body, cst.IndentedBlock):
        statements = body.body
    elif isinstance(body, (list, tuple)):
        statements = body
    else:
        return None
    if not statements:
        return None
    first = statements[0]
    if isinstance(first, cst.SimpleStatementLine) and first.body and isinstance(first.body[0], cst.Expr):
        value = first.body[0].value
        if isinstance(value, _LITERAL_TYPES):
            return value
    return None


def _aws_secret_candidate(name: str) -> bool:
    joined = "".join(name_words(name))
    return "SECRETACCESSKEY" in joined or "AWSSECRETKEY" in joined


# Node types that never hold a string literal: not walked into.
_LEAVES: tuple[type, ...] = (
    cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis, cst.Pass, cst.Break, cst.Continue,
    cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.Newline, cst.Comment, cst.TrailingWhitespace,
    cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp,
    cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual, cst.LeftParen, cst.RightParen,
    cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace, cst.RightCurlyBrace,
    cst.Asynchronous, cst.ImportStar, cst.Import, cst.ImportFrom, cst.Global, cst.Nonlocal,
)
_SKIP_FIELDS = frozenset(
    {"lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators", "header", "footer",
     "newline", "trailing_whitespace", "equal", "colon", "dot", "operator", "asynchronous", "lbracket",
     "rbracket", "lbrace", "rbrace", "keyword", "attr", "name"}
)
_FIELDS: dict[type, tuple[str, ...]] = {}

_ANNOTATION = 1
_ENV_DICT = 2  # the nearest enclosing dict is a Lambda environment (CDK)
_IN_ADD_ENV = 4  # inside the arguments of add_environment(...)


_WALKABLE: dict[type, bool] = {}
_CONTEXT_TYPES = frozenset(
    {cst.Annotation, cst.ClassDef, cst.FunctionDef, cst.Assign, cst.AnnAssign, cst.Param, cst.Arg,
     cst.DictElement, cst.Dict, cst.Call}
)


def _is_walkable(value_type: type) -> bool:
    ok = _WALKABLE[value_type] = issubclass(value_type, cst.CSTNode) and not issubclass(value_type, _LEAVES)
    return ok


def _fields_of(node_type: type) -> tuple[str, ...]:
    found = _FIELDS.get(node_type)
    if found is None:
        found = _FIELDS[node_type] = tuple(
            f.name for f in dataclasses.fields(node_type)
            if not f.name.startswith("whitespace") and f.name not in _SKIP_FIELDS
        )
    return found


class LiteralCollector:
    """Collects HardcodedSecret facts in one iterative walk over the tree
    (an explicit stack: no recursion limit, no per-node visitor dispatch for
    the whitespace and token nodes that make up most of a libcst tree).
    `loc(node, top)` gives a node's Location, `top` being the index of the
    top-level statement that holds it."""

    def __init__(self, loc: Callable[[cst.CSTNode, int | None], Location], *, is_cdk: bool,
                 extra_words: tuple[str, ...]) -> None:
        self._loc = loc
        self._is_cdk = is_cdk
        self._extra = extra_words
        self.found: list[HardcodedSecret] = []
        self._bound: dict[int, str] = {}
        self._skip: set[int] = set()
        self._env_values: set[int] = set()

    def walk(self, module: cst.Module) -> None:
        self._mark_docstring(module.body)
        stack: list[tuple[cst.CSTNode, int, int]] = [
            (stmt, top, 0) for top, stmt in reversed(list(enumerate(module.body)))
        ]
        walkable = _WALKABLE
        push = stack.append
        while stack:
            node, top, ctx = stack.pop()
            kind = type(node)
            if kind is cst.SimpleString:
                self._literal(node, top, ctx)
                continue
            if kind is cst.ConcatenatedString or kind is cst.FormattedString:
                value = string_value(node)
                if value is not None:
                    self._literal(node, top, ctx, value)
                    continue
            elif kind in _CONTEXT_TYPES:
                ctx = self._enter(node, ctx)
            fields = _FIELDS.get(kind)
            if fields is None:
                fields = _fields_of(kind)
            for name in fields:
                value = getattr(node, name)
                if type(value) is tuple or type(value) is list:
                    for child in reversed(value):
                        ok = walkable.get(type(child))
                        if ok is None:
                            ok = _is_walkable(type(child))
                        if ok:
                            push((child, top, ctx))
                else:
                    ok = walkable.get(type(value))
                    if ok is None:
                        ok = _is_walkable(type(value))
                    if ok:
                        push((value, top, ctx))

    # -- context and bindings (recorded on the parent, before its children) ---
    def _enter(self, node: cst.CSTNode, ctx: int) -> int:
        if isinstance(node, cst.Annotation):
            return ctx | _ANNOTATION
        if isinstance(node, (cst.ClassDef, cst.FunctionDef)):
            self._mark_docstring(node.body)
        elif isinstance(node, cst.Assign):
            value = node.value
            for target in node.targets:
                tnode = target.target
                if isinstance(tnode, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
                    if len(tnode.elements) == len(value.elements):
                        for t_el, v_el in zip(tnode.elements, value.elements):
                            self._bind(v_el.value, _target_name(t_el.value))
                else:
                    self._bind(value, _target_name(tnode))
        elif isinstance(node, cst.AnnAssign):
            self._bind(node.value, _target_name(node.target))
        elif isinstance(node, cst.Param):
            self._bind(node.default, node.name.value)
        elif isinstance(node, cst.Arg):
            if node.keyword is not None:
                self._bind(node.value, node.keyword.value)
                if self._is_cdk and node.keyword.value in _ENV_KEYS:
                    self._env_values.add(id(node.value))
        elif isinstance(node, cst.DictElement):
            key = string_value(node.key)
            if key:
                self._bind(node.value, key)
                if self._is_cdk and key in _ENV_KEYS:
                    self._env_values.add(id(node.value))
        elif isinstance(node, cst.Dict):
            return (ctx & ~_ENV_DICT) | (_ENV_DICT if id(node) in self._env_values else 0)
        elif isinstance(node, cst.Call):
            name = dotted(node.func)
            if name.endswith(_ENV_DEFAULT_CALLS) and len(node.args) >= 2 and node.args[0].keyword is None:
                env_name = string_value(node.args[0].value)
                if env_name:
                    self._bind(node.args[1].value, env_name)
            if self._is_cdk:
                if name.rsplit(".", 1)[-1] in _ADD_ENV_CALLS:
                    return ctx | _IN_ADD_ENV
                if name == "dict":
                    return (ctx & ~_ENV_DICT) | (_ENV_DICT if id(node) in self._env_values else 0)
        return ctx

    def _mark_docstring(self, body: object) -> None:
        doc = _is_docstring_holder(body)
        if doc is not None:
            self._skip.add(id(doc))

    def _bind(self, value: cst.BaseExpression | None, name: str) -> None:
        if name and value is not None and isinstance(value, _LITERAL_TYPES):
            self._bound.setdefault(id(value), name)

    # -- literals --------------------------------------------------------------
    def _literal(self, node: cst.BaseExpression, top: int, ctx: int, value: str | None = None) -> None:
        if ctx or id(node) in self._skip:
            return  # in an annotation, a CDK Lambda environment, or a docstring
        if value is None:
            value = string_value(node)
            if value is None:
                return
        name = self._bound.get(id(node), "")
        judged = name.rsplit(".", 1)[-1]
        shape = credential_shape(value, aws_secret_candidate=bool(judged) and _aws_secret_candidate(judged))
        if shape is not None:
            kind = shape.kind
        elif (
            judged
            and len(value) >= _MIN_NAMED_LEN
            and is_secret_name(judged, self._extra)
            and not is_trivial_value(value)
            and not is_reference_value(value)
        ):
            kind = NAMED_KIND
        else:
            return
        self.found.append(HardcodedSecret(name=name, kind=kind, masked=mask(value), location=self._loc(node, top)))
