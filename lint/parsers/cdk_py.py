"""CDK Python stack code (`aws_cdk` imports) → Template facts (tool="cdk").

What is read, statically and within one file:
- Lambda constructs — `aws_lambda.Function`, `DockerImageFunction`,
  `SingletonFunction`, `CfnFunction`, `aws_lambda_nodejs.NodejsFunction`,
  `aws_lambda_python_alpha.PythonFunction`, `aws_sam.CfnFunction` — however
  the module or class was imported (`from aws_cdk import aws_lambda as
  _lambda`, `import aws_cdk.aws_lambda as lambda_`, `from aws_cdk.aws_lambda
  import Function`, `import aws_cdk as cdk` + `cdk.aws_lambda.Function`).
- Their `environment=` mapping: a dict display, `**spreads` and names of
  same-file dict constants (function locals assigned before, else module
  level), `dict(KEY=value, **other)`, `a | b`; for CfnFunction
  `CfnFunction.EnvironmentProperty(variables={...})` or `{"variables": {...}}`.
  Plus `fn.add_environment("KEY", value)` where `fn` is a local name or a
  `self.` attribute bound to the construct (or the construct call itself).
- What each value is made of, as `intrinsics.combine` pieces: literal text,
  and ValueSources for Secrets Manager / SSM / secret attributes / resource
  references / pseudo parameters / the deployer's environment (`os.environ`)
  — anything else is UNKNOWN, never a guess.
- Every `StringParameter.value_from_lookup(...)` call of the file as a
  ContextLookup (LSL105), wherever it is.
- For the IAM linking (LSL3xx): each function's code location
  (`cdk_py_code`), its execution role with every grant that applies to it,
  the parameters and secrets of the file, and what `param.parameter_name` /
  `secret.secret_arn` … evaluate to in env values (`cdk_py_iam`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lambda_secrets_lint.model.infra import (
    CodeRef,
    ContextLookup,
    EnvVar,
    LambdaFunction,
    SourceKind,
    Template,
    ValueSource,
)
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.nodes import ParseError

if TYPE_CHECKING:  # libcst is imported lazily (only CDK Python files need it)
    import libcst as cst

    from lambda_secrets_lint.parsers.cdk_py_iam import IamTracker, RoleRec

__all__ = ["build_cdk_py"]

_MAX_NAME_DEPTH = 10  # name → constant → name … chains
_MAX_EXPR_DEPTH = 60  # nested sub-expressions of one value

# Qualified construct classes (CDK v2, plus v1 module names that still parse).
_CONSTRUCTS = frozenset(
    {
        "aws_cdk.aws_lambda.Function",
        "aws_cdk.aws_lambda.DockerImageFunction",
        "aws_cdk.aws_lambda.SingletonFunction",
        "aws_cdk.aws_lambda.CfnFunction",
        "aws_cdk.aws_lambda_nodejs.NodejsFunction",
        "aws_cdk.aws_lambda_python_alpha.PythonFunction",
        "aws_cdk.aws_lambda_python.PythonFunction",
        "aws_cdk.aws_lambda_go_alpha.GoFunction",
        "aws_cdk.aws_sam.CfnFunction",
    }
)
_CONSTRUCT_CLASSES = frozenset(q.rsplit(".", 1)[1] for q in _CONSTRUCTS)
_ADD_ENV = "add_environment"

# Attributes whose value IS a secret (GetAtt of a secret attribute).
_SECRET_ATTRS = {
    "user_pool_client_secret": "UserPoolClient.ClientSecret",
    "secret_access_key": "AccessKey.SecretAccessKey",
    "attr_secret_access_key": "CfnAccessKey.SecretAccessKey",
    "attr_api_key": "CfnApiKey.ApiKey",
    "attr_client_secret": "CfnUserPoolClient.ClientSecret",
}
_PSEUDO_AWS = {
    "REGION": "AWS::Region",
    "ACCOUNT_ID": "AWS::AccountId",
    "PARTITION": "AWS::Partition",
    "STACK_NAME": "AWS::StackName",
    "STACK_ID": "AWS::StackId",
    "URL_SUFFIX": "AWS::URLSuffix",
    "NOTIFICATION_ARNS": "AWS::NotificationARNs",
    "NO_VALUE": "AWS::NoValue",
}
_PSEUDO_STACK = {
    "region": "AWS::Region",
    "account": "AWS::AccountId",
    "partition": "AWS::Partition",
    "stack_name": "AWS::StackName",
    "stack_id": "AWS::StackId",
    "url_suffix": "AWS::URLSuffix",
}
_REFERENCE_SUFFIXES = ("_arn", "_name", "_id", "_url", "_endpoint", "_address", "_port", "_domain", "_uri", "_arns")
_REFERENCE_ATTRS = frozenset({"ref", "arn", "name", "url", "endpoint", "hostname", "port", "attr_arn"})
_SECRET_FROM_NAME = ("from_secret_name_v2", "from_secret_name")
_SECRET_FROM_ARN = ("from_secret_complete_arn", "from_secret_partial_arn", "from_secret_arn")


def build_cdk_py(path: str, text: str, *, module: "cst.Module | None" = None) -> Template | None:
    """The Lambda facts of one CDK Python file, or None when it declares no
    Lambda function and makes no context lookup. Raises only ParseError.
    `module`: an already parsed libcst module of `text`, to parse only once."""
    from lambda_secrets_lint.parsers.python.guard import DEPTH_MESSAGE
    from lambda_secrets_lint.parsers.python.positions import Positions

    if module is None:
        from lambda_secrets_lint.parsers.python.extract import parse_module

        module = parse_module(text)
    try:
        builder = _Builder(path, module, Positions(path, module, text))
        builder.run()
    except RecursionError:
        raise ParseError(DEPTH_MESSAGE) from None
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - callers expect ParseError only
        raise ParseError(f"internal error while analysing CDK code ({type(exc).__name__})") from None
    functions = tuple(fn.freeze() for fn in builder.functions)
    lookups = tuple(builder.lookups)
    if not functions and not lookups:
        return None
    return Template(
        path=path,
        is_sam=False,
        synthesized=False,
        parameters=(),
        resources=(),
        functions=functions,
        tool="cdk",
        lookups=lookups,
        stores=builder.iam.secret_stores(),
    )


# ----------------------------------------------------------------------------- scopes
@dataclass
class _Scope:
    """Names visible where an expression is evaluated: the enclosing
    function's locals assigned so far (None at module level) and the module's
    constants (last assignment wins: functions run after the module body)."""

    module: dict[str, "cst.BaseExpression"]
    local: dict[str, "cst.BaseExpression"] | None = None
    selfs: dict[str, "cst.BaseExpression"] | None = None  # `self.x = …` of the enclosing class

    def lookup(self, name: str) -> tuple["cst.BaseExpression", "_Scope"] | None:
        if self.local is not None and name in self.local:
            return self.local[name], self
        if name in self.module:
            return self.module[name], _Scope(self.module, None, None)
        return None


@dataclass
class _Fn:
    construct_id: str
    class_name: str
    location: Location
    env: dict[str, EnvVar] = field(default_factory=dict)
    code: CodeRef | None = None
    role_rec: "RoleRec | None" = None  # grants keep arriving until the walk ends

    def freeze(self) -> LambdaFunction:
        return LambdaFunction(
            logical_id=self.construct_id,
            resource_type=f"cdk:{self.class_name}",
            location=self.location,
            env=tuple(self.env.values()),
            code=self.code,
            role=self.role_rec.freeze() if self.role_rec is not None else None,
        )


# ----------------------------------------------------------------------------- builder
class _Builder:
    def __init__(self, path: str, module: "cst.Module", positions: object) -> None:
        import libcst as cst

        self.cst = cst
        self.path = path
        self.module = module
        self.positions = positions
        self.aliases: dict[str, str] = {}
        self.star_modules: list[str] = []
        self.module_names: dict[str, cst.BaseExpression] = {}
        self.functions: list[_Fn] = []
        self.lookups: list[ContextLookup] = []
        self._by_call: dict[int, _Fn] = {}  # id(construct Call node) → function
        from lambda_secrets_lint.parsers.cdk_py_iam import IamTracker

        self.iam: IamTracker = IamTracker(self)

    def loc(self, node: "cst.CSTNode") -> Location:
        return self.positions.loc(node)  # type: ignore[attr-defined]

    # -- passes ---------------------------------------------------------------
    def run(self) -> None:
        self._collect_module(self.module.body)
        root = _Scope(self.module_names, None, None)
        self._block(self.module.body, root, fn_vars={}, self_vars=None)
        self.iam.finish(self.functions)

    def _collect_module(self, body: object) -> None:
        """Imports (anywhere at module level, incl. inside if/try) and
        module-level single-name assignments."""
        cst = self.cst
        for stmt in _statements(body, cst, into_defs=False):
            if isinstance(stmt, cst.Import):
                for alias in stmt.names:
                    full = _dotted_name(alias.name)
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                        self.aliases[alias.asname.name.value] = full
                    else:
                        top = full.split(".", 1)[0]
                        self.aliases[top] = top
            elif isinstance(stmt, cst.ImportFrom):
                if stmt.relative or stmt.module is None:
                    continue
                base = _dotted_name(stmt.module)
                if isinstance(stmt.names, cst.ImportStar):
                    self.star_modules.append(base)
                    continue
                for alias in stmt.names:
                    name = _dotted_name(alias.name)
                    local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
                    self.aliases[local] = f"{base}.{name}"
            elif isinstance(stmt, cst.Assign):
                for target in stmt.targets:
                    if isinstance(target.target, cst.Name):
                        self.module_names[target.target.value] = stmt.value
            elif isinstance(stmt, cst.AnnAssign) and stmt.value is not None and isinstance(stmt.target, cst.Name):
                self.module_names[stmt.target.value] = stmt.value

    def _block(self, body: object, scope: _Scope, fn_vars: dict[str, _Fn], self_vars: dict[str, _Fn] | None) -> None:
        """Walk statements in order; nested defs get their own locals."""
        cst = self.cst
        stmts = body if isinstance(body, (list, tuple)) else getattr(body, "body", ())
        for stmt in stmts:
            if isinstance(stmt, cst.BaseSmallStatement):  # a one-line suite: `if x: fn.add_environment(…)`
                self._small(stmt, scope, fn_vars, self_vars)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self._small(small, scope, fn_vars, self_vars)
            elif isinstance(stmt, cst.FunctionDef):
                self._scan_calls(stmt.decorators, scope, fn_vars, self_vars)
                local_scope = _Scope(self.module_names, {}, scope.selfs)
                self._block(stmt.body, local_scope, {}, self_vars)
            elif isinstance(stmt, cst.ClassDef):
                class_scope = _Scope(self.module_names, None, {})
                self._block(stmt.body, class_scope, {}, {})
            else:
                # if / for / while / with / try / match: headers, then bodies
                for name in ("test", "iter", "items", "subject"):
                    part = getattr(stmt, name, None)
                    if part is not None:
                        self._scan_calls(part, scope, fn_vars, self_vars)
                # `for fn in (a, b): secret.grant_read(fn)`: the grant reaches each
                loop_var = stmt.target.value if isinstance(stmt, cst.For) and isinstance(stmt.target, cst.Name) else None
                saved = self.iam.loop_vars.get(loop_var) if loop_var else None
                if loop_var:
                    self.iam.loop_vars[loop_var] = (stmt.iter, scope)  # type: ignore[attr-defined]
                    fn_vars.pop(loop_var, None)
                for name in ("body", "orelse", "handlers", "finalbody", "cases"):
                    part = getattr(stmt, name, None)
                    if part is None:
                        continue
                    parts = part if isinstance(part, (list, tuple)) else (part,)
                    for sub in parts:
                        if isinstance(sub, cst.If):  # elif chain
                            self._block((sub,), scope, fn_vars, self_vars)
                        else:
                            self._block(getattr(sub, "body", sub), scope, fn_vars, self_vars)
                if loop_var:
                    if saved is None:
                        self.iam.loop_vars.pop(loop_var, None)
                    else:
                        self.iam.loop_vars[loop_var] = saved

    def _small(self, small: "cst.BaseSmallStatement", scope: _Scope, fn_vars: dict[str, _Fn], self_vars: dict[str, _Fn] | None) -> None:
        cst = self.cst
        self._scan_calls(small, scope, fn_vars, self_vars)
        value = None
        targets: list[cst.BaseExpression] = []
        if isinstance(small, cst.Assign):
            value = small.value
            targets = [t.target for t in small.targets]
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            value = small.value
            targets = [small.target]
        if value is None:
            return
        for target in targets:
            # `fn = self.fn` / `self.fn = fn` keep pointing at the construct
            built = self._by_call.get(id(value)) or self._target_fn(value, scope, fn_vars, self_vars)
            if isinstance(target, cst.Name):
                if scope.local is not None:
                    scope.local[target.value] = value
                self.iam.on_assign(target.value, value)
                if built is not None:
                    fn_vars[target.value] = built
                else:
                    fn_vars.pop(target.value, None)
            elif _is_self_attr(target, cst):
                attr = target.attr.value  # type: ignore[attr-defined]
                if scope.selfs is not None:
                    scope.selfs[attr] = value
                self.iam.on_assign(f"self.{attr}", value)
                if self_vars is not None:
                    if built is not None:
                        self_vars[attr] = built
                    else:
                        self_vars.pop(attr, None)

    def _scan_calls(self, node: object, scope: _Scope, fn_vars: dict[str, _Fn], self_vars: dict[str, _Fn] | None) -> None:
        """Every call in node (not inside nested lambdas), outermost first so a
        construct is registered before a chained `.add_environment` on it…
        which is its parent: so calls are handled in post-order instead."""
        cst = self.cst
        calls: list[cst.Call] = []
        stack: list[object] = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, (list, tuple)):
                stack.extend(current)
                continue
            if not isinstance(current, cst.CSTNode) or isinstance(current, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
                continue
            if isinstance(current, cst.Call):
                calls.append(current)
            stack.extend(current.children)
        # children were pushed after their parent: reversed = inner calls first
        for call in reversed(calls):
            self._call(call, scope, fn_vars, self_vars)

    # -- calls ----------------------------------------------------------------
    def _call(self, call: "cst.Call", scope: _Scope, fn_vars: dict[str, _Fn], self_vars: dict[str, _Fn] | None) -> None:
        cst = self.cst
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "value_from_lookup":
            name_node = _arg(call, 1, "parameter_name")
            name = self._text(name_node, scope) if name_node is not None else None
            self.lookups.append(ContextLookup(parameter_name=name or "", location=self.loc(call)))
            return
        if isinstance(func, cst.Attribute) and func.attr.value == _ADD_ENV:
            target = self._target_fn(func.value, scope, fn_vars, self_vars)
            if target is None:
                return
            key_node = _arg(call, 0, "key")
            value_node = _arg(call, 1, "value")
            if key_node is None or value_node is None:
                return
            key = self._text(key_node, scope)
            if key is None:
                return
            self._add(target, key, key_node, value_node, scope)
            return
        if self.iam.on_call(call, scope, fn_vars, self_vars):
            return
        qual = self.qualify(func)
        if qual not in _CONSTRUCTS:
            return
        class_name = qual.rsplit(".", 1)[1]
        id_node = _arg(call, 1, "id")
        construct_id = (self._text(id_node, scope) if id_node is not None else None) or (
            _source(self.module, id_node) if id_node is not None else class_name
        )
        fn = _Fn(construct_id, class_name, self.loc(call))
        self.functions.append(fn)
        self._by_call[id(call)] = fn
        from lambda_secrets_lint.parsers.cdk_py_code import code_ref

        fn.code = code_ref(self, call, class_name, scope)
        self.iam.on_function(fn, call, scope, fn_vars, self_vars)
        env = _arg(call, None, "environment")
        if env is None:
            return
        if class_name == "CfnFunction":
            env = self._cfn_variables(env, scope)
            if env is None:
                return
        for key, key_node, value_node, value_scope in self._mapping(env, scope, 0):
            self._add(fn, key, key_node, value_node, value_scope)

    def _target_fn(self, receiver: "cst.BaseExpression", scope: _Scope, fn_vars: dict[str, _Fn], self_vars: dict[str, _Fn] | None) -> _Fn | None:
        cst = self.cst
        if isinstance(receiver, cst.Call):
            return self._by_call.get(id(receiver))
        if isinstance(receiver, cst.Name):
            return fn_vars.get(receiver.value)
        if _is_self_attr(receiver, cst) and self_vars is not None:
            return self_vars.get(receiver.attr.value)  # type: ignore[attr-defined]
        return None

    def _cfn_variables(self, env: "cst.BaseExpression", scope: _Scope, depth: int = 0) -> "cst.BaseExpression | None":
        """`CfnFunction.EnvironmentProperty(variables=…)` / `{"variables": …}`."""
        cst = self.cst
        if depth > _MAX_NAME_DEPTH:
            return None
        if isinstance(env, cst.Name):
            found = scope.lookup(env.value)
            return self._cfn_variables(found[0], found[1], depth + 1) if found else None
        if isinstance(env, cst.Call) and _last(env.func).endswith("EnvironmentProperty"):
            return _arg(env, 0, "variables")
        if isinstance(env, cst.Dict):
            for el in env.elements:
                if isinstance(el, cst.DictElement) and self._text(el.key, scope) in ("variables", "Variables"):
                    return el.value
        return None

    def _add(self, fn: _Fn, key: str, key_node: "cst.CSTNode", value_node: "cst.BaseExpression", scope: _Scope) -> None:
        from lambda_secrets_lint.parsers.intrinsics import combine

        value = combine(self._pieces(value_node, scope, 0))
        fn.env.pop(key, None)  # a later definition replaces an earlier one
        fn.env[key] = EnvVar(
            name=key,
            value=value,
            key_location=self.loc(key_node),
            value_location=self.loc(value_node),
            function=fn.construct_id,
            declared_in="function",
            pointer=f"{fn.construct_id}/environment/{key}",
        )

    # -- mappings -------------------------------------------------------------
    def _mapping(self, node: "cst.BaseExpression", scope: _Scope, depth: int) -> list[tuple[str, "cst.CSTNode", "cst.BaseExpression", _Scope]]:
        cst = self.cst
        if depth > _MAX_NAME_DEPTH:
            return []
        out: list[tuple[str, cst.CSTNode, cst.BaseExpression, _Scope]] = []
        if isinstance(node, cst.Dict):
            for el in node.elements:
                if isinstance(el, cst.StarredDictElement):
                    out.extend(self._mapping(el.value, scope, depth + 1))
                elif isinstance(el, cst.DictElement):
                    key = self._text(el.key, scope)
                    if key is not None:
                        out.append((key, el.key, el.value, scope))
        elif isinstance(node, cst.Call) and self.qualify(node.func) == "dict":
            for arg in node.args:
                if arg.star == "**" or (arg.keyword is None and not arg.star):
                    out.extend(self._mapping(arg.value, scope, depth + 1))
                elif arg.keyword is not None:
                    out.append((arg.keyword.value, arg.keyword, arg.value, scope))
        elif isinstance(node, cst.Name):
            found = scope.lookup(node.value)
            if found is not None:
                out.extend(self._mapping(found[0], found[1], depth + 1))
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            out.extend(self._mapping(node.left, scope, depth + 1))
            out.extend(self._mapping(node.right, scope, depth + 1))
        elif isinstance(node, cst.Attribute) and _is_self_attr(node, cst) and scope.selfs is not None:
            value = scope.selfs.get(node.attr.value)
            if value is not None:
                out.extend(self._mapping(value, scope, depth + 1))
        return out

    # -- names ----------------------------------------------------------------
    def qualify(self, node: "cst.BaseExpression") -> str:
        """`_lambda.Function` → `aws_cdk.aws_lambda.Function` through the imports."""
        text = _dotted(node, self.cst)
        if not text:
            return ""
        head, _, rest = text.partition(".")
        full = self.aliases.get(head)
        if full is None:
            if not rest and head in _CONSTRUCT_CLASSES:
                for star in self.star_modules:
                    if f"{star}.{head}" in _CONSTRUCTS:
                        return f"{star}.{head}"
            return text
        return f"{full}.{rest}" if rest else full

    def _text(self, node: "cst.BaseExpression | None", scope: _Scope) -> str | None:
        """The literal text of node (through same-file constants), else None."""
        if node is None:
            return None
        pieces = self._pieces(node, scope, 0)
        if pieces and all(isinstance(p, str) for p in pieces):
            return "".join(pieces)  # type: ignore[arg-type]
        return None

    def _name_of(self, node: "cst.BaseExpression | None", scope: _Scope) -> str:
        """A name for a secret/parameter: its literal text, or a pattern with
        `*` for the non-literal parts, or the expression's source."""
        if node is None:
            return ""
        pieces = self._pieces(node, scope, 0)
        if pieces and any(isinstance(p, str) for p in pieces):
            return "".join(p if isinstance(p, str) else "*" for p in pieces)
        return _source(self.module, node)

    # -- values ---------------------------------------------------------------
    def _pieces(self, node: "cst.BaseExpression", scope: _Scope, depth: int) -> list[object]:
        cst = self.cst
        if depth > _MAX_EXPR_DEPTH:
            return [ValueSource(SourceKind.UNKNOWN, detail="expression nested too deeply")]
        from lambda_secrets_lint.parsers.python.literals import string_value

        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            text = string_value(node)
            if text is not None:
                return [text]
            if isinstance(node, cst.ConcatenatedString):
                return self._pieces(node.left, scope, depth + 1) + self._pieces(node.right, scope, depth + 1)
            if isinstance(node, cst.FormattedString):
                out: list[object] = []
                for part in node.parts:
                    if isinstance(part, cst.FormattedStringText):
                        out.append(part.value.replace("{{", "{").replace("}}", "}"))
                    elif isinstance(part, cst.FormattedStringExpression):
                        out.extend(self._pieces(part.expression, scope, depth + 1))
                return out
            return [ValueSource(SourceKind.UNKNOWN, detail="string")]
        if isinstance(node, (cst.Integer, cst.Float)):
            return [node.value]
        if isinstance(node, cst.Name):
            return self._name_pieces(node, scope, depth)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            return self._pieces(node.left, scope, depth + 1) + self._pieces(node.right, scope, depth + 1)
        if isinstance(node, cst.Subscript):
            if self.qualify(node.value) == "os.environ" and len(node.slice) == 1:
                index = node.slice[0].slice
                key = self._text(index.value, scope) if isinstance(index, cst.Index) else None
                return [ValueSource(SourceKind.DEPLOYER_ENV, name=key or "", detail="os.environ")]
            return [ValueSource(SourceKind.UNKNOWN, name=_source(self.module, node), detail="subscript")]
        if isinstance(node, cst.Attribute):
            return self._attribute(node, scope, depth)
        if isinstance(node, cst.Call):
            return self._call_pieces(node, scope, depth)
        return [ValueSource(SourceKind.UNKNOWN, detail=type(node).__name__)]

    def _name_pieces(self, node: "cst.Name", scope: _Scope, depth: int) -> list[object]:
        name = node.value
        if name in ("True", "False"):
            return [name.lower()]
        found = scope.lookup(name)
        if found is None or depth > _MAX_NAME_DEPTH * 4:
            return [ValueSource(SourceKind.UNKNOWN, name=name, detail="name")]
        value, value_scope = found
        if value is node:
            return [ValueSource(SourceKind.UNKNOWN, name=name, detail="name")]
        return self._pieces(value, value_scope, depth + 4)

    def _resolve(self, node: "cst.BaseExpression", scope: _Scope, depth: int = 0) -> tuple["cst.BaseExpression", _Scope]:
        """Follow names (and `self.x`) to the expression they were assigned."""
        cst = self.cst
        while depth < _MAX_NAME_DEPTH:
            depth += 1
            if isinstance(node, cst.Name):
                found = scope.lookup(node.value)
                if found is None or found[0] is node:
                    break
                node, scope = found
            elif _is_self_attr(node, cst) and scope.selfs is not None and node.attr.value in scope.selfs:  # type: ignore[attr-defined]
                node = scope.selfs[node.attr.value]  # type: ignore[attr-defined]
            else:
                break
        return node, scope

    def _attribute(self, node: "cst.Attribute", scope: _Scope, depth: int) -> list[object]:
        cst = self.cst
        attr = node.attr.value
        base = node.value
        qual = self.qualify(node)
        base_text = _source(self.module, base)
        if qual.rsplit(".", 2)[-2:-1] == ["Aws"] and attr in _PSEUDO_AWS:
            return [ValueSource(SourceKind.PSEUDO, name=_PSEUDO_AWS[attr])]
        if attr in _PSEUDO_STACK and (
            (isinstance(base, cst.Name) and base.value == "self")
            or (isinstance(base, cst.Call) and _last(base.func) == "of" and self.qualify(base.func).endswith("Stack.of"))
        ):
            return [ValueSource(SourceKind.PSEUDO, name=_PSEUDO_STACK[attr])]
        if attr == "secret_value":
            return [ValueSource(SourceKind.SECRETS_MANAGER, name=self._secret_name(base, scope), detail="secret_value")]
        if attr == "string_value":
            return self._string_value(base, scope)
        if attr == "value_as_string":
            return self._cfn_parameter(base, scope)
        if attr in _SECRET_ATTRS or (attr.startswith("attr_") and _secret_like(attr[len("attr_"):])):
            return [ValueSource(SourceKind.SECRET_ATTRIBUTE, name=base_text, detail=_SECRET_ATTRS.get(attr, attr))]
        if attr in _REFERENCE_ATTRS or attr.endswith(_REFERENCE_SUFFIXES):
            # `param.parameter_name`, `secret.secret_arn` …: the IAM linker
            # follows env vars carrying them (None for other resources)
            text = self.iam.attr_text(base, attr, scope)
            return [ValueSource(SourceKind.RESOURCE, name=base_text, detail=attr, text=text)]
        # a self attribute holding a constant (`self.stage = "prod"`)
        resolved, rscope = self._resolve(node, scope)
        if resolved is not node:
            return self._pieces(resolved, rscope, depth + 4)
        return [ValueSource(SourceKind.UNKNOWN, name=qual or base_text, detail="attribute")]

    def _call_pieces(self, node: "cst.Call", scope: _Scope, depth: int) -> list[object]:
        cst = self.cst
        func = node.func
        qual = self.qualify(func)
        last = _last(func)
        owner = qual.rsplit(".", 2)[-2] if qual.count(".") >= 1 else ""
        if qual in ("os.environ.get", "os.getenv", "os.environ.setdefault"):
            key = self._text(_arg(node, 0, "key"), scope)
            out: list[object] = [ValueSource(SourceKind.DEPLOYER_ENV, name=key or "", detail=qual)]
            default = _arg(node, 1, "default")
            if default is not None:
                from lambda_secrets_lint.parsers.intrinsics import BREAK

                out.append(BREAK)
                out.extend(self._pieces(default, scope, depth + 1))
            return out
        if qual == "str" and len(node.args) == 1:
            return self._pieces(node.args[0].value, scope, depth + 1)
        if isinstance(func, cst.Attribute) and last in ("unsafe_unwrap", "to_string") and not node.args:
            return self._pieces(func.value, scope, depth + 1)
        if isinstance(func, cst.Attribute) and last == "secret_value_from_json":
            return [ValueSource(SourceKind.SECRETS_MANAGER, name=self._secret_name(func.value, scope), detail="secret_value_from_json")]
        if owner == "SecretValue":
            if last in ("unsafe_plain_text", "plain_text"):
                arg = _arg(node, 0, "secret")
                return self._pieces(arg, scope, depth + 1) if arg is not None else []
            if last == "secrets_manager":
                return [ValueSource(SourceKind.SECRETS_MANAGER, name=self._name_of(_arg(node, 0, "secret_id"), scope), detail="SecretValue.secrets_manager")]
            if last == "ssm_secure":
                return [ValueSource(SourceKind.SSM_SECURE, name=self._name_of(_arg(node, 0, "parameter_name"), scope), detail="SecretValue.ssm_secure")]
            if last == "cfn_parameter":
                return self._cfn_parameter(_arg(node, 0, "param"), scope)
        if owner == "StringParameter":
            name = _arg(node, 1, "parameter_name")
            if last == "value_from_lookup":
                return [ValueSource(SourceKind.UNKNOWN, name=self._name_of(name, scope), detail="valueFromLookup")]
            if last in ("value_for_string_parameter", "value_for_typed_string_parameter_v2", "value_for_typed_string_parameter"):
                return [ValueSource(SourceKind.SSM, name=self._name_of(name, scope), detail=f"StringParameter.{last}")]
            if last == "value_for_secure_string_parameter":
                return [ValueSource(SourceKind.SSM_SECURE, name=self._name_of(name, scope), detail=f"StringParameter.{last}")]
        if qual.endswith("Fn.ref"):
            return [ValueSource(SourceKind.RESOURCE, name=self._name_of(_arg(node, 0, "logical_name"), scope), detail="Fn.ref")]
        return [ValueSource(SourceKind.UNKNOWN, name=qual, detail="call")]

    def _secret_name(self, node: "cst.BaseExpression", scope: _Scope) -> str:
        """The secret a `secret.secret_value…` reads: the literal name/ARN it
        was imported or created with, else the expression's source."""
        cst = self.cst
        resolved, rscope = self._resolve(node, scope)
        if isinstance(resolved, cst.Call):
            last = _last(resolved.func)
            if last in _SECRET_FROM_NAME:
                return self._name_of(_arg(resolved, 2, "secret_name"), rscope)
            if last in _SECRET_FROM_ARN:
                return self._name_of(_arg(resolved, 2, last[len("from_"):]), rscope)
            if last == "from_secret_attributes":
                for kw in ("secret_complete_arn", "secret_partial_arn", "secret_arn"):
                    value = _arg(resolved, None, kw)
                    if value is not None:
                        return self._name_of(value, rscope)
            if last in ("Secret", "DatabaseSecret"):
                value = _arg(resolved, None, "secret_name")
                if value is not None:
                    return self._name_of(value, rscope)
                cid = self._text(_arg(resolved, 1, "id"), rscope)
                if cid:
                    return cid
        return _source(self.module, node)

    def _string_value(self, base: "cst.BaseExpression", scope: _Scope) -> list[object]:
        """`<parameter>.string_value`: SSM (SecureString when imported as one)."""
        cst = self.cst
        resolved, rscope = self._resolve(base, scope)
        if isinstance(resolved, cst.Call):
            last = _last(resolved.func)
            if last == "from_secure_string_parameter_attributes":
                return [ValueSource(SourceKind.SSM_SECURE, name=self._name_of(_arg(resolved, 2, "parameter_name"), rscope), detail=last)]
            if last == "from_string_parameter_name":
                return [ValueSource(SourceKind.SSM, name=self._name_of(_arg(resolved, 2, "string_parameter_name"), rscope), detail=last)]
            if last == "from_string_parameter_attributes":
                return [ValueSource(SourceKind.SSM, name=self._name_of(_arg(resolved, 2, "parameter_name"), rscope), detail=last)]
            if last == "StringParameter":
                name = _arg(resolved, None, "parameter_name")
                return [ValueSource(SourceKind.SSM, name=self._name_of(name, rscope) if name is not None else _source(self.module, base), detail="StringParameter")]
        return [ValueSource(SourceKind.UNKNOWN, name=_source(self.module, base), detail="string_value")]

    def _cfn_parameter(self, base: "cst.BaseExpression | None", scope: _Scope) -> list[object]:
        """`CfnParameter(self, "DbPassword", no_echo=True).value_as_string`."""
        cst = self.cst
        if base is None:
            return [ValueSource(SourceKind.UNKNOWN, detail="CfnParameter")]
        resolved, rscope = self._resolve(base, scope)
        if isinstance(resolved, cst.Call) and _last(resolved.func) == "CfnParameter":
            pid = self._text(_arg(resolved, 1, "id"), rscope) or _source(self.module, base)
            no_echo_node = _arg(resolved, None, "no_echo")
            no_echo = isinstance(no_echo_node, cst.Name) and no_echo_node.value == "True"
            return [
                ValueSource(
                    SourceKind.TEMPLATE_PARAMETER, name=pid, template_parameter=pid, no_echo=no_echo,
                    location=self.loc(resolved),
                )
            ]
        return [ValueSource(SourceKind.UNKNOWN, name=_source(self.module, base), detail="value_as_string")]


