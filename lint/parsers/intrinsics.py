"""Static evaluation of CloudFormation intrinsic functions in env values.

The question is never "what is the value" but "what is it made of": plain
text (which could be a literal secret) and references to things that resolve
at deploy time (dynamic references, parameters, resource attributes). An
expression we cannot see through becomes an UNKNOWN source, never a guess.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from lambda_secrets_lint.model.infra import EnvValue, SourceKind, ValueSource, TemplateParameter

# {{resolve:service:reference...}} — the reference may itself contain a
# placeholder (Sub) or a Ref (Join), so only the service is required here.
DYNAMIC_REF = re.compile(r"\{\{resolve:(secretsmanager|ssm-secure|ssm):([^}]*)\}\}")
# The service of an unterminated reference that continues in a later piece
# of a Join (CDK renders `"{{resolve:secretsmanager:", {"Ref": ...}, ":SecretString::}}"`).
_SERVICE_KIND = {
    "secretsmanager": SourceKind.SECRETS_MANAGER,
    "ssm-secure": SourceKind.SSM_SECURE,
    "ssm": SourceKind.SSM,
}
_SUB_VAR = re.compile(r"\$\{(!?)([^}]*)\}")
_PLACEHOLDER = "\x00"  # stands for a non-literal piece while scanning for dynamic refs

# Attributes that ARE secret values (GetAtt returns the plaintext).
SECRET_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "AWS::Cognito::UserPoolClient": frozenset({"ClientSecret"}),
    "AWS::IAM::AccessKey": frozenset({"SecretAccessKey"}),
    "AWS::AppSync::ApiKey": frozenset({"ApiKey"}),
}
PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
        "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    }
)


@dataclass(frozen=True, slots=True)
class TemplateContext:
    parameters: Mapping[str, TemplateParameter]
    resource_types: Mapping[str, str]
    resource_props: Mapping[str, object]  # logical id -> Properties (for SSM parameter names)
    mappings: Mapping[str, object]


# Separates alternatives (If branches, FindInMap rows) so their texts are
# never glued into one literal.
_BREAK = object()
BREAK = _BREAK


def evaluate(node: object, ctx: TemplateContext) -> EnvValue:
    pieces: list[object] = []
    _collect(node, ctx, pieces, depth=0)
    return _finish(pieces)


def combine(pieces: list[object]) -> EnvValue:
    """Build an EnvValue from ordered pieces: str (literal text), ValueSource,
    or BREAK between alternatives. Public for other infrastructure parsers
    (Serverless) that produce the same pieces."""
    return _finish(pieces)


def _finish(pieces: list[object]) -> EnvValue:
    # Scan the concatenation for dynamic references; literal text that is
    # part of a {{resolve:…}} is not literal secret material.
    flat = "".join(p if isinstance(p, str) else _PLACEHOLDER for p in pieces)
    sources: list[ValueSource] = [p for p in pieces if isinstance(p, ValueSource)]
    dyn_spans: list[tuple[int, int]] = []
    dyn_sources: list[ValueSource] = []
    for service, reference, span in _iter_dynamic_refs(flat):
        dyn_spans.append(span)
        dyn_sources.append(ValueSource(_SERVICE_KIND[service], name=_reference_name(service, reference)))
    if dyn_spans:
        # Refs inside a dynamic reference (CDK's Join form) name the secret;
        # they are part of that reference, not separate ingredients.
        sources = [s for s in sources if s.kind not in (SourceKind.RESOURCE, SourceKind.PSEUDO)]
    literal_parts: list[str] = []
    last = 0
    for start, end in dyn_spans:
        literal_parts.extend(_split_literals(flat[last:start]))
        last = end
    literal_parts.extend(_split_literals(flat[last:]))
    only_text = all(isinstance(p, str) for p in pieces)
    literal = flat if only_text and not dyn_spans else None
    return EnvValue(
        literal=literal, literal_parts=tuple(literal_parts), sources=tuple(dyn_sources + sources),
        # A dynamic reference resolves to the secret itself, not to a name.
        pattern=None if dyn_spans else value_pattern(pieces),
    )


def value_pattern(pieces: list[object]) -> str | None:
    """The runtime text as a glob: literal pieces, each source's `text`, `*`
    for what is unknown. None for alternatives (If/FindInMap) or when no
    part is known — the IAM linker must not match a guess."""
    out: list[str] = []
    for p in pieces:
        if p is _BREAK:
            return None
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, ValueSource):
            out.append(p.text if p.text is not None else "*")
    text = re.sub(r"\*{2,}", "*", "".join(out))
    return None if not text.strip("*") else text


_VERSION_SUFFIX = re.compile(r":\d+$")


def _reference_name(service: str, reference: str) -> str:
    """The secret id / parameter name inside a dynamic reference:
    secretsmanager:<id>:SecretString:<key>:<stage>:<version>, ssm:<name>[:<version>].
    A non-literal piece (a Ref in CDK's Join form) shows as '*'."""
    if service == "secretsmanager":
        name = reference.split(":SecretString", 1)[0]
    else:
        name = _VERSION_SUFFIX.sub("", reference)
    return name.replace(_PLACEHOLDER, "*")


def _split_literals(text: str) -> list[str]:
    return [t for t in text.split(_PLACEHOLDER) if t]


def _iter_dynamic_refs(flat: str):
    """Yield (service, reference, (start, end)) for each {{resolve:…}}."""
    pos = 0
    while True:
        start = flat.find("{{resolve:", pos)
        if start < 0:
            return
        end = flat.find("}}", start)
        if end < 0:
            return
        service, _, reference = flat[start + len("{{resolve:") : end].partition(":")
        if service in _SERVICE_KIND:
            yield service, reference, (start, end + 2)
        pos = end + 2


def _collect(node: object, ctx: TemplateContext, out: list[object], depth: int) -> None:
    if depth > 50:
        out.append(ValueSource(SourceKind.UNKNOWN, detail="expression nested too deeply"))
        return
    if node is None:
        return
    if isinstance(node, bool):
        out.append("true" if node else "false")
        return
    if isinstance(node, (int, float, str)):
        out.append(str(node))
        return
    if isinstance(node, list):
        out.append(ValueSource(SourceKind.UNKNOWN, detail="list value"))
        return
    if not isinstance(node, dict) or len(node) != 1:
        out.append(ValueSource(SourceKind.UNKNOWN, detail="mapping value"))
        return
    (fn, arg), = node.items()
    handler = _FUNCTIONS.get(fn)
    if handler is None:
        out.append(ValueSource(SourceKind.UNKNOWN, detail=str(fn)))
        return
    handler(arg, ctx, out, depth + 1)


def _ref(name: object, ctx: TemplateContext, out: list[object], depth: int) -> None:
    if not isinstance(name, str):
        out.append(ValueSource(SourceKind.UNKNOWN, detail="Ref"))
        return
    out.extend(_ref_sources(name, ctx))


def _ref_sources(name: str, ctx: TemplateContext) -> list[object]:
    if name == "AWS::NoValue":
        return []
    if name in PSEUDO_PARAMETERS:
        return [ValueSource(SourceKind.PSEUDO, name=name)]
    param = ctx.parameters.get(name)
    if param is not None:
        if param.is_ssm_type:
            return [
                ValueSource(
                    SourceKind.SSM, name=param.default or "", template_parameter=name,
                    no_echo=param.no_echo, location=param.location,
                )
            ]
        return [
            ValueSource(
                SourceKind.TEMPLATE_PARAMETER, name=name, template_parameter=name,
                no_echo=param.no_echo, location=param.location, text=param.default,
            )
        ]
    rtype = ctx.resource_types.get(name)
    if rtype is not None:
        return [ValueSource(SourceKind.RESOURCE, name=name, detail=f"{rtype} Ref", text=resource_ref_text(name, ctx))]
    return [ValueSource(SourceKind.UNKNOWN, name=name, detail="Ref to an undeclared name")]


def _getatt_sources(resource: str, attribute: str, ctx: TemplateContext) -> list[object]:
    rtype = ctx.resource_types.get(resource)
    if rtype is None:
        return [ValueSource(SourceKind.UNKNOWN, name=resource, detail=f"GetAtt {resource}.{attribute}")]
    if attribute in SECRET_ATTRIBUTES.get(rtype, ()) or (_is_custom(rtype) and _secret_attribute_name(attribute)):
        return [ValueSource(SourceKind.SECRET_ATTRIBUTE, name=resource, detail=f"{rtype}.{attribute}")]
    if rtype == "AWS::SSM::Parameter" and attribute == "Value":
        props = ctx.resource_props.get(resource)
        pname = props.get("Name") if isinstance(props, dict) else None
        return [
            ValueSource(
                SourceKind.SSM, name=pname if isinstance(pname, str) else resource,
                template_parameter=resource, detail=f"{rtype}.Value",
            )
        ]
    text = resource_ref_text(resource, ctx) if (rtype, attribute) in _REF_LIKE_ATTRIBUTES else None
    return [ValueSource(SourceKind.RESOURCE, name=resource, detail=f"{rtype}.{attribute}", text=text)]


# GetAtt attributes that return the same identifier as Ref.
_REF_LIKE_ATTRIBUTES = frozenset({("AWS::SecretsManager::Secret", "Id"), ("AWS::SSM::Parameter", "Name")})


def static_text(node: object, ctx: TemplateContext) -> str | None:
    """A property value as text when static analysis can tell it (`*` for
    unknown parts of a Sub); None when nothing is known."""
    if isinstance(node, str):
        return node
    if isinstance(node, dict) and len(node) == 1 and "Fn::Sub" in node and isinstance(node["Fn::Sub"], str):
        def repl(m: re.Match[str]) -> str:
            if m.group(1):
                return "${" + m.group(2) + "}"
            param = ctx.parameters.get(m.group(2).strip())
            return param.default if param is not None and param.default is not None else "*"

        return _SUB_VAR.sub(repl, node["Fn::Sub"])
    return None


def resource_ref_text(logical_id: str, ctx: TemplateContext) -> str | None:
    """What `Ref` of a parameter or secret resource returns, as a glob:
    an SSM parameter's name (CloudFormation names an unnamed one
    `CFN-<LogicalId>-<random>`), a secret's ARN (an unnamed secret is
    `<LogicalId>-<random>`; every secret ARN ends in a random suffix)."""
    rtype = ctx.resource_types.get(logical_id)
    props = ctx.resource_props.get(logical_id)
    name = static_text(props.get("Name"), ctx) if isinstance(props, dict) else None
    if rtype == "AWS::SSM::Parameter":
        return name if name is not None else f"CFN-{logical_id}-*"
    if rtype == "AWS::SecretsManager::Secret":
        return f"arn:*:secretsmanager:*:*:secret:{name}-??????" if name is not None else f"arn:*:secretsmanager:*:*:secret:{logical_id}-*"
    return None


def _is_custom(rtype: str) -> bool:
    return rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource"


def _secret_attribute_name(attribute: str) -> bool:
    """Custom resources return whatever their code returns; CDK's
    `userPoolClientSecret` is `Custom::DescribeCognitoUserPoolClient`'s
    `UserPoolClient.ClientSecret`. Judge by the attribute's last segment."""
    from lambda_secrets_lint.secrets.names import is_secret_name

    return is_secret_name(attribute.rsplit(".", 1)[-1])


def _getatt(arg: object, ctx: TemplateContext, out: list[object], depth: int) -> None:
    if isinstance(arg, str) and "." in arg:
        resource, attribute = arg.split(".", 1)
    elif isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg):
        resource, attribute = arg[0], arg[1]
    else:
        out.append(ValueSource(SourceKind.UNKNOWN, detail="GetAtt"))
        return
    out.extend(_getatt_sources(resource, attribute, ctx))


