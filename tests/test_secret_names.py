"""Secret-like names: RULES.md "What counts as secret-like" and Clarifications."""
from __future__ import annotations

import pytest

from lambda_secrets_lint.secrets.names import (
    REFERENCE_LAST_WORDS,
    RUNTIME_ENV_NAMES,
    VALUE_DEPENDENT_TERMS,
    is_reference_name,
    is_secret_name,
    name_words,
    secret_word,
)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("dbPassword", ("DB", "PASSWORD")),
        ("STRIPE_API_KEY", ("STRIPE", "API", "KEY")),
        ("/prod/db/master-password", ("PROD", "DB", "MASTER", "PASSWORD")),
        ("HTTPServerToken", ("HTTP", "SERVER", "TOKEN")),
        ("stripeApiKey", ("STRIPE", "API", "KEY")),
        ("StripeAPIKey", ("STRIPE", "API", "KEY")),
        ("APIKEY", ("APIKEY",)),
        ("api-key", ("API", "KEY")),
        ("db.password", ("DB", "PASSWORD")),
        ("TOKEN2", ("TOKEN", "2")),
        ("apiKeyV2", ("API", "KEY", "V", "2")),
        ("OAuthToken", ("OAUTH", "TOKEN")),  # OAuth is one word
        ("OAUTH2_ISSUER", ("OAUTH", "2", "ISSUER")),
        ("__private__key__", ("PRIVATE", "KEY")),
        ("", ()),
        ("___", ()),
    ],
)
def test_name_words(name: str, words: tuple[str, ...]) -> None:
    assert name_words(name) == words


SECRET_NAMES = [
    "DB_PASSWORD",
    "dbPassword",
    "db-password",
    "DBPASSWORD",  # PASSWORD matches inside a word
    "MYSECRET",
    "STRIPE_API_KEY",
    "stripeApiKey",
    "APIKEY",
    "STRIPEAPIKEY",  # joined multi-word entry inside one word
    "X_API_KEY",
    "API_KEYS",  # plural after API
    "GITHUB_TOKEN",
    "OAUTH_TOKEN",  # via TOKEN, not AUTH
    "REFRESH_TOKENS",
    "JWT_SECRET",
    "CLIENT_SECRET",
    "clientSecret",
    "PRIVATE_KEY",
    "PRIVATE_KEYS",
    "privateKey",
    "AWS_SECRET_ACCESS_KEY",
    "ACCESS_KEY",
    "ACCESS_KEYS",
    "SECRET_KEY",
    "SECRET_KEYS",
    "SECRETS",
    "SLACK_WEBHOOK_SECRET",
    "DB_CREDENTIALS",
    "GOOGLE_CREDENTIAL",
    "DATABASE_DSN",
    "MONGO_CONNECTION_STRING",
    "mongoConnectionString",
    "BASIC_AUTH",
    "SMTP_PASS",
    "DB_PWD",
    "DB_PASSWD",
    "SIGNING_KEY",
    "SIGNING_KEYS",
    "ENCRYPTION_KEY",
    "MASTER_KEY",
    "SSH_PASSPHRASE",
    "/prod/payments/stripe-api-key",
    "prod/db/master-password",
    "API_KEY_2",  # trailing number does not hide the secret word
    "API_KEY_V2",
    "DB_PASSWORDS",
    "SECRET_KEY_BASE",
    "AUTH",
    "PASS",
    "pwd",  # a variable in code; only the exact env var PWD is the working directory
]

NOT_SECRET_NAMES = [
    # references / settings with a secret word
    "DB_SECRET_ARN",
    "API_KEY_PARAM",
    "SECRET_NAME",
    "DB_PASSWORD_PARAMETER",
    "TOKEN_TTL",
    "JWT_SECRET_PATH",
    "PASSWORD_MIN_LENGTH",
    "AUTH_ENABLED",
    "AUTH_URL",
    "TOKEN_ALGORITHM",
    "ACCESS_KEY_ID",  # an identifier, not a secret by name
    "AWS_ACCESS_KEY_ID",
    "KMS_KEY_ID",
    "SECRETS_PREFIX",
    "OAUTH_ISSUER",
    "PASSWORD_POLICY",
    "DB_USER",
    "dbSecretArn",
    "stripeApiKeyParam",
    "SECRET_ARN_2",
    "TOKEN_ENDPOINT",
    "AUTH_HOST",
    "TOKEN_EXPIRY",
    "TOKEN_EXPIRATION_SECONDS",
    "PASSWORD_ROTATION_DAYS",
    "API_KEY_HEADER",
    "CLIENT_SECRET_FIELD",
    "SECRET_ID",
    "AUTH_TYPE",
    "TOKEN_AUDIENCE",
    "TOKEN_SCOPES",
    "ENCRYPTION_KEY_ALIAS",
    "CREDENTIALS_FILE",
    "AUTH_USERNAME",
    "AUTH_EMAIL",
    "DB_SECRET_REGION",
    "SECRETS_BUCKET",
    "TOKENS_TABLE",
    "SIGNING_KEY_SPEC",
    # substrings that are not secret words
    "TOKENIZER",
    "TOKENIZER_MODEL",
    "PASSPORT_NUMBER",
    "BYPASS_CACHE",
    "COMPASS_HEADING",
    "AUTHOR",
    "AUTHOR_EMAIL",
    "OAUTH2_ISSUER",
    "AUTHORIZATION_MODE",
    "SECRETARY",
    "MONKEY",
    "KEY",
    "API",
    "PAYMENTS_TABLE",
    "LOG_LEVEL",
    "PWD",  # the POSIX working directory
    "OLDPWD",
    "",
]


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)
    assert secret_word(name) is not None


