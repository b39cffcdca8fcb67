"""What the LSL5xx retrieval rules share."""
from __future__ import annotations

from collections.abc import Iterator

from lambda_secrets_lint.model.code import CodeFacts, NameKind, SecretRead
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rules.code_common import handler_files


def reads(project: Project) -> Iterator[tuple[CodeFacts, SecretRead]]:
    for facts in handler_files(project):
        for read in facts.secret_reads:
            yield facts, read


def describe(read: SecretRead) -> str:
    """`SSM parameter '/prod/db/password'`, `secret named by env var DB_SECRET_ARN`."""
    what = "SSM parameter" if read.service == "ssm" else "secret"
    if not read.names:
        return f"{what} (name not known statically)"
    first = read.names[0]
    more = f" and {len(read.names) - 1} more" if len(read.names) > 1 else ""
    if first.kind is NameKind.ENV:
        return f"{what} named by env var {first.value}{more}"
    if first.kind is NameKind.UNKNOWN or not first.value:
        return f"{what} (name not known statically){more}"
    if first.kind is NameKind.PATH:
        return f"SSM parameters under '{first.value}'{more}"
    return f"{what} '{first.value}'{more}"


def key(read: SecretRead) -> str:
    names = ",".join(f"{n.kind.value}:{n.value}" for n in read.names)
    return f"{read.api.value}:{read.action}:{names}"