def _sub(arg: object, ctx: TemplateContext, out: list[object], depth: int) -> None:
    variables: Mapping[str, object] = {}
    if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
        text, variables = arg[0], arg[1]
    elif isinstance(arg, str):
        text = arg
    else:
        out.append(ValueSource(SourceKind.UNKNOWN, detail="Fn::Sub"))
        return
    last = 0
    for m in _SUB_VAR.finditer(text):
        out.append(text[last : m.start()])
        last = m.end()
        bang, name = m.groups()
        if bang:  # ${!Literal} is the literal text ${Literal}
            out.append("${" + name + "}")
            continue
        name = name.strip()
        if name in variables:
            _collect(variables[name], ctx, out, depth + 1)
        elif "." in name and name.split(".", 1)[0] in ctx.resource_types:
            out.extend(_getatt_sources(*name.split(".", 1), ctx))
        else:
            out.extend(_ref_sources(name, ctx))
    out.append(text[last:])


def _join(arg: object, ctx: TemplateContext, out: list[object], depth: int) -> None:
    if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], list)):
        out.append(ValueSource(SourceKind.UNKNOWN, detail="Fn::Join"))
        return
    delimiter, parts = arg
    for i, part in enumerate(parts):
        if i:
            out.append(delimiter)
        _collect(part, ctx, out, depth + 1)