@pytest.mark.parametrize("name", NOT_SECRET_NAMES)
def test_not_secret_names(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("DB_PASSWORD", "PASSWORD"),
        ("STRIPE_API_KEY", "API_KEY"),
        ("STRIPEAPIKEY", "API_KEY"),
        ("GITHUB_TOKEN", "TOKEN"),
        ("REFRESH_TOKENS", "TOKEN"),
        ("AWS_SECRET_ACCESS_KEY", "ACCESS_KEY"),
        ("CLIENT_SECRET", "CLIENT_SECRET"),
        ("SLACK_WEBHOOK_SECRET", "WEBHOOK_SECRET"),
        ("DB_CREDENTIALS", "CREDENTIAL"),
        ("DATABASE_DSN", "DSN"),
        ("MONGO_CONNECTION_STRING", "CONNECTION_STRING"),
        ("BASIC_AUTH", "AUTH"),
        ("DB_SECRET_ARN", "SECRET"),  # secret_word ignores the reference rule
        ("KMS_KEY_ID", None),
        ("TOKENIZER", None),
    ],
)
def test_secret_word(name: str, word: str | None) -> None:
    assert secret_word(name) == word


@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("DB_SECRET_ARN", True),
        ("FUNCTION_NAME", True),  # independent of secret words
        ("KMS_KEY_ID", True),
        ("ACCESS_KEY_ID", True),
        ("ORDERS_TABLE", True),
        ("ARTIFACT_BUCKET", True),
        ("API_URL", True),
        ("SECRET_ARN_2", True),
        ("secretsManagerEndpoint", True),
        ("DB_PASSWORD", False),
        ("API_KEY_2", False),
        ("LOG_LEVEL", True),
        ("", False),
    ],
)
def test_is_reference_name(name: str, reference: bool) -> None:
    assert is_reference_name(name) is reference


@pytest.mark.parametrize(
    ("name", "extra", "secret"),
    [
        ("CARD_PIN", ["pin"], True),
        ("CARD_PINS", ["PIN"], True),  # plural
        ("SHIPPING_ADDRESS", ["pin"], False),  # a one-word extra is whole-word only
        ("CARD_PIN", [], False),
        ("HMAC_SALT", ["hmac salt"], True),
        ("HMACSALT", ["HMAC_SALT"], True),  # multi-word extras also match joined
        ("hmacSalt", ["hmac-salt"], True),
        ("HMAC_SALT_ARN", ["HMAC_SALT"], False),  # the reference rule still applies
        ("SALT_HMAC", ["HMAC_SALT"], False),  # order matters
        ("LICENSE", ["license"], True),
        ("DB_PASSWORD", ["pin"], True),  # built-ins stay
        ("CARD_PIN", ["", "  "], False),  # blank extras are ignored
    ],
)
def test_extra_words(name: str, extra: list[str], secret: bool) -> None:
    assert is_secret_name(name, extra) is secret


def test_extra_words_accepts_any_iterable() -> None:
    assert is_secret_name("CARD_PIN", (w for w in ["pin"]))
    assert secret_word("CARD_PIN", ("pin",)) == "PIN"


@pytest.mark.parametrize(
    "name",
    [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_LAMBDA_RUNTIME_API",
        "AWS_EXECUTION_ENV",
        "AWS_ACCESS_KEY",
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    ],
)
def test_runtime_env_names_cover_the_reserved_list(name: str) -> None:
    assert name in RUNTIME_ENV_NAMES


@pytest.mark.parametrize("name", ["DB_PASSWORD", "API_KEY", "STAGE", "aws_region"])
def test_runtime_env_names_exclude_user_names(name: str) -> None:
    assert name not in RUNTIME_ENV_NAMES


def test_runtime_credentials_are_still_secret_names() -> None:
    # Not LSL103 when read, but logging them is LSL201: the names stay secret-like.
    assert is_secret_name("AWS_SECRET_ACCESS_KEY")
    assert is_secret_name("AWS_SESSION_TOKEN")


def test_vocabulary_constants() -> None:
    assert {"ARN", "NAME", "ID", "PARAMETER", "PARAM", "PATH", "PREFIX", "TABLE", "BUCKET", "URL", "REGION", "TTL", "EXPIRY", "ENABLED"} <= REFERENCE_LAST_WORDS
    assert {"KEY", "PASSWORD", "SECRET", "TOKEN"}.isdisjoint(REFERENCE_LAST_WORDS)
    assert VALUE_DEPENDENT_TERMS == {"DSN", "CONNECTION_STRING"}
    for name in ("DATABASE_DSN", "MONGO_CONNECTION_STRING"):
        assert secret_word(name) in VALUE_DEPENDENT_TERMS


def test_the_secrets_manager_service_written_as_one_word_is_not_a_secret_name() -> None:
    from lambda_secrets_lint.secrets.names import is_secret_name

    assert not is_secret_name("secretsmanager") and not is_secret_name("SecretManager")
    assert is_secret_name("db_secret") and is_secret_name("secrets")
