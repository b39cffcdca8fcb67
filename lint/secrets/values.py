"""What a VALUE says about secrecy, independent of the name it sits under.

- credential_shape: high-confidence credential formats only (RULES.md list).
  Entropy alone never flags: random-looking strings are everywhere (hashes,
  ids, base64 blobs) and a linter that cries wolf gets switched off.
- is_reference_value: a locator (ARN, parameter path, secret name, dynamic
  reference, template expression, URL without credentials) — not a secret.
- is_trivial_value: too empty or too obviously fake to be worth a finding.
- value_hash / shannon_entropy: fingerprints and allow-lists; a confidence hint.

These run on every string literal of big templates and source files, so
regexes are compiled once and each shape is tried only when a cheap substring
marker for it is present.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl

from lambda_secrets_lint.secrets.names import is_secret_name, name_words

__all__ = [
    "CredentialMatch",
    "credential_shape",
    "is_placeholder",
    "is_reference_value",
    "is_template_expression",
    "is_trivial_value",
    "shannon_entropy",
    "url_has_password",
    "value_hash",
]


@dataclass(frozen=True, slots=True)
class CredentialMatch:
    kind: str  # human label for messages, e.g. "GitHub token"


# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------

# Shortest shape we recognise is a URL like "s://:pw@h" (9 chars); anything
# shorter cannot be a credential by shape.
_MIN_SHAPE_LEN = 9

# Token bodies made of one to three distinct characters are documentation
# fillers (AKIAXXXXXXXXXXXXXXXX, sk_live_000000000000000000000000), not keys.
_MIN_DISTINCT_BODY_CHARS = 4

# "not preceded by / followed by a token character": a shape embedded in a
# longer random string is a coincidence, not a key.
_B = r"(?<![A-Za-z0-9])"
_E = r"(?![A-Za-z0-9])"


def _varied(body: str) -> bool:
    return len(set(body)) >= _MIN_DISTINCT_BODY_CHARS


def _has_classes(text: str) -> bool:
    """Upper case, lower case and digits all occur: random tokens have all
    three, hex digests, slugs and words do not."""
    return (
        any(c.isupper() for c in text)
        and any(c.islower() for c in text)
        and any(c.isdigit() for c in text)
    )


# --------------------------------------------------------------------------
# Templates and placeholders
# --------------------------------------------------------------------------

# Openers of template expressions: CloudFormation Sub / Serverless / Terraform
# / shell `${…}`, shell `$(…)`, dynamic references and mustache `{{…}}`,
# Ruby/Octopus `#{…}`. A real password practically never contains these.
_TEMPLATE_OPENERS = ("${", "$(", "{{", "#{")
_CLOSER = {"${": "}", "$(": ")", "{{": "}}", "#{": "}"}
# Whole-value placeholders for printf / str.format / shell variables.
_FORMAT_PLACEHOLDER = re.compile(
    r"%(?:\([A-Za-z_]\w*\))?[-#0 +]*\d*(?:\.\d+)?[sdrixXofeEgGcu]|\{[A-Za-z_0-9]*(?:![rs])?(?::[^{}]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*"
)
_PLACEHOLDER_WORD = re.compile(
    r"(?ix)^(?:"
    r"replace[-_ ]?me|replace[-_ ]?with\b.*|todo|tbd|fixme|placeholder|redacted|"
    r"dummy|fake|mock|not[-_ ]?set|unset|undefined|"
    r"your[-_ ].+|.+[-_ ]here|"
    r"x{3,}|\*+|\.{3,}|…|•+"
    r")$"
)
_ALNUM_CHAR = re.compile(r"[A-Za-z0-9]")
_OPENER = re.compile(r"\$\{|\$\(|\{\{|#\{")
# Openers, then closers longest first, so "}}" is seen as one token.
_EXPR_TOKEN = re.compile(r"\$\{|\$\(|\{\{|#\{|\}\}|\}|\)")
_ANGLE_OR_BRACKET = re.compile(r"^(?:<[^<>]+>|\[[^\[\]]+\])$")


def is_template_expression(value: str) -> bool:
    """The value is one or more template expressions joined by nothing but
    punctuation ("${Stage}-${Name}", "{{resolve:ssm:/x}}", "$(cat f)", "%s",
    "{}"); "prefix-${X}" has literal text, so it is not."""
    text = value.strip()
    if not text:
        return False
    if _FORMAT_PLACEHOLDER.fullmatch(text):
        return True
    stripped, found = _strip_templates(text)
    return found and not _ALNUM_CHAR.search(stripped)


def _strip_templates(text: str, stand_in: str = "") -> tuple[str, bool]:
    """Replace `${…}` / `$(…)` / `{{…}}` / `#{…}` (nested ones too) with
    stand_in; return the result and whether anything was replaced. An
    unclosed opener swallows the rest: it is still not literal text."""
    out: list[str] = []
    found = False
    pos = 0
    while (m := _OPENER.search(text, pos)) is not None:
        found = True
        out.append(text[pos : m.start()])
        out.append(stand_in)
        pos = _skip_expression(text, m.start())
    out.append(text[pos:])
    return "".join(out), found


def _skip_expression(text: str, start: int) -> int:
    """Index just past the expression that opens at start (nesting aware)."""
    expected: list[str] = []  # closers still owed, innermost last
    pos = start
    while (m := _EXPR_TOKEN.search(text, pos)) is not None:
        token = m.group(0)
        pos = m.end()
        if token in _CLOSER:
            expected.append(_CLOSER[token])
        elif token == "}}" and expected[-1] == "}":
            # Two single braces. The first closes the inner "${…}" …
            expected.pop()
            if not expected:
                return pos - 1  # … and the second is literal text,
            outer = expected.pop()  # … or it closes the next one out,
            if outer == "}}":
                expected.append("}")  # … or half of a "{{…}}",
            elif outer == ")":
                expected.append(outer)  # … or nothing ("$(" needs ")").
        elif token == expected[-1]:
            expected.pop()
        if not expected:
            return pos
    return len(text)


def is_placeholder(value: str) -> bool:
    """A stand-in that is not a real secret: template expressions and format
    placeholders, `<password>`, `[token]`, `*****`, `xxx`, `...`, REPLACE_ME,
    `your-api-key`, `…_HERE`, TODO/TBD/FIXME, dummy/fake/mock, redacted.

    NOT placeholders (real, weak, and actually deployed): changeme, password,
    secret, test, example, admin, default."""
    text = value.strip()
    if not text:
        return False
    if any(op in text for op in _TEMPLATE_OPENERS) or _FORMAT_PLACEHOLDER.fullmatch(text):
        return True
    return bool(_ANGLE_OR_BRACKET.match(text) or _PLACEHOLDER_WORD.match(text))


# --------------------------------------------------------------------------
# URLs with user:password@
# --------------------------------------------------------------------------

# What url_has_password puts where a template expression was: still a
# placeholder to is_placeholder, and free of ':' '/' '@'.
_STAND_IN = "${}"
_URL_START = re.compile(r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30})://")
# The authority ends at the first path / query / fragment / whitespace / quote.
_AUTHORITY_END = re.compile(r"[/?#\s\"'`<>]")


def _authorities(value: str) -> Iterator[tuple[str, str]]:
    """(scheme, authority) for every `scheme://authority` in value."""
    for m in _URL_START.finditer(value):
        rest = value[m.end() :]
        end = _AUTHORITY_END.search(rest)
        yield m.group(1), rest[: end.start()] if end else rest


# Documentation userinfo ("user:pass@host", "username:password@host"): both
# halves generic, so it is an example, not an account. "admin:password" is
# a real (weak) login and still counts.
_GENERIC_USERINFO = frozenset(
    {
        ("user", "pass"), ("user", "password"), ("username", "pass"),
        ("username", "password"), ("user", "secret"), ("login", "password"),
        ("foo", "bar"),
    }
)


def _userinfo_password(authority: str) -> str | None:
    """The password part of `user:password@host`, None without one.
    rpartition: an unencoded '@' inside the password still belongs to it."""
    userinfo, at, _host = authority.rpartition("@")
    if not at or ":" not in userinfo:
        return None
    user, _colon, password = userinfo.partition(":")
    if (user.lower(), password.lower()) in _GENERIC_USERINFO:
        return None
    return password


def _literal_password(password: str | None) -> bool:
    return password is not None and password != "" and not is_placeholder(password)


def url_has_password(value: str) -> bool:
    """A URL / DSN in value carries a literal password in its userinfo
    (`postgres://u:p@h`, `redis://:p@h`, `https://u:p@h`). Empty passwords,
    template expressions and placeholders do not count."""
    if "://" not in value or "@" not in value:
        return False
    if any(op in value for op in _TEMPLATE_OPENERS):
        # "${AWS::AccountId}" has colons and "${ssm:/a/b}" has slashes: hide
        # them behind a colon- and slash-free placeholder before parsing.
        value, _found = _strip_templates(value, _STAND_IN)
    return any(_literal_password(_userinfo_password(auth)) for _s, auth in _authorities(value))


# `key=value;key=value` (ADO.NET, JDBC-ish, Azure) and libpq
# `key=value key=value` connection strings. Only a value that is NOTHING but
# such pairs counts: code and prose ("password = getpass()") are not one.
_KV_KEY = re.compile(r"[A-Za-z][A-Za-z0-9 _.-]{0,40}")
_MIN_KV_PAIRS = 2
_MAX_KV_LEN = 4096
# Keys that hold a credential besides the secret-like names: AccountKey,
# SharedAccessKey, SharedAccessSignature, sig, Pwd.
_SECRET_KV_WORDS = frozenset({"KEY", "SIG", "SIGNATURE", "PWD", "PASS"})
_PASSWORD_KV_WORDS = frozenset({"PASSWORD", "PASSWD", "PWD", "PASS"})


def _kv_pairs(text: str) -> list[tuple[str, str]] | None:
    """The (key, value) pairs of a connection string, None if text is not one."""
    if "=" not in text or "\n" in text or len(text) > _MAX_KV_LEN:
        return None  # connection strings are one short line; docs are not
    pieces = text.split(";") if ";" in text else text.split()
    pairs: list[tuple[str, str]] = []
    for piece in pieces:
        if not piece.strip():
            continue
        key, eq, val = piece.partition("=")
        key = key.strip()
        if not eq or not _KV_KEY.fullmatch(key):
            return None
        pairs.append((key, val.strip().strip("\"'")))
    return pairs if len(pairs) >= _MIN_KV_PAIRS else None


def _kv_secret(key: str, val: str) -> str | None:
    """Which literal credential the pair holds ("password" or "key"), if any."""
    if not _literal_password(val):
        return None
    words = set(name_words(key))
    if words & _PASSWORD_KV_WORDS:
        return "password"
    if is_secret_name(key) or words & _SECRET_KV_WORDS:
        return "key"
    return None


# --------------------------------------------------------------------------
# Credential shapes
# --------------------------------------------------------------------------

_AWS_KEY_ID = re.compile(_B + r"(?:AKIA|ASIA)([A-Z0-9]{16})" + _E)
# A 40-char secret access key next to a key id. Base64 alphabet; the
# boundaries also exclude '=' so a longer base64 blob is not cut into one.
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")
_GITHUB = re.compile(_B + r"(?:gh[pousr]_([A-Za-z0-9]{36,251})|github_pat_([A-Za-z0-9_]{50,}))" + _E)
_SLACK_TOKEN = re.compile(_B + r"xox[abprs]-(\d+-[A-Za-z0-9-]{8,}|[A-Za-z0-9]+-[A-Za-z0-9-]{10,})")
_SLACK_WEBHOOK = re.compile(
    r"hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9_]+/[A-Za-z0-9_]+/[A-Za-z0-9_]{8,})"
)
_STRIPE = re.compile(_B + r"(sk|rk)_(live|test)_([A-Za-z0-9]{20,})" + _E)
_GOOGLE = re.compile(_B + r"AIza([0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])")
_ANTHROPIC = re.compile(_B + r"sk-ant-[a-z0-9]+-([A-Za-z0-9_-]{32,})")
_OPENAI_PROJECT = re.compile(_B + r"sk-(?:proj|svcacct|admin)-([A-Za-z0-9_-]{32,})")
# Legacy OpenAI keys and the many providers that copied the "sk-" style.
_SK_GENERIC = re.compile(_B + r"sk-([A-Za-z0-9]{32,})" + _E)
_SENDGRID = re.compile(_B + r"SG\.([A-Za-z0-9_-]{16,32})\.([A-Za-z0-9_-]{30,64})(?![A-Za-z0-9_-])")
_TWILIO = re.compile(_B + r"(SK|AC)([0-9a-f]{32})" + _E)
_PEM_HEADER = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----")
# After the header: base64 body, possibly with Proc-Type/DEK-Info headers or
# escaped newlines. A header with no body ("…" in docs, a startswith check in
# code) is not a key.
_PEM_BODY_CHARS = re.compile(r"[A-Za-z0-9+/=]")
_PEM_MIN_BODY = 32
_JWT = re.compile(
    r"(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]{8,})(?![A-Za-z0-9_-])"
)

def _aws_secret_ok(candidate: str) -> bool:
    # Real secret keys are random base64: upper, lower and digits all occur.
    # This excludes git SHAs and other hex digests (no upper case), and AWS's
    # documentation secret (…EXAMPLEKEY).
    return (
        _has_classes(candidate) and _varied(candidate) and shannon_entropy(candidate) >= 3.5
        and not candidate.endswith("EXAMPLEKEY")
    )


def _aws(value: str, aws_secret_candidate: bool) -> CredentialMatch | None:
    """AWS publishes documentation keys that end in EXAMPLE
    (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY); they
    are never live and appear in validation messages and docs everywhere, so
    they are not credentials (gitleaks' AWS rule allow-lists them too)."""
    key_id = None
    for m in _AWS_KEY_ID.finditer(value):
        if _varied(m.group(1)) and not m.group(1).endswith("EXAMPLE"):
            key_id = m
            break
    if key_id is not None:
        rest = value[: key_id.start()] + " " + value[key_id.end() :]
        if any(_aws_secret_ok(s) for s in _AWS_SECRET.findall(rest)):
            return CredentialMatch("AWS secret access key")
        return CredentialMatch("AWS access key ID")
    if aws_secret_candidate:
        text = value.strip()
        if len(text) == 40 and _AWS_SECRET.fullmatch(text) and _aws_secret_ok(text):
            return CredentialMatch("AWS secret access key")
    return None


def _simple(pattern: re.Pattern[str], kind: str, group: int = 1) -> Callable[[str], CredentialMatch | None]:
    def check(value: str) -> CredentialMatch | None:
        for m in pattern.finditer(value):
            if _varied(m.group(group)):
                return CredentialMatch(kind)
        return None

    return check


def _github(value: str) -> CredentialMatch | None:
    for m in _GITHUB.finditer(value):
        body = m.group(1) or m.group(2)
        if _varied(body):
            return CredentialMatch("GitHub token")
    return None


def _slack_token(value: str) -> CredentialMatch | None:
    for m in _SLACK_TOKEN.finditer(value):
        if _varied(m.group(1).replace("-", "")):
            return CredentialMatch("Slack token")
    return None


_STRIPE_KINDS = {
    ("sk", "live"): "Stripe live secret key",
    ("rk", "live"): "Stripe live restricted key",
    ("sk", "test"): "Stripe test secret key",
    ("rk", "test"): "Stripe test restricted key",
}


def _stripe(value: str) -> CredentialMatch | None:
    for m in _STRIPE.finditer(value):
        if _varied(m.group(3)):
            return CredentialMatch(_STRIPE_KINDS[(m.group(1), m.group(2))])
    return None


def _sk_generic(value: str) -> CredentialMatch | None:
    for m in _SK_GENERIC.finditer(value):
        body = m.group(1)
        # Mixed classes: rules out "sk-" + a hex digest or a lower-case slug.
        if _varied(body) and _has_classes(body):
            return CredentialMatch("OpenAI-style API key (sk-…)")
    return None


def _twilio(value: str) -> CredentialMatch | None:
    for m in _TWILIO.finditer(value):
        if _varied(m.group(2)):
            label = "Twilio API key SID" if m.group(1) == "SK" else "Twilio account SID"
            return CredentialMatch(label)
    return None


def _pem(value: str) -> CredentialMatch | None:
    m = _PEM_HEADER.search(value)
    if m is None:
        return None
    body = value[m.end() : m.end() + 4096].replace("\\n", "\n")
    end = body.find("-----END")
    if end >= 0:
        body = body[:end]
    if len(_PEM_BODY_CHARS.findall(body)) >= _PEM_MIN_BODY:
        return CredentialMatch("PEM private key")
    return None


def _b64url_json(part: str) -> object:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded).decode("utf-8"))