def _branches(items: list[object], ctx: TemplateContext, out: list[object], depth: int) -> None:
    # Either branch may be deployed, so the value is made of all of them.
    for item in items:
        out.append(_BREAK)
        _collect(item, ctx, out, depth + 1)
    out.append(_BREAK)


def _if(arg: object, ctx: TemplateContext, out: list[object], depth: int) -> None:
    if isinstance(arg, list) and len(arg) == 3:
        _branches(arg[1:], ctx, out, depth)
    else:
        out.append(ValueSource(SourceKind.UNKNOWN, detail="Fn::If"))


def _select(arg: object, ctx: TemplateContext, out: list[object], depth: int) -> None:
    if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
        index = arg[0]
        if isinstance(index, (int, str)) and str(index).isdigit() and int(index) < len(arg[1]):
            _collect(arg[1][int(index)], ctx, out, depth + 1)
        else:
            _branches(list(arg[1]), ctx, out, depth)
    else:
        out.append(ValueSource(SourceKind.UNKNOWN, detail="Fn::Select"))


def _find_in_map(arg: object, ctx: TemplateContext, out: list[object], depth: int) -> None:
    if not (isinstance(arg, list) and len(arg) >= 3 and isinstance(arg[0], str)):
        out.append(ValueSource(SourceKind.UNKNOWN, detail="Fn::FindInMap"))
        return
    table = ctx.mappings.get(arg[0])
    if not isinstance(table, dict):
        out.append(ValueSource(SourceKind.UNKNOWN, detail="Fn::FindInMap"))
        return
    top, second = arg[1], arg[2]
    rows = [table[top]] if isinstance(top, str) and top in table else list(table.values())
    values = [row[second] for row in rows if isinstance(row, dict) and isinstance(second, str) and second in row]
    if not values:
        out.append(ValueSource(SourceKind.UNKNOWN, detail="Fn::FindInMap"))
        return
    _branches(values, ctx, out, depth)


def _base64(arg: object, ctx: TemplateContext, out: list[object], depth: int) -> None:
    _collect(arg, ctx, out, depth + 1)


def _unknown(name: str) -> Callable[[object, TemplateContext, list[object], int], None]:
    def handler(arg: object, ctx: TemplateContext, out: list[object], depth: int) -> None:
        out.append(ValueSource(SourceKind.UNKNOWN, detail=name))

    return handler


_FUNCTIONS: Mapping[str, Callable[[object, TemplateContext, list[object], int], None]] = {
    "Ref": _ref,
    "Fn::GetAtt": _getatt,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::If": _if,
    "Fn::Select": _select,
    "Fn::FindInMap": _find_in_map,
    "Fn::Base64": _base64,
    "Fn::ImportValue": _unknown("Fn::ImportValue"),
    "Fn::Split": _unknown("Fn::Split"),
    "Fn::GetAZs": _unknown("Fn::GetAZs"),
    "Fn::Cidr": _unknown("Fn::Cidr"),
    "Fn::Transform": _unknown("Fn::Transform"),
}
