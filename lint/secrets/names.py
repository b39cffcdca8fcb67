"""Which variable / key / parameter names are secret-like.

RULES.md "What counts as secret-like" is the spec. A name is secret-like when
its words contain a secret word AND it does not name a reference or a setting
(`DB_SECRET_ARN`, `TOKEN_TTL`, `AUTH_ENABLED`): its last word decides that.

Names are compared as upper-cased words, so `dbPassword`, `DB_PASSWORD`,
`db-password` and `/prod/db/password` all look the same to the matcher.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "REFERENCE_LAST_WORDS",
    "RUNTIME_ENV_NAMES",
    "SECRET_PHRASES",
    "SECRET_SUBSTRINGS",
    "SECRET_WHOLE_WORDS",
    "VALUE_DEPENDENT_TERMS",
    "is_reference_name",
    "is_secret_name",
    "name_words",
    "secret_word",
]

# --------------------------------------------------------------------------
# Secret vocabulary
# --------------------------------------------------------------------------

# Words that are secret even inside a longer word: nobody writes DBPASSWORD or
# MYSECRET meaning anything else. PASSPHRASE is not in RULES.md's list but is a
# password by another name.
SECRET_SUBSTRINGS: tuple[str, ...] = ("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "CREDENTIAL")

# Words that only count on their own: as substrings they hit ordinary words
# (TOKENIZER, PASSPORT, BYPASS, COMPASS, AUTHOR, OAUTH2_ISSUER, ...).
SECRET_WHOLE_WORDS: frozenset[str] = frozenset(
    {"TOKEN", "TOKENS", "PASS", "PWD", "AUTH", "DSN"}
)

# Multi-word terms: matched as consecutive words (API then KEY) and also
# joined inside one word (APIKEY, STRIPEAPIKEY). A trailing S on the last word
# is the plural (API_KEYS). Most specific first: secret_word() reports the
# first hit, so AWS_SECRET_ACCESS_KEY says ACCESS_KEY rather than just SECRET.
SECRET_PHRASES: tuple[tuple[str, ...], ...] = (
    ("CLIENT", "SECRET"),
    ("WEBHOOK", "SECRET"),
    ("SECRET", "KEY"),
    ("ACCESS", "KEY"),
    ("PRIVATE", "KEY"),
    ("SIGNING", "KEY"),
    ("ENCRYPTION", "KEY"),
    ("MASTER", "KEY"),
    ("API", "KEY"),
    ("CONNECTION", "STRING"),
)

# RULES.md: CONNECTION_STRING / DSN are secret "when the value embeds a
# password". The name alone is enough for is_secret_name (a DSN usually does
# embed one); value checks (url_has_password, is_reference_value on a URL
# without credentials) settle the rest. Exported so rules can word messages.
VALUE_DEPENDENT_TERMS: frozenset[str] = frozenset({"DSN", "CONNECTION_STRING"})

# Whole names that contain a secret word by accident.
_NOT_SECRET_NAMES: frozenset[str] = frozenset(
    {
        "PWD",  # POSIX working directory, set by every shell
    }
)

# Words that contain SECRET / PASSWORD as a substring but mean something else.
_FALSE_SUBSTRING_WORDS: frozenset[str] = frozenset(
    {"SECRETARY", "SECRETARIES", "SECRETARIAT", "PASSWORDLESS",
     # the AWS service, written as one word (`"secretsmanager"` keys, boto3's
     # service name), like SECRETS_MANAGER spelled with a separator
     "SECRETSMANAGER", "SECRETMANAGER"}
)

# --------------------------------------------------------------------------
# Reference / configuration vocabulary (the LAST word of the name decides)
# --------------------------------------------------------------------------

# Pointers to where a secret lives: the value is a locator, not the secret.
_POINTER_WORDS = frozenset(
    {
        "ARN", "ARNS", "NAME", "NAMES", "ID", "IDS", "REF", "REFERENCE",
        "PARAMETER", "PARAMETERS", "PARAM", "PARAMS", "PATH", "PATHS",
        "PREFIX", "PREFIXES", "ALIAS", "TABLE", "BUCKET", "SPEC",
        "FILE", "FILES", "DIR", "LOCATION", "FIELD", "FIELDS",
    }
)  # ID covers KEY_ID (KMS key ids; ACCESS_KEY_ID is an identifier), SPEC KEY_SPEC

# Network locations: a URL without credentials is config. A URL WITH them is
# caught by value shape (values.url_has_password) whatever the name says.
_ENDPOINT_WORDS = frozenset(
    {"URL", "URLS", "URI", "URIS", "ENDPOINT", "ENDPOINTS", "HOST", "HOSTNAME", "HOSTS", "PORT", "DOMAIN", "REGION"}
)

# Lifetimes, sizes and switches: numbers and booleans about a secret.
_SETTING_WORDS = frozenset(
    {
        "TTL", "EXPIRY", "EXPIRES", "EXPIRATION", "AGE", "ROTATION",
        "DAYS", "HOURS", "MINUTES", "SECONDS", "SECS", "SEC", "MS", "MILLIS",
        "TIMEOUT", "ENABLED", "DISABLED", "ENABLE", "DISABLE",
        "LENGTH", "LEN", "SIZE", "COUNT", "LIMIT", "MIN", "MAX",
        "TYPE", "KIND", "ALGORITHM", "ALG", "FORMAT", "ENCODING", "MODE",
        "METHOD", "STRATEGY", "PROVIDER", "VERSION", "STAGE", "POLICY",
        "ROLE", "ROLES", "LEVEL", "ENV",  # PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL, SECRETS_ENV
    }
)

# Token metadata that is public by design (OIDC / JWT claims), and the name
# of the header / field a secret travels in. A HEADER whose value is a real
# credential ("Bearer ghp_…") is still caught by its value's shape.
_PROTOCOL_WORDS = frozenset({"ISSUER", "AUDIENCE", "SCOPE", "SCOPES", "CLAIM", "HEADER"})

# Text shown to people about a secret, not the secret: passwordPrompt,
# TOKEN_ERROR_MESSAGE, apiKeyLabel, SECRET_PATTERN (a regex).
# Objects and services that handle secrets, not secrets: SECRETS_MANAGER,
# secretsClient, TOKEN_SERVICE, SECRET_STORE, passwordHandler.
_OBJECT_WORDS = frozenset(
    {"MANAGER", "SERVICE", "SERVICES", "CLIENT", "CLIENTS", "STORE", "VAULT", "BACKEND", "HANDLER",
     "MODULE", "PACKAGE", "RESOURCE", "RESOURCES", "CACHE", "LOADER", "PROVIDERS"}
)

_TEXT_WORDS = frozenset(
    {"PROMPT", "MESSAGE", "MSG", "LABEL", "TEXT", "TITLE", "DESCRIPTION", "PLACEHOLDER", "HINT",
     "ERROR", "ERRORS", "TEMPLATE", "PATTERN", "REGEX", "REGEXP", "RE"}
)

# The non-secret half of a credential pair: DB_USER next to DB_PASSWORD.
_IDENTITY_WORDS = frozenset({"USER", "USERNAME", "USERS", "EMAIL"})

REFERENCE_LAST_WORDS: frozenset[str] = (
    _POINTER_WORDS | _ENDPOINT_WORDS | _SETTING_WORDS | _PROTOCOL_WORDS | _IDENTITY_WORDS | _TEXT_WORDS | _OBJECT_WORDS
)

# --------------------------------------------------------------------------
# Variables the Lambda runtime sets itself (REFERENCE.md §D.1 reserved list,
# plus the legacy credential names some runtimes use and the unreserved
# variables AWS documents as runtime-defined). Reading them is not a secret
# hygiene smell (the Parameters and Secrets extension needs
# AWS_SESSION_TOKEN); logging the credential ones still is.
# --------------------------------------------------------------------------
RUNTIME_ENV_NAMES: frozenset[str] = frozenset(
    {
        # reserved (CDK addEnvironment refuses them)
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
        # legacy credential names of older runtimes
        "AWS_SECRET_KEY",
        "AWS_SECURITY_TOKEN",
        # runtime-defined, not reserved
        "TZ",
        "LANG",
        "PATH",
        "LD_LIBRARY_PATH",
        "NODE_PATH",
        "PYTHONPATH",
        "AWS_XRAY_CONTEXT_MISSING",
        "AWS_XRAY_DAEMON_ADDRESS",
        "_AWS_XRAY_DAEMON_ADDRESS",
        "_AWS_XRAY_DAEMON_PORT",
        "AWS_LAMBDA_DOTNET_PREJIT",
        # SnapStart: credentials come from a local endpoint with this token
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    }
)

# --------------------------------------------------------------------------
# Splitting names into words
# --------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")
# An upper-case run not followed by lower case (HTTP in HTTPServer), a
# capitalised or lower-case word, or a run of digits (TOKEN2 -> TOKEN, 2, so
# the whole-word TOKEN still matches).
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# OAuth is one word, not O + Auth (which would make every OAuth* name contain
# the secret word AUTH).
_OAUTH = re.compile(r"OAuth")


@lru_cache(maxsize=8192)
def name_words(name: str) -> tuple[str, ...]:
    """Upper-cased words of a name: split on non-alphanumerics and on
    camelCase / PascalCase boundaries."""
    words: list[str] = []
    for chunk in _NON_ALNUM.split(_OAUTH.sub("Oauth", name)):
        words.extend(w.upper() for w in _WORD.findall(chunk))
    return tuple(words)


def _significant_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """Drop trailing numeric words: SECRET_ARN_2 ends in ARN, API_KEY_2 in KEY."""
    end = len(words)
    while end > 0 and words[end - 1].isdigit():
        end -= 1
    return words[:end]


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------


def _phrase_at(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """phrase as consecutive whole words (last one may be plural), or joined
    inside a single word (APIKEY, STRIPEAPIKEY, APIKEYS)."""
    n = len(phrase)
    last = phrase[-1]
    for i in range(len(words) - n + 1):
        if words[i : i + n - 1] == phrase[:-1] and words[i + n - 1] in (last, last + "S"):
            return True
    if n > 1:
        joined = "".join(phrase)
        return any(joined in word for word in words)
    return False


@lru_cache(maxsize=8192)
def _match_builtin(words: tuple[str, ...]) -> str | None:
    for phrase in SECRET_PHRASES:
        if _phrase_at(words, phrase):
            return "_".join(phrase)
    for word in words:
        if word in SECRET_WHOLE_WORDS:
            return "TOKEN" if word == "TOKENS" else word
    for word in words:
        if word in _FALSE_SUBSTRING_WORDS:
            continue
        for sub in SECRET_SUBSTRINGS:
            if sub in word:
                return sub
    return None


def _extra_phrases(extra_words: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    phrases = []
    for extra in extra_words:
        words = name_words(extra)
        if words:
            phrases.append(words)
    return tuple(phrases)


def secret_word(name: str, extra_words: Iterable[str] = ()) -> str | None:
    """The secret term a name contains (for messages), ignoring the reference
    rule: `DB_SECRET_ARN` -> "SECRET". None when there is none.

    Extra words follow the multi-word rule: consecutive whole words (plural
    allowed), and for multi-word entries also joined inside one word. A
    one-word extra matches only as a whole word, so adding "PIN" does not
    make SHIPPING secret-like."""
    words = name_words(name)
    if not words:
        return None
    found = _match_builtin(words)
    if found is not None:
        return found
    for phrase in _extra_phrases(extra_words):
        if _phrase_at(words, phrase):
            return "_".join(phrase)
    return None


def is_reference_name(name: str) -> bool:
    """The name denotes a pointer to a secret or a setting about it (its last
    word is ARN, NAME, ID, PATH, TTL, ENABLED, URL, ...), not a secret."""
    words = _significant_words(name_words(name))
    return bool(words) and words[-1] in REFERENCE_LAST_WORDS


def is_secret_name(name: str, extra_words: Iterable[str] = ()) -> bool:
    """Secret-like: contains a secret word and is not a reference name."""
    if name in _NOT_SECRET_NAMES:  # exact: `pwd = "…"` in code is still a password
        return False
    return secret_word(name, extra_words) is not None and not is_reference_name(name)
