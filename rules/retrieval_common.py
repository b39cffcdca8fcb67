"""What the LSL5xx retrieval rules share."""
from __future__ import annotations

from collections.abc import Iterator

from lambda_secrets_lint.model.code import CodeFacts, NameKind, SecretName, SecretRead
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rules.code_common import handler_files
from lambda_secrets_lint.secrets.names import is_secret_name, secret_word


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


def secretish(name: SecretName, extra: tuple[str, ...]) -> bool:
    if name.kind is NameKind.UNKNOWN or not name.value:
        return False
    if name.kind is NameKind.ENV:
        # DB_PASSWORD_PARAM names a parameter that holds a password.
        return secret_word(name.value, extra) is not None
    return is_secret_name(name.value, extra) or secret_word(name.value.rstrip("/").rsplit("/", 1)[-1], extra) is not None


def plain_config(read: SecretRead, extra: tuple[str, ...]) -> bool:
    """An SSM read without decryption of names none of which is secret-like:
    configuration, not a secret (RULES.md: a plain String read of a
    config-like name is not secret)."""
    return (
        read.service == "ssm"
        and read.decrypted is False
        and bool(read.names)
        and all(n.kind is not NameKind.UNKNOWN for n in read.names)
        and not any(secretish(n, extra) for n in read.names)
    )