# ----------------------------------------------------------------------------- helpers
def _statements(body: object, cst: object, *, into_defs: bool) -> list[object]:
    """Small statements of a block, descending into compound statements
    (if/try/with/for/while) but not into defs and classes."""
    out: list[object] = []
    stack: list[object] = [body]
    while stack:
        current = stack.pop()
        if isinstance(current, (list, tuple)):
            stack.extend(reversed(current))
            continue
        if isinstance(current, cst.SimpleStatementLine):  # type: ignore[attr-defined]
            out.extend(current.body)
            continue
        if isinstance(current, cst.BaseSmallStatement):  # type: ignore[attr-defined]
            out.append(current)
            continue
        if isinstance(current, (cst.FunctionDef, cst.ClassDef)) and not into_defs:  # type: ignore[attr-defined]
            continue
        if isinstance(current, cst.Module):  # type: ignore[attr-defined]
            stack.append(current.body)
            continue
        for name in ("body", "orelse", "handlers", "finalbody"):
            part = getattr(current, name, None)
            if part is not None:
                stack.append(part)
    return out


def _dotted_name(node: object) -> str:
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted_name(node.value)}.{node.attr.value}"
    return ""


def _dotted(node: object, cst: object, limit: int = 20) -> str:
    parts: list[str] = []
    while limit > 0:
        limit -= 1
        if isinstance(node, cst.Attribute):  # type: ignore[attr-defined]
            parts.append(node.attr.value)
            node = node.value
        elif isinstance(node, cst.Name):  # type: ignore[attr-defined]
            parts.append(node.value)
            return ".".join(reversed(parts))
        else:
            return ""
    return ""


def _last(func: object) -> str:
    import libcst as cst

    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return ""


def _is_self_attr(node: object, cst: object) -> bool:
    return (
        isinstance(node, cst.Attribute)  # type: ignore[attr-defined]
        and isinstance(node.value, cst.Name)  # type: ignore[attr-defined]
        and node.value.value == "self"
    )


def _arg(call: "cst.Call", position: int | None, keyword: str) -> "cst.BaseExpression | None":
    """The argument at `position` (positional only) or given as `keyword=`."""
    positional = 0
    for arg in call.args:
        if arg.star:
            continue
        if arg.keyword is not None:
            if arg.keyword.value == keyword:
                return arg.value
            continue
        if position is not None and positional == position:
            return arg.value
        positional += 1
    return None


def _source(module: "cst.Module", node: "cst.CSTNode | None") -> str:
    if node is None:
        return ""
    try:
        text = module.code_for_node(node)
    except RecursionError:
        return "?"
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _secret_like(name: str) -> bool:
    from lambda_secrets_lint.secrets.names import is_secret_name

    return is_secret_name(name)
