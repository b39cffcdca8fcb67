"""CDK TypeScript / JavaScript stack code → Template facts (tool="cdk").

What the env-secret rules need from a CDK app is the same as from a
template: each Lambda construct, its environment variables, and what each
value is made of. This module reads them from the source, statically:

- Constructs: `lambda.Function`, `DockerImageFunction`, `SingletonFunction`,
  `lambda.CfnFunction` / `sam.CfnFunction` (`environment: { variables }`),
  `NodejsFunction` (aws-lambda-nodejs), `PythonFunction`
  (@aws-cdk/aws-lambda-python-alpha) — whatever the import style: namespace
  (`import * as lambda`), `import { aws_lambda as lambda } from 'aws-cdk-lib'`,
  named (`import { Function }`), `require(...)`, `import x = require(...)`,
  or `cdk.aws_lambda.Function`.
- Environment: the `environment` prop (an object literal, a same-file
  constant holding one, spreads of such constants, shorthand properties; last
  key wins as in JS) and `fn.addEnvironment('KEY', value)` on a variable (or
  `this.x`) holding the construct.
- Values become `combine()` pieces: literal text, or ValueSources for
  `process.env.X` (DEPLOYER_ENV), Secrets Manager (`secret.secretValue`,
  `secretValueFromJson`, `SecretValue.secretsManager`), SSM SecureString
  (`SecretValue.ssmSecure`, `fromSecureStringParameterAttributes().stringValue`),
  SSM (`valueForStringParameter`, `fromStringParameterName/Attributes().stringValue`),
  secret attributes (`userPoolClientSecret`, `secretAccessKey`, `attrApiKey`,
  `attrClientSecret`), references (`.xxxArn/.xxxName/.xxxId/.xxxUrl`),
  pseudo parameters (`this.region`, `Stack.of(this).region`, `Aws.REGION`),
  NoEcho `CfnParameter`s; anything else is UNKNOWN — never a guess.
- Every `StringParameter.valueFromLookup(scope, name)` in the file is a
  ContextLookup (LSL105), and as an env value it is UNKNOWN.

For the IAM linking (LSL3xx) each function also gets its code location
(cdk_ts_code.py) and its role with every grant this file makes to it, and
the file its declared or imported parameters and secrets (cdk_ts_stores.py, cdk_ts_iam.py);
env values get a `pattern`, with the runtime text of `param.parameterName`,
`secret.secretArn` and the like.

Identifiers resolve to a same-file `const`/`let`/`var` declaration (the
nearest one declared before the use, else the first), depth-limited. One
file at a time: constants imported from other modules are UNKNOWN.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from lambda_secrets_lint.iam.arns import is_complete_secret_arn
from lambda_secrets_lint.model.code import Language
from lambda_secrets_lint.model.infra import ContextLookup, EnvValue, EnvVar, LambdaFunction, SourceKind, Template, ValueSource
from lambda_secrets_lint.parsers.cdk_ts_code import code_ref
from lambda_secrets_lint.parsers.cdk_ts_iam import ParamConstruct, SecretConstruct, glob_of, iam_facts, store_text
from lambda_secrets_lint.parsers.intrinsics import BREAK, combine
from lambda_secrets_lint.parsers.js.grammar import first_error, parse
from lambda_secrets_lint.parsers.js.text import Source, decode_string, key_text, render, unwrap
from lambda_secrets_lint.parsers.nodes import ParseError

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

__all__ = ["build_cdk_ts"]

_MAX_DEPTH = 12

# Lambda construct classes per module ('*' = any module, e.g. not imported at all).
_LAMBDA_MODULES = ("aws-cdk-lib/aws-lambda", "@aws-cdk/aws-lambda")
_NODEJS_MODULES = ("aws-cdk-lib/aws-lambda-nodejs", "@aws-cdk/aws-lambda-nodejs")
_PYTHON_MODULES = ("@aws-cdk/aws-lambda-python-alpha", "@aws-cdk/aws-lambda-python")
_SAM_MODULES = ("aws-cdk-lib/aws-sam", "@aws-cdk/aws-sam")
_CONSTRUCTS: dict[str, tuple[str, ...]] = {
    "Function": _LAMBDA_MODULES,
    "DockerImageFunction": _LAMBDA_MODULES,
    "SingletonFunction": _LAMBDA_MODULES,
    "CfnFunction": _LAMBDA_MODULES + _SAM_MODULES,
    "NodejsFunction": _NODEJS_MODULES,
    "PythonFunction": _PYTHON_MODULES,
}
# Distinctive enough to recognise even when the import is not visible.
_DISTINCTIVE = frozenset({"NodejsFunction", "PythonFunction", "DockerImageFunction"})

_SECRET_FACTORIES = frozenset(
    {"fromSecretNameV2", "fromSecretName", "fromSecretCompleteArn", "fromSecretPartialArn", "fromSecretArn",
     "fromSecretAttributes"}
)
_PARAM_FACTORIES = {
    "fromStringParameterName": False,
    "fromStringParameterAttributes": False,
    "fromStringParameterArn": False,
    "fromSecureStringParameterAttributes": True,
}
_SSM_VALUE_CALLS = frozenset({"valueForStringParameter", "valueForTypedStringParameter", "valueForTypedStringParameterV2"})
_SECRET_ATTRIBUTES = {
    "userPoolClientSecret": "UserPoolClient.userPoolClientSecret",
    "secretAccessKey": "AccessKey.secretAccessKey",
    "attrSecretAccessKey": "CfnAccessKey.attrSecretAccessKey",
    "attrApiKey": "ApiKey.attrApiKey",
    "attrClientSecret": "CfnUserPoolClient.attrClientSecret",
}
_PASS_THROUGH = frozenset({"unsafeUnwrap", "toString", "toJSON", "valueOf"})
_PSEUDO_PROPS = frozenset({"region", "account", "stackName", "stackId", "partition", "urlSuffix", "notificationArns"})
_AWS_PSEUDO = frozenset({"REGION", "ACCOUNT_ID", "STACK_NAME", "STACK_ID", "PARTITION", "URL_SUFFIX", "NOTIFICATION_ARNS"})
_REFERENCE_MEMBER = re.compile(r"^(?:[a-z][A-Za-z0-9]*)?(?:Arn|Name|Id|Url|ARN|ID|URL)$|^(?:arn|url)$")


@dataclass
class _Fn:
    construct_id: str
    cls: str
    node: "Node"
    env: dict[str, EnvVar] = field(default_factory=dict)  # insertion-ordered; a later key replaces


# Secrets and parameters (with what the IAM facts need) live in cdk_ts_stores (re-exported by cdk_ts_iam).
_Secret = SecretConstruct
_Param = ParamConstruct


@dataclass(frozen=True)
class _CfnParam:
    name: str
    no_echo: bool


def build_cdk_ts(path: str, text: str, *, language: Language, tsx: bool) -> Template | None:
    """The Lambda facts of one CDK TS/JS file; None when it declares no Lambda
    construct and makes no context lookup. Raises ParseError on a syntax error."""
    src = Source(path, text)
    root = parse(src.data, language, tsx).root_node
    bad = first_error(root)
    if bad is not None:
        line, col = src.span(bad)[:2]
        raise ParseError("syntax error", line, col)
    try:
        return _Builder(src, root).build()
    except RecursionError:
        raise ParseError("nesting too deep to analyse") from None


class _Builder:
    def __init__(self, src: Source, root: "Node") -> None:
        self.src = src
        self.root = root
        self.decls: dict[str, list[tuple[int, "Node", "Node"]]] = {}  # name -> [(start_byte, name node, value)]
        self.namespaces: dict[str, str] = {}  # local name -> module
        self.named: dict[str, tuple[str, str]] = {}  # local name -> (module, exported name)
        self.news: list["Node"] = []
        self.calls: list["Node"] = []
        self.assignments: list["Node"] = []

    # -- collection ---------------------------------------------------------

    def build(self) -> Template | None:
        self._walk()
        functions: list[_Fn] = []
        by_node: dict[tuple[int, int], _Fn] = {}
        for node in self.news:
            fn = self._construct(node)
            if fn is not None:
                functions.append(fn)
                by_node[(node.start_byte, node.end_byte)] = fn
        for fn in functions:
            self._props_env(fn)
        for call in self.calls:  # document order
            self._add_environment(call, by_node)
        lookups = tuple(self._lookups())
        if not functions and not lookups:
            return None
        roles, stores = iam_facts(self, functions)
        return Template(
            path=self.src.path,
            is_sam=False,
            synthesized=False,
            parameters=(),
            resources=(),
            functions=tuple(
                LambdaFunction(
                    logical_id=fn.construct_id,
                    resource_type=f"cdk:{fn.cls}",
                    location=self.src.location(fn.node),
                    env=tuple(fn.env.values()),
                    code=code_ref(self, fn),
                    role=role,
                )
                for fn, role in zip(functions, roles)
            ),
            tool="cdk",
            lookups=lookups,
            stores=stores,
        )

    def _walk(self) -> None:
        stack = [self.root]
        while stack:
            node = stack.pop()
            t = node.type
            if t == "variable_declarator":
                self._declarator(node)
            elif t == "import_statement":
                self._import(node)
            elif t == "new_expression":
                self.news.append(node)
            elif t == "call_expression":
                self.calls.append(node)
            elif t == "assignment_expression":
                self._assignment(node)
            stack.extend(reversed(node.children))
        self.news.sort(key=lambda n: n.start_byte)
        self.calls.sort(key=lambda n: n.start_byte)

    def _declarator(self, node: "Node") -> None:
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is None or value is None:
            return
        inner = unwrap(value)
        module = self._require_module(inner)
        if name.type == "identifier":
            if module is not None:
                self.namespaces[self.src.text(name)] = module
            else:
                self.decls.setdefault(self.src.text(name), []).append((node.start_byte, name, value))
        elif name.type == "object_pattern" and module is not None:
            for child in name.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    n = self.src.text(child)
                    self._bind_named(n, module, n)
                elif child.type == "pair_pattern":
                    k = key_text(self.src, child.child_by_field_name("key"))
                    v = child.child_by_field_name("value")
                    if k and v is not None and v.type == "identifier":
                        self._bind_named(self.src.text(v), module, k)

    def _assignment(self, node: "Node") -> None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return
        key = self._var_key(left)
        if key is not None:
            self.decls.setdefault(key, []).append((node.start_byte, left, right))

    def _require_module(self, node: "Node") -> str | None:
        if node.type != "call_expression":
            return None
        fn = node.child_by_field_name("function")
        if fn is None or self.src.text(fn) != "require":
            return None
        args = self._args(node)
        if args and args[0].type == "string":
            return self.src.string_value(args[0])
        return None

    def _bind_named(self, local: str, module: str, exported: str) -> None:
        # `import { aws_lambda as lambda } from 'aws-cdk-lib'` is a namespace.
        if module == "aws-cdk-lib" and exported.startswith("aws_"):
            self.namespaces[local] = "aws-cdk-lib/" + exported.replace("_", "-")
        else:
            self.named[local] = (module, exported)

    def _import(self, node: "Node") -> None:
        source = node.child_by_field_name("source")
        module = self.src.string_value(source) if source is not None and source.type == "string" else None
        for child in node.named_children:
            if child.type == "import_require_clause":  # import x = require('m')
                ids = [c for c in child.named_children if c.type == "identifier"]
                strings = [c for c in child.named_children if c.type == "string"]
                if ids and strings:
                    self.namespaces[self.src.text(ids[0])] = self.src.string_value(strings[0])
            if module is None or child.type != "import_clause":
                continue
            for part in child.named_children:
                if part.type == "identifier":  # default import
                    self.namespaces[self.src.text(part)] = module
                elif part.type == "namespace_import":
                    ids = [c for c in part.named_children if c.type == "identifier"]
                    if ids:
                        self.namespaces[self.src.text(ids[0])] = module
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias") or name
                        if name is not None and alias is not None:
                            self._bind_named(self.src.text(alias), module, key_text(self.src, name) or self.src.text(name))

    # -- constructs ---------------------------------------------------------

    def _class_of(self, node: "Node") -> tuple[str | None, str] | None:
        """(module or None, class name) of a constructor / callee object."""
        node = unwrap(node)
        if node.type == "identifier":
            name = self.src.text(node)
            if name in self.named:
                return self.named[name]
            return None, name
        if node.type == "member_expression":
            obj = unwrap(node.child_by_field_name("object"))  # type: ignore[arg-type]
            prop = key_text(self.src, node.child_by_field_name("property"))
            if prop is None:
                return None
            module = self._module_of(obj)
            return module, prop
        return None

    def _module_of(self, node: "Node") -> str | None:
        node = unwrap(node)
        if node.type == "identifier":
            name = self.src.text(node)
            if name in self.namespaces:
                return self.namespaces[name]
            if name in self.named:  # import { aws_lambda } handled as namespace; other named → module/name
                module, exported = self.named[name]
                return f"{module}/{exported}"
            return None
        if node.type == "member_expression":  # cdk.aws_lambda
            parent = self._module_of(node.child_by_field_name("object"))  # type: ignore[arg-type]
            prop = key_text(self.src, node.child_by_field_name("property"))
            if parent == "aws-cdk-lib" and prop and prop.startswith("aws_"):
                return "aws-cdk-lib/" + prop.replace("_", "-")
            return f"{parent}/{prop}" if parent and prop else None
        return None

    def _construct(self, node: "Node") -> _Fn | None:
        ctor = node.child_by_field_name("constructor")
        if ctor is None:
            return None
        found = self._class_of(ctor)
        if found is None:
            return None
        module, cls = found
        modules = _CONSTRUCTS.get(cls)
        if modules is None:
            return None
        if module is None:
            if cls not in _DISTINCTIVE:
                return None
        elif module not in modules:
            return None
        args = self._args(node)
        if len(args) < 2:
            return None
        cid = self._name_text(args[1], render(self.src, args[1]))
        return _Fn(construct_id=cid, cls=cls, node=node)

    def _props_env(self, fn: _Fn) -> None:
        args = self._args(fn.node)
        if len(args) < 3:
            return
        props = self._object(args[2], 0)
        if props is None:
            return
        env_node = self._property(props, "environment", 0)
        if env_node is None:
            return
        env_obj = self._object(env_node, 0)
        if env_obj is None:
            return
        if fn.cls == "CfnFunction":
            variables = self._property(env_obj, "variables", 0)
            env_obj = self._object(variables, 0) if variables is not None else None
            if env_obj is None:
                return
        for key, key_node, value_node in self._entries(env_obj, 0):
            self._put(fn, key, key_node, value_node)

    def _put(self, fn: _Fn, key: str, key_node: "Node", value_node: "Node") -> None:
        fn.env.pop(key, None)
        fn.env[key] = EnvVar(
            name=key,
            value=self._value(value_node),
            key_location=self.src.location(key_node),
            value_location=self.src.location(value_node),
            function=fn.construct_id,
            declared_in="function",
            pointer=f"{fn.construct_id}/environment/{key}",
        )

    def _add_environment(self, call: "Node", by_node: dict[tuple[int, int], _Fn]) -> None:
        callee = call.child_by_field_name("function")
        if callee is None or callee.type != "member_expression":
            return
        if key_text(self.src, callee.child_by_field_name("property")) != "addEnvironment":
            return
        target = self._fn_of(callee.child_by_field_name("object"), by_node, call.start_byte, 0)  # type: ignore[arg-type]
        args = self._args(call)
        if target is None or len(args) < 2:
            return
        key = self._literal(args[0])
        if key is None:
            return
        self._put(target, key, args[0], args[1])

    def _fn_of(self, node: "Node", by_node: dict[tuple[int, int], _Fn], before: int, depth: int) -> _Fn | None:
        node = unwrap(node)
        if depth > _MAX_DEPTH:
            return None
        hit = by_node.get((node.start_byte, node.end_byte))
        if hit is not None and node.type == "new_expression":
            return hit
        key = self._var_key(node)
        if key is None:
            return None
        value = self._resolve(key, before)
        if value is None:
            return None
        return self._fn_of(value, by_node, before, depth + 1)

    # -- symbols ------------------------------------------------------------

    def _var_key(self, node: "Node") -> str | None:
        node = unwrap(node)
        if node.type in ("identifier", "shorthand_property_identifier"):
            return self.src.text(node)
        if node.type == "member_expression":
            obj = unwrap(node.child_by_field_name("object"))  # type: ignore[arg-type]
            prop = key_text(self.src, node.child_by_field_name("property"))
            if obj.type == "this" and prop:
                return f"this.{prop}"
        return None

    def _resolve(self, name: str, before: int) -> "Node | None":
        entries = self.decls.get(name)
        if not entries:
            return None
        prior = [e for e in entries if e[0] < before]
        return (prior[-1] if prior else entries[0])[2]

    def _follow(self, node: "Node") -> "Node":
        """The expression a same-file identifier / `this.x` holds (through
        several variables); the node itself when it is not one."""
        node = unwrap(node)
        for _ in range(_MAX_DEPTH):
            key = self._var_key(node)
            value = self._resolve(key, node.start_byte) if key is not None else None
            if value is None or unwrap(value).start_byte == node.start_byte:
                return node
            node = unwrap(value)
        return node

    def _args(self, node: "Node") -> list["Node"]:
        args = node.child_by_field_name("arguments")
        if args is None:
            return []
        return [c for c in args.named_children if c.type != "comment"]

    def _object(self, node: "Node", depth: int) -> "Node | None":
        """The object literal a value is (through identifiers)."""
        node = unwrap(node)
        if depth > _MAX_DEPTH:
            return None
        if node.type == "object":
            return node
        key = self._var_key(node)
        if key is not None:
            value = self._resolve(key, node.start_byte)
            if value is not None:
                return self._object(value, depth + 1)
        return None

    def _property(self, obj: "Node", name: str, depth: int) -> "Node | None":
        """The value node of `name` in an object literal (last wins, spreads followed)."""
        found = None
        for key, _key_node, value in self._entries(obj, depth):
            if key == name:
                found = value
        return found

    def _entries(self, obj: "Node", depth: int) -> list[tuple[str, "Node", "Node"]]:
        out: list[tuple[str, "Node", "Node"]] = []
        if depth > _MAX_DEPTH:
            return out
        for child in obj.named_children:
            t = child.type
            if t == "pair":
                key_node = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                key = key_text(self.src, key_node)
                if key is not None and key_node is not None and value is not None:
                    out.append((key, key_node, value))
            elif t == "shorthand_property_identifier":
                out.append((self.src.text(child), child, child))
            elif t == "spread_element":
                inner = [c for c in child.named_children if c.type != "comment"]
                target = self._object(inner[0], depth + 1) if inner else None
                if target is not None:
                    out.extend(self._entries(target, depth + 1))
        return out

    def _literal(self, node: "Node") -> str | None:
        value = self._value(node)
        return value.literal if value.is_literal else None

    def _name_text(self, node: "Node | None", fallback: str) -> str:
        """A secret / parameter name argument: the literal, a placeholder-joined
        text when partly literal, else the fallback."""
        if node is None:
            return fallback
        value = self._value(node)
        if value.literal is not None and not value.sources:
            return value.literal
        if value.literal_parts:
            return "*".join(value.literal_parts)
        return fallback

    # -- values -------------------------------------------------------------

    def _value(self, node: "Node") -> EnvValue:
        pieces: list[object] = []
        self._pieces(node, pieces, 0)
        return replace(combine(pieces), pattern=glob_of(pieces))

    def _glob(self, node: "Node | None") -> str | None:
        """A name expression as an IAM glob (`*` for unknown parts), None when unknown."""
        if node is None:
            return None
        pieces: list[object] = []
        self._pieces(node, pieces, 0)
        return glob_of(pieces)

    def _pieces(self, node: "Node", out: list[object], depth: int) -> None:
        node = unwrap(node)
        if depth > _MAX_DEPTH:
            out.append(ValueSource(SourceKind.UNKNOWN, detail="expression nested too deeply"))
            return
        t = node.type
        src = self.src
        if t == "string":
            out.append(src.string_value(node))
        elif t == "template_string":
            self._template(node, out, depth)
        elif t in ("number", "true", "false"):
            out.append(src.text(node))
        elif t in ("null", "undefined"):
            return
        elif t in ("identifier", "shorthand_property_identifier"):
            name = src.text(node)
            if name == "undefined":
                return
            value = self._resolve(name, node.start_byte)
            if value is None or unwrap(value).start_byte == node.start_byte:
                out.append(ValueSource(SourceKind.UNKNOWN, name=name, detail="identifier"))
                return
            self._pieces(value, out, depth + 1)
        elif t == "binary_expression":
            op = node.child_by_field_name("operator")
            op_text = src.text(op) if op is not None else ""
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None:
                out.append(ValueSource(SourceKind.UNKNOWN, detail="expression"))
            elif op_text == "+":
                self._pieces(left, out, depth + 1)
                self._pieces(right, out, depth + 1)
            elif op_text in ("||", "??"):
                self._pieces(left, out, depth + 1)
                out.append(BREAK)
                self._pieces(right, out, depth + 1)
            else:
                out.append(ValueSource(SourceKind.UNKNOWN, detail=f"operator {op_text}"))
        elif t == "ternary_expression":
            cons = node.child_by_field_name("consequence")
            alt = node.child_by_field_name("alternative")
            if cons is not None:
                self._pieces(cons, out, depth + 1)
            out.append(BREAK)
            if alt is not None:
                self._pieces(alt, out, depth + 1)
        elif t in ("member_expression", "subscript_expression"):
            self._member(node, out, depth)
        elif t == "call_expression":
            self._call(node, out, depth)
        else:
            out.append(ValueSource(SourceKind.UNKNOWN, detail=t))

    def _template(self, node: "Node", out: list[object], depth: int) -> None:
        data = self.src.data
        pos = node.start_byte + 1
        end = node.end_byte - 1
        produced = False
        for child in node.named_children:
            if child.type != "template_substitution":
                continue
            if child.start_byte > pos:
                out.append(decode_string(data[pos : child.start_byte].decode("utf-8", errors="replace")))
            inner = [c for c in child.named_children if c.type != "comment"]
            if inner:
                self._pieces(inner[0], out, depth + 1)
            pos = child.end_byte
            produced = True
        if end > pos:
            out.append(decode_string(data[pos:end].decode("utf-8", errors="replace")))
        elif not produced:
            out.append("")

    def _member(self, node: "Node", out: list[object], depth: int) -> None:
        src = self.src
        obj = unwrap(node.child_by_field_name("object"))  # type: ignore[arg-type]
        if node.type == "member_expression":
            prop = key_text(src, node.child_by_field_name("property"))
        else:
            index = node.child_by_field_name("index")
            prop = self._literal(index) if index is not None else None
        if prop is None:
            out.append(ValueSource(SourceKind.UNKNOWN, detail="computed member"))
            return
        # process.env.X / process.env['X']
        if obj.type == "member_expression" and src.text(obj).replace(" ", "") == "process.env":
            out.append(ValueSource(SourceKind.DEPLOYER_ENV, name=prop))
            return
        # A same-file constant object: read the property.
        target = self._object(obj, depth + 1)
        if target is not None:
            value = self._property(target, prop, depth + 1)
            if value is not None:
                self._pieces(value, out, depth + 1)
                return
        if prop in _SECRET_ATTRIBUTES:
            out.append(ValueSource(SourceKind.SECRET_ATTRIBUTE, name=render(src, obj), detail=_SECRET_ATTRIBUTES[prop]))
            return
        kind = self._kind(obj, depth + 1)
        if prop == "secretValue":  # ISecret.secretValue, whatever the receiver
            name = kind.name if isinstance(kind, _Secret) else render(src, obj)
            out.append(ValueSource(SourceKind.SECRETS_MANAGER, name=name, detail="secretValue"))
            return
        if prop == "stringValue" and isinstance(kind, _Param):
            out.append(
                ValueSource(SourceKind.SSM_SECURE if kind.secure else SourceKind.SSM, name=kind.name, detail="stringValue")
            )
            return
        if prop in ("valueAsString", "valueAsNumber", "value") and isinstance(kind, _CfnParam):
            out.append(
                ValueSource(SourceKind.TEMPLATE_PARAMETER, name=kind.name, template_parameter=kind.name, no_echo=kind.no_echo)
            )
            return
        if self._pseudo(obj, prop):
            out.append(ValueSource(SourceKind.PSEUDO, name=prop))
            return
        if _REFERENCE_MEMBER.match(prop):
            out.append(ValueSource(SourceKind.RESOURCE, name=render(src, obj), detail=prop, text=store_text(kind, prop)))
            return
        out.append(ValueSource(SourceKind.UNKNOWN, name=render(src, node), detail="member"))

    def _pseudo(self, obj: "Node", prop: str) -> bool:
        if prop in _AWS_PSEUDO:
            found = self._class_of(obj)
            return found is not None and found[1] == "Aws"
        if prop not in _PSEUDO_PROPS:
            return False
        if obj.type == "this":
            return True
        if obj.type == "call_expression":  # Stack.of(this)
            callee = obj.child_by_field_name("function")
            return callee is not None and self.src.text(callee).replace(" ", "").endswith("Stack.of")
        key = self._var_key(obj)  # const stack = Stack.of(this)
        if key is not None:
            value = self._resolve(key, obj.start_byte)
            if value is not None and unwrap(value).type == "call_expression":
                return self._pseudo(unwrap(value), prop)
        return False

    def _call(self, node: "Node", out: list[object], depth: int) -> None:
        src = self.src
        callee = unwrap(node.child_by_field_name("function"))  # type: ignore[arg-type]
        args = self._args(node)
        if callee.type != "member_expression":
            out.append(ValueSource(SourceKind.UNKNOWN, detail=f"call {render(src, callee)}"))
            return
        method = key_text(src, callee.child_by_field_name("property"))
        obj = unwrap(callee.child_by_field_name("object"))  # type: ignore[arg-type]
        if method in _PASS_THROUGH and not args:
            self._pieces(obj, out, depth + 1)
            return
        if method == "secretValueFromJson":
            kind = self._kind(obj, depth + 1)
            name = kind.name if isinstance(kind, _Secret) else render(src, obj)
            field_name = self._name_text(args[0] if args else None, "")
            out.append(ValueSource(SourceKind.SECRETS_MANAGER, name=name, detail=f"secretValueFromJson({field_name})"))
            return
        owner = self._class_of(obj)
        owner_cls = owner[1] if owner else ""
        if owner_cls == "SecretValue":
            if method == "secretsManager":
                name = self._name_text(args[0] if args else None, "")
                out.append(ValueSource(SourceKind.SECRETS_MANAGER, name=name, detail="SecretValue.secretsManager"))
                return
            if method == "ssmSecure":
                name = self._name_text(args[0] if args else None, "")
                out.append(ValueSource(SourceKind.SSM_SECURE, name=name, detail="SecretValue.ssmSecure"))
                return
            if method in ("unsafePlainText", "plainText") and args:
                self._pieces(args[0], out, depth + 1)
                return
            if method == "cfnParameter" and args:
                kind = self._kind(args[0], depth + 1)
                if isinstance(kind, _CfnParam):
                    out.append(ValueSource(SourceKind.TEMPLATE_PARAMETER, name=kind.name, template_parameter=kind.name,
                                           no_echo=True))
                    return
        if owner_cls == "StringParameter":
            if method in _SSM_VALUE_CALLS:
                name = self._name_text(args[1] if len(args) > 1 else None, "")
                out.append(ValueSource(SourceKind.SSM, name=name, detail=method))
                return
            if method == "valueForSecureStringParameter":
                name = self._name_text(args[1] if len(args) > 1 else None, "")
                out.append(ValueSource(SourceKind.SSM_SECURE, name=name, detail=method))
                return
            if method == "valueFromLookup":
                name = self._name_text(args[1] if len(args) > 1 else None, "")
                out.append(ValueSource(SourceKind.UNKNOWN, name=name, detail="valueFromLookup"))
                return
        if owner_cls == "Token" and method in ("asString", "asNumber") and args:
            self._pieces(args[0], out, depth + 1)
            return
        out.append(ValueSource(SourceKind.UNKNOWN, detail=f"call {render(src, callee)}"))

    def _kind(self, node: "Node", depth: int) -> _Secret | _Param | _CfnParam | None:
        """What construct-like object an expression is: a secret, a parameter, a CfnParameter."""
        node = unwrap(node)
        if depth > _MAX_DEPTH:
            return None
        key = self._var_key(node)
        if key is not None:
            value = self._resolve(key, node.start_byte)
            if value is None:
                return None
            kind = self._kind(value, depth + 1)
            if isinstance(kind, (_Secret, _Param)) and not kind.name:
                return replace(kind, name=key)  # an unnamed construct is shown by its variable
            return kind
        t = node.type
        if t == "new_expression":
            ctor = node.child_by_field_name("constructor")
            found = self._class_of(ctor) if ctor is not None else None
            if found is None:
                return None
            cls = found[1]
            args = self._args(node)
            props = self._object(args[2], depth + 1) if len(args) > 2 else None
            if cls in ("Secret", "DatabaseSecret"):
                name_node = self._property(props, "secretName", depth + 1) if props is not None else None
                return _Secret(self._name_text(name_node, ""), self._glob(name_node), "declared",
                               self._kms(props, depth), node)
            if cls in ("StringParameter", "StringListParameter"):
                name_node = self._property(props, "parameterName", depth + 1) if props is not None else None
                return _Param(self._name_text(name_node, ""), False, self._glob(name_node), "", node)
            if cls == "CfnParameter":
                no_echo = self._property(props, "noEcho", depth + 1) if props is not None else None
                cid = self._literal(args[1]) if len(args) > 1 else None
                return _CfnParam(cid or "", no_echo is not None and self.src.text(unwrap(no_echo)) == "true")
            return None
        if t == "call_expression":
            callee = unwrap(node.child_by_field_name("function"))  # type: ignore[arg-type]
            if callee.type != "member_expression":
                return None
            method = key_text(self.src, callee.child_by_field_name("property"))
            args = self._args(node)
            third = args[2] if len(args) > 2 else None
            if method in _SECRET_FACTORIES:
                return self._imported_secret(node, method, third, depth)
            if method in _PARAM_FACTORIES:
                secure = _PARAM_FACTORIES[method]
                if method == "fromStringParameterArn":
                    arn = self._glob(third)
                    name = "/" + arn.split(":parameter/", 1)[1] if arn and ":parameter/" in arn else None
                    return _Param(self._name_text(third, ""), secure, name, "", node)
                if method == "fromStringParameterName":
                    return _Param(self._name_text(third, ""), secure, self._glob(third), "", node)
                attrs = self._object(third, depth + 1) if third is not None else None
                name_node = self._property(attrs, "parameterName", depth + 1) if attrs is not None else None
                return _Param(self._name_text(name_node, ""), secure, self._glob(name_node), self._kms(attrs, depth),
                              node)
            return None
        if t == "member_expression":  # rdsInstance.secret / cluster.secret!
            prop = key_text(self.src, node.child_by_field_name("property"))
            if prop == "secret":
                return _Secret(render(self.src, node), node=node)
        return None

    # Secret imports: how the ARN CDK renders relates to the secret (REFERENCE §D.3).
    _SECRET_FORMS = {
        "fromSecretNameV2": "name",
        "fromSecretName": "legacy-name",
        "fromSecretCompleteArn": "complete",
        "fromSecretPartialArn": "partial",
    }

    def _imported_secret(self, node: "Node", method: str, third: "Node | None", depth: int) -> _Secret:
        kms = ""
        name_node = third
        form = self._SECRET_FORMS.get(method, "auto")
        if method == "fromSecretAttributes":
            attrs = self._object(third, depth + 1) if third is not None else None
            name_node = None
            if attrs is not None:
                for attr, attr_form in (("secretCompleteArn", "complete"), ("secretPartialArn", "partial"),
                                        ("secretArn", "auto"), ("secretName", "name")):
                    name_node = self._property(attrs, attr, depth + 1)
                    if name_node is not None:
                        form = attr_form
                        break
            kms = self._kms(attrs, depth)
        glob = self._glob(name_node)
        if form == "auto":  # fromSecretArn: CDK tells complete from partial by the suffix
            form = "complete" if glob and is_complete_secret_arn(glob) else "partial"
        if form in ("complete", "partial") and glob is not None and not glob.startswith("arn:"):
            glob = None  # not an ARN after all: nothing certain about it
        return _Secret(self._name_text(name_node, ""), glob, form, kms, node)

    def _kms(self, props: "Node | None", depth: int) -> str:
        """The customer-managed key of `encryptionKey` as an ARN glob ("" without one)."""
        key = self._property(props, "encryptionKey", depth + 1) if props is not None else None
        if key is None:
            return ""
        value = self._follow(key)
        if value.type == "call_expression":
            callee = unwrap(value.child_by_field_name("function"))  # type: ignore[arg-type]
            args = self._args(value)
            method = key_text(self.src, callee.child_by_field_name("property")) if callee.type == "member_expression" else None
            if method == "fromKeyArn" and len(args) > 2:
                arn = self._glob(args[2])
                if arn and arn.startswith("arn:"):
                    return arn
        return "arn:*:kms:*:*:key/*"

    # -- lookups ------------------------------------------------------------

    def _lookups(self) -> list[ContextLookup]:
        out: list[ContextLookup] = []
        for call in self.calls:
            callee = unwrap(call.child_by_field_name("function"))  # type: ignore[arg-type]
            if callee.type != "member_expression":
                continue
            if key_text(self.src, callee.child_by_field_name("property")) != "valueFromLookup":
                continue
            args = self._args(call)
            name = self._literal(args[1]) if len(args) > 1 else None
            out.append(ContextLookup(parameter_name=name or "", location=self.src.location(call)))
        return out

