"""What LSL101 and LSL102 share: which env vars to look at, how to name
them in messages, and the advice both give."""
from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from lambda_secrets_lint.model.infra import EnvVar, LambdaFunction, Template
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import Settings

# Short enough for one terminal line; `explain` has the full story.
ADVICE = "pass the secret's name or ARN instead, read it at runtime and grant read access to it"


def env_vars(project: Project, settings: Settings) -> Iterator[tuple[Template, LambdaFunction, EnvVar]]:
    """Every (template, function, env var) not allow-listed by name."""
    allowed = settings.allowed_env_names
    for template in project.templates:
        for fn in template.functions:
            for var in fn.env:
                if any(fnmatchcase(var.name, pattern) for pattern in allowed):
                    continue
                yield template, fn, var


def sentence(text: str) -> str:
    """Upper-case the first letter only (str.capitalize would lower the rest,
    mangling variable names)."""
    return text[:1].upper() + text[1:]


def where(var: EnvVar) -> str:
    if var.declared_in == "globals":
        return f"environment variable '{var.name}' (SAM Globals, inherited by function '{var.function}')"
    if var.declared_in == "provider":
        return f"environment variable '{var.name}' (provider.environment, inherited by function '{var.function}')"
    return f"environment variable '{var.name}' of function '{var.function}'"


def sam_function(variables: str, *, parameters: str = "", resources: str = "") -> str:
    """A small SAM template for rule examples: one function whose
    Environment.Variables block is `variables` (lines indented 10 spaces)."""
    params = f"Parameters:\n{parameters}" if parameters else ""
    return (
        "Transform: AWS::Serverless-2016-10-31\n"
        f"{params}"
        "Resources:\n"
        "  ApiFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Handler: app.handler\n"
        "      Runtime: python3.12\n"
        "      Environment:\n"
        "        Variables:\n"
        f"{variables}"
        f"{resources}"
    )
