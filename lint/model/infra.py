"""Infrastructure facts, independent of the tool that declared them.

CloudFormation/SAM (this release), and later CDK, Serverless and Terraform,
all reduce a Lambda function's environment to the same facts: for each
variable, its name, where the key is, and what its value is made of. The
env-secret rules (LSL1xx) only ever read these facts.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from lambda_secrets_lint.iam.policy import Statement
from lambda_secrets_lint.model.location import Location


class SourceKind(str, Enum):
    """Where (part of) an env value comes from, other than literal text."""

    SECRETS_MANAGER = "secretsmanager"  # {{resolve:secretsmanager:…}} and equivalents
    SSM_SECURE = "ssm-secure"  # {{resolve:ssm-secure:…}}
    SSM = "ssm"  # {{resolve:ssm:…}}, AWS::SSM::Parameter::Value<…> parameter
    TEMPLATE_PARAMETER = "template-parameter"  # Ref/Sub of a plain template parameter
    SECRET_ATTRIBUTE = "secret-attribute"  # GetAtt/Ref of an attribute that IS a secret
    RESOURCE = "resource"  # Ref/GetAtt of a resource (an id, ARN, name: a reference)
    PSEUDO = "pseudo"  # AWS::Region, AWS::StackName …
    DEPLOYER_ENV = "deployer-env"  # the deployer's environment baked in at synth time
    UNKNOWN = "unknown"  # cannot be resolved statically (imports, conditions, lookups)


@dataclass(frozen=True, slots=True)
class ValueSource:
    """One non-literal ingredient of an env value.

    name: the parameter / secret id / logical id / attribute the value refers
    to; for SSM it is the SSM parameter name when known.
    template_parameter: for SSM-typed or plain template parameters, the
    template parameter's logical name (its name can be secret-like too).
    """

    kind: SourceKind
    name: str = ""
    template_parameter: str = ""
    no_echo: bool = False
    detail: str = ""  # e.g. "AWS::Cognito::UserPoolClient.ClientSecret"
    decrypted: bool = False  # SSM read with decryption (Terraform data source, Serverless ${ssm:…} v3+)
    location: Location | None = None  # where the source is declared, if elsewhere
    # What this ingredient evaluates to at runtime as text, when static
    # analysis knows it: a parameter's Default, the Name of an
    # AWS::SSM::Parameter (its Ref), a secret's ARN pattern (its Ref), CDK's
    # `param.parameterName` / `secret.secretArn`. `*` marks unknown parts.
    # The IAM linker uses it to learn which secret a handler reads by env var.
    text: str | None = None


@dataclass(frozen=True, slots=True)
class EnvValue:
    """What an env var's value is made of.

    literal: the whole value when it is one plain string (None otherwise).
    literal_parts: plain text fragments of an expression (Fn::Sub template
    text, Fn::Join pieces); for a plain literal it is (literal,).
    sources: the non-literal ingredients, in order.
    """

    literal: str | None = None
    literal_parts: tuple[str, ...] = ()
    sources: tuple[ValueSource, ...] = ()
    # The runtime string as an IAM-style glob: literal text plus each
    # source's `text`, `*` where a part is unknown; None when the value has
    # alternatives (Fn::If) or nothing about it is known.
    pattern: str | None = None

    @property
    def is_literal(self) -> bool:
        return self.literal is not None and not self.sources


@dataclass(frozen=True, slots=True)
class EnvVar:
    name: str
    value: EnvValue
    key_location: Location
    value_location: Location
    function: str  # the function's logical id / construct id / name
    declared_in: str = "function"  # "function" | "globals" | "provider"
    pointer: str = ""  # stable path to the key, e.g. Resources/Fn/Properties/Environment/Variables/X


@dataclass(frozen=True, slots=True)
class CodeRef:
    """Where a function's code is, as the infrastructure file says it.

    root: the code directory, POSIX and relative to the project root ("" =
    the root); None when the code is not in the repository (S3, an image).
    handler: the Handler string as written ("app.lambda_handler",
    "src/handlers/api.handler"); runtime: "python3.12", "nodejs20.x", or "".
    inline: CloudFormation ZipFile / SAM InlineCode (the file is `index`).
    entry_points: SAM esbuild Metadata BuildProperties.EntryPoints (and a
    CDK NodejsFunction's `entry` file name, relative to root).
    """

    root: str | None
    handler: str
    runtime: str = ""
    inline: bool = False
    entry_points: tuple[str, ...] = ()
    # CDK paths written without __dirname are relative to the directory the
    # `cdk` command runs in (the one holding cdk.json), an ancestor of the
    # app file: the linker then tries `root` under each ancestor of the
    # declaring file, nearest first, up to the project root.
    cwd_relative: bool = False


@dataclass(frozen=True, slots=True)
class Grant:
    """One IAM statement that applies to a function's role, and where it is
    written: the statement in an inline policy, a SAM policy template entry,
    a managed policy ARN, a CDK `grantRead(...)` / `addToRolePolicy(...)`
    call, a Serverless `iam.role.statements` item.

    origin: human words for messages ("SAM policy template
    SSMParameterReadPolicy", "dbSecret.grantRead(fn)", "managed policy
    SecretsManagerReadWrite", "inline policy ReadConfig of ApiRole").
    managed: the AWS managed policy's name when the statement models one.
    """

    statement: Statement
    location: Location
    origin: str
    managed: str = ""


@dataclass(frozen=True, slots=True)
class RoleFacts:
    """The execution role of a function and every statement that applies to it.

    name: logical id / construct variable / "provider.iam.role" / "" (the
    role the tool creates by default). known=False: the role is imported or
    cannot be resolved (an ARN parameter, `Role.fromRoleArn`), so nothing is
    known about its policies. partial: non-empty when some policy attaches in
    a way the linker cannot read (a customer-managed policy ARN, an unknown
    managed policy, a policy built from variables); then a missing grant is
    only "maybe" and LSL301 stays silent. Both are explained with --verbose.
    """

    name: str
    location: Location | None
    grants: tuple[Grant, ...] = ()
    known: bool = True
    partial: str = ""

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(g.statement for g in self.grants)


@dataclass(frozen=True, slots=True)
class SecretStore:
    """A parameter or secret the infrastructure declares or imports.

    service: "ssm" | "secretsmanager"; name: its name (or ARN) as an IAM-style
    glob (`*` where unknown); kms_key: the ARN pattern of the customer-managed
    key it is encrypted with ("" = the AWS-managed default key, which needs no
    grant). ref: the logical id / construct variable that declares it.
    """

    service: str
    name: str
    location: Location
    ref: str = ""
    kms_key: str = ""


@dataclass(frozen=True, slots=True)
class LambdaFunction:
    logical_id: str
    resource_type: str  # AWS::Lambda::Function, AWS::Serverless::Function, …
    location: Location
    env: tuple[EnvVar, ...] = ()
    code: CodeRef | None = None  # None: not known statically
    role: RoleFacts | None = None  # None: not determined (no LSL3xx for this function)

    def env_var(self, name: str) -> EnvVar | None:
        for var in self.env:
            if var.name == name:
                return var
        return None


@dataclass(frozen=True, slots=True)
class TemplateParameter:
    name: str
    type: str
    location: Location
    default: str | None = None
    default_location: Location | None = None
    no_echo: bool = False

    @property
    def is_ssm_type(self) -> bool:
        return self.type.startswith("AWS::SSM::Parameter::Value<")


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    """A Metadata ignore: `Metadata: {lambda-secrets-lint: {ignore: [{id, reason}]}}`."""

    rule: str  # ID or name as written
    reason: str
    location: Location


@dataclass(frozen=True, slots=True)
class Resource:
    logical_id: str
    type: str
    location: Location
    end_line: int  # last line of the resource's definition, for Metadata ignores
    ignores: tuple[IgnoreEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class ContextLookup:
    """A CDK synth-time lookup whose result is cached in cdk.context.json
    (committed to git) and embedded literally in the template (LSL105):
    `StringParameter.valueFromLookup(this, '/prod/x')` /
    `ssm.StringParameter.value_from_lookup(self, "/prod/x")`."""

    parameter_name: str  # the literal name, or "" when not a literal
    location: Location  # the call


@dataclass(frozen=True, slots=True)
class ContextEntry:
    """One cached value in cdk.context.json (LSL105 when it looks secret)."""

    key: str  # e.g. "ssm:account=123456789012:parameterName=/prod/api-key:region=eu-west-1"
    parameter_name: str  # parsed from an ssm: key, else ""
    credential_kind: str  # credential_shape kind of the value, or ""
    masked: str  # secrets.masking.mask of the value (never the value)
    trivial: bool  # is_trivial_value / is_reference_value of the value
    location: Location  # the key in the JSON file


@dataclass(frozen=True, slots=True)
class Template:
    """One infrastructure file's Lambda facts: a CloudFormation/SAM template
    (YAML, JSON, or cdk.out synthesized), a serverless.yml, or a Terraform
    file. `parameters` are the inputs whose values may be given elsewhere:
    template Parameters, Terraform variables (sensitive = NoEcho)."""

    path: str
    is_sam: bool
    synthesized: bool  # cdk.out/*.template.json
    parameters: tuple[TemplateParameter, ...]
    resources: tuple[Resource, ...]
    functions: tuple[LambdaFunction, ...]
    tool: str = "cloudformation"  # "cloudformation" | "serverless" | "terraform" | "cdk"
    lookups: tuple[ContextLookup, ...] = ()  # CDK only
    stores: tuple[SecretStore, ...] = ()  # parameters and secrets declared or imported (LSL3xx)

    def parameter(self, name: str) -> TemplateParameter | None:
        for p in self.parameters:
            if p.name == name:
                return p
        return None