def _jwt(value: str) -> CredentialMatch | None:
    for m in _JWT.finditer(value):
        try:
            header = _b64url_json(m.group(1))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            continue
        if isinstance(header, dict) and "alg" in header:
            return CredentialMatch("JWT")
    return None


def _url_password(value: str) -> CredentialMatch | None:
    return CredentialMatch("URL with embedded password") if url_has_password(value) else None


def _kv_password(value: str) -> CredentialMatch | None:
    pairs = _kv_pairs(value.strip())
    for key, val in pairs or ():
        what = _kv_secret(key, val)
        if what is not None:
            return CredentialMatch(f"connection string with embedded {what}")
    return None


# (markers, check): the check runs only when one marker occurs in the value.
# Order = priority when a value holds several shapes (most specific first).
_SHAPES: tuple[tuple[tuple[str, ...], Callable[[str], CredentialMatch | None]], ...] = (
    (("-----BEGIN",), _pem),
    (("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), _github),
    (("hooks.slack.com",), _simple(_SLACK_WEBHOOK, "Slack webhook URL")),
    (("xox",), _slack_token),
    (("_live_", "_test_"), _stripe),
    (("AIza",), _simple(_GOOGLE, "Google API key")),
    (("sk-ant-",), _simple(_ANTHROPIC, "Anthropic API key")),
    (("sk-proj-", "sk-svcacct-", "sk-admin-"), _simple(_OPENAI_PROJECT, "OpenAI API key")),
    (("sk-",), _sk_generic),
    (("SG.",), _simple(_SENDGRID, "SendGrid API key", group=2)),
    (("SK", "AC"), _twilio),
    (("eyJ",), _jwt),
    (("://",), _url_password),
    (("=",), _kv_password),
)


def credential_shape(value: str, *, aws_secret_candidate: bool = False) -> CredentialMatch | None:
    """The credential format value has (anywhere in it), or None.

    Shapes: AWS access key id (AKIA/ASIA), GitHub (ghp_/gho_/ghu_/ghs_/ghr_/
    github_pat_), Slack tokens and webhook URLs, Stripe sk_/rk_ live and test
    keys, Google AIza keys, OpenAI / Anthropic "sk-" keys, SendGrid, Twilio
    SIDs, PEM private keys (header plus a body), JWTs (the header must decode
    to JSON with "alg"), URLs with a literal `user:password@`, and
    `key=value;…` connection strings with a literal Password / AccountKey.
    Fillers ("AKIAXXXXXXXXXXXXXXXX") and placeholders do not count.

    A bare 40-character AWS secret access key is indistinguishable from other
    base64, so it counts only next to an access key id in the same string, or
    when the caller knows the context expects one (`aws_secret_candidate=True`,
    e.g. the name is AWS_SECRET_ACCESS_KEY) and the whole value has the shape."""
    if len(value) < _MIN_SHAPE_LEN:
        return None
    if "AKIA" in value or "ASIA" in value or aws_secret_candidate:
        found = _aws(value, aws_secret_candidate)
        if found is not None:
            return found
    for markers, check in _SHAPES:
        if any(marker in value for marker in markers):
            found = check(value)
            if found is not None:
                return found
    return None


# --------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------

# Any partition (aws, aws-cn, aws-us-gov, aws-iso*, …) or a Sub placeholder.
_ARN = re.compile(r"^arn:(?:aws[a-z-]*|\*|\$\{[^}]+\}):[A-Za-z0-9*-]+:\S*$")
_INTRINSIC_TEXT = re.compile(r"^(?:!(?:Ref|GetAtt|ImportValue|Sub|Join|Select|FindInMap|If)\s|Fn::|\{\s*\"?(?:Ref|Fn::))")
# One path segment of a parameter / secret name that reads like a NAME:
# lower-case, UPPER-CASE, or CamelCase words (each capital followed by lower
# case / digits), joined by - _ . @. Random base64 ("wJalrXUtnFEMI") fails
# because it has capitals next to each other or at the end of a word.
_NAME_WORD = r"(?:[a-z0-9]+|[A-Z0-9]+|[a-z0-9]*(?:[A-Z][a-z0-9]+)+)"
_NAME_SEGMENT = re.compile(rf"{_NAME_WORD}(?:[-_.@]+{_NAME_WORD})*[-_.@]*")
_RANDOM_RUN = re.compile(r"[A-Za-z0-9+/=_-]{16,}")


def _is_parameter_path(text: str) -> bool:
    """An SSM parameter path or a Secrets Manager secret name with a path.

    - "/dev/svc/db-password": a leading slash and at least one name-like
      segment (SSM hierarchies; a trailing slash is a GetParametersByPath
      prefix).
    - "prod/stripe/api-key": without the leading slash we ask for at least
      two slashes, because a short base64 secret can contain one slash.
    Never when it contains characters of base64 ('+', '=') or whitespace."""
    if not 2 <= len(text) <= 2048 or "/" not in text or "://" in text:
        return False
    if "+" in text or "=" in text or any(c.isspace() for c in text):
        return False
    if text.startswith("/"):
        segments = text[1:].rstrip("/").split("/")
    else:
        segments = text.rstrip("/").split("/")
        if len(segments) < 3:
            # "payments/stripe", "notify/mailchimp": a secret's name is lower-case
            # words; a random base64 run with one slash almost never is.
            return all(seg and _LOWER_WORDS.fullmatch(seg) for seg in segments)
    return all(seg and _NAME_SEGMENT.fullmatch(seg) for seg in segments)


_LOWER_WORDS = re.compile(r"[a-z][a-z]*(?:[-_.][a-z0-9]+)*")


# Query parameters that carry a capability: ?sig=, ?code= (Azure Functions),
# ?key= (Google), ?X-Amz-Signature=, plus anything with a secret-like name.
_SECRET_QUERY_WORDS = frozenset({"SIG", "SIGNATURE", "KEY", "CODE"})


def _is_plain_url(text: str) -> bool:
    """A single URL without credentials: config, not a secret (a DSN with no
    password, an endpoint). Not when it carries a password, a token-looking
    user name, a secret query parameter, or is a webhook (a capability URL:
    whoever has it can post)."""
    m = _URL_START.match(text)
    if m is None or any(c.isspace() for c in text):
        return False
    lower = text.lower()
    if "webhook" in lower or "hooks." in lower or credential_shape(text) is not None:
        return False
    authority = text[m.end() :]
    end = _AUTHORITY_END.search(authority)
    userinfo = (authority[: end.start()] if end else authority).rpartition("@")[0]
    if userinfo and _looks_random(userinfo) and not _is_sentry_style(text):
        return False
    query = text.split("?", 1)[1].split("#", 1)[0] if "?" in text else ""
    for key, val in parse_qsl(query, keep_blank_values=True):
        if not val or is_placeholder(val):
            continue
        if is_secret_name(key) or set(name_words(key)) & _SECRET_QUERY_WORDS:
            return False
    return True


def _is_plain_connection_string(text: str) -> bool:
    """`Server=db;Database=app;Integrated Security=true;` or libpq
    `host=db dbname=app user=app`, with no password or key in it: config,
    like a URL without credentials (RULES.md: CONNECTION_STRING/DSN is secret
    when the value embeds a password)."""
    pairs = _kv_pairs(text)
    return pairs is not None and all(_kv_secret(key, val) is None for key, val in pairs)


def _looks_random(text: str) -> bool:
    return len(text) >= 20 and _varied(text) and shannon_entropy(text) >= 3.5


def _is_sentry_style(text: str) -> bool:
    # Sentry DSNs carry a PUBLIC key as the user name; Sentry documents them
    # as safe to expose (they ship in browser bundles).
    return ".sentry.io" in text or "@sentry." in text


# UPPER_SNAKE with at least one underscore: an environment variable's name.
_ENV_VAR_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


# Digit-free identifiers with structure: snake_case, kebab-case, dotted,
# PascalCase/camelCase with 2+ words, CloudFormation-style A::B::C.
_PACKAGE_SPECIFIER = re.compile(r"@[a-z0-9][a-z0-9._-]*/[a-z0-9._-]+(?:/[a-z0-9._-]+)*")
_IDENTIFIER_SHAPED = re.compile(
    r"_+[A-Za-z]+(?:(?:_|-)[A-Za-z]+)*|[A-Za-z]+(?:(?:_|-|\.|::)[A-Za-z]+)+|[A-Z]*[a-z]+(?:[A-Z]+[a-z]*)+|[A-Z]+[a-z]+(?:[A-Z][a-z]+)+"
)


_QUALIFIED_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:::[A-Za-z][A-Za-z0-9]*)+")


def _names_a_secret(text: str) -> bool:
    from lambda_secrets_lint.secrets.names import secret_word

    return secret_word(text) is not None


def is_reference_value(value: str) -> bool:
    """The value points at a secret or is not literal at all: empty /
    whitespace, an ARN (any partition), a dynamic reference or other template
    expression, intrinsic-function text, an SSM parameter path or a Secrets
    Manager name with a path, or a URL without credentials.

    A string that MIXES template expressions with literal text is a
    reference only when the literal rest has no long random run (so
    "postgres://app:${DB_PASSWORD}@db:5432/app" is one, and a literal key
    glued to a `${Stage}` suffix is not).

    A bare slash-less name ("prod-db-credentials") is NOT a reference: it is
    indistinguishable from a passphrase. Names ending in _NAME/_ARN/… are
    handled by names.is_reference_name instead."""
    text = value.strip()
    if not text:
        return True
    if text.startswith("arn:") and _ARN.match(text):
        return True
    if _INTRINSIC_TEXT.match(text):
        return True
    if any(op in text for op in _TEMPLATE_OPENERS) or _FORMAT_PLACEHOLDER.fullmatch(text):
        if url_has_password(text):
            return False
        remainder, _found = _strip_templates(text, " ")
        return not any(_has_classes(run) for run in _RANDOM_RUN.findall(remainder))
    if _is_parameter_path(text):
        return True
    if _ENV_VAR_NAME.fullmatch(text):
        # SECRET_KEY = "AWS_SECRET_ACCESS_KEY": the NAME of a variable that
        # holds the secret (botocore's EnvProvider does exactly this).
        return True
    if _PACKAGE_SPECIFIER.fullmatch(text):
        return True  # "@middy/secrets-manager", "@aws-lambda-powertools/parameters/secrets": a module
    if _QUALIFIED_NAME.fullmatch(text):
        return True  # AWS::S3::DisableS3ExpressSessionAuth: a type or setting name
    if _IDENTIFIER_SHAPED.fullmatch(text) and _names_a_secret(text):
        # SECRET_KEY = "aws_secret_access_key" / "AWSSecretKey" /
        # "secrets-manager": a key or field name that mentions a secret, not a
        # secret. Real passwords carry digits or punctuation and stay flagged.
        return True
    if "://" in text:
        return _is_plain_url(text)
    if "=" in text:
        return _is_plain_connection_string(text)
    return False


# --------------------------------------------------------------------------
# Trivial values
# --------------------------------------------------------------------------

_TRIVIAL_WORDS = frozenset(
    {
        "true", "false", "yes", "no", "on", "off", "y", "n",
        "none", "null", "nil", "n/a", "na", "nan", "empty", "~",
    }
)
_SMALL_NUMBER = re.compile(r"[+-]?\d{1,6}(?:\.\d+)?")
_PUNCTUATION_ONLY = re.compile(r"[\W_]+")


def is_trivial_value(value: str) -> bool:
    """Not worth a finding even under a secret-like name: empty / whitespace,
    booleans, null-ish words, numbers of up to six digits (timeouts, ports,
    sizes), punctuation only ("-", "***"), and obvious placeholders (see
    is_placeholder).

    Deliberately NOT trivial: "changeme", "password", "secret", "test",
    "admin", "example" — weak but real passwords that do get deployed."""
    text = value.strip()
    if not text:
        return True
    if text.lower() in _TRIVIAL_WORDS:
        return True
    if len(text) <= 8 and _SMALL_NUMBER.fullmatch(text) and sum(c.isdigit() for c in text) <= 6:
        return True
    if _PUNCTUATION_ONLY.fullmatch(text):
        return True
    if "\n" in text and credential_shape(text) is None:
        # A multi-line snippet (a YAML/JSON fragment, a template, a message)
        # is not a password; multi-line credentials (PEM keys) have a shape.
        return True
    return is_placeholder(text)


# --------------------------------------------------------------------------
# Hash and entropy
# --------------------------------------------------------------------------


def value_hash(value: str) -> str:
    """sha256 hex of the UTF-8 value: what baselines and allow-lists store
    instead of the value. Lone surrogates (from odd source encodings) are
    hashed as-is rather than crashing the run."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def shannon_entropy(value: str) -> float:
    """Bits per character. Random base64 is ~5-6, English ~3-4. A hint that
    may raise confidence; never a reason to flag on its own."""
    if not value:
        return 0.0
    n = len(value)
    return -sum((c / n) * math.log2(c / n) for c in Counter(value).values())
