"""Secret-like values: credential shapes, references, trivial values, hashes.

Fake credentials are generated from a seeded RNG instead of being written out,
so this file holds no string that a secret scanner (ours included) would flag.
Case ids are labels, never values.
"""
from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import uuid

import pytest

from lambda_secrets_lint.secrets.values import (
    CredentialMatch,
    credential_shape,
    is_placeholder,
    is_reference_value,
    is_template_expression,
    is_trivial_value,
    shannon_entropy,
    url_has_password,
    value_hash,
)

ALNUM = string.ascii_letters + string.digits
UPPER_DIGITS = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"


def rand(n: int, alphabet: str = ALNUM, seed: str = "") -> str:
    rng = random.Random(f"{seed}|{n}|{alphabet}")
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def make_jwt(header: dict[str, object] | None = None, seed: str = "jwt") -> str:
    head = b64url(json.dumps(header if header is not None else {"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps({"sub": "1234567890", "name": "Jane", "iat": 1700000000}).encode())
    return f"{head}.{body}.{rand(43, B64URL, seed)}"


def make_pem(label: str = "RSA PRIVATE KEY", lines: int = 8, newline: str = "\n") -> str:
    body = newline.join(rand(64, B64, f"pem{i}") for i in range(lines))
    return f"-----BEGIN {label}-----{newline}{body}{newline}-----END {label}-----"


AWS_SECRET = rand(40, B64, "aws-secret")
AWS_KEY_ID = "AKIA" + rand(16, UPPER_DIGITS, "aws-id")

# (label, value, expected kind)
CREDENTIALS: list[tuple[str, str, str]] = [
    ("aws-key-id", AWS_KEY_ID, "AWS access key ID"),
    ("aws-temp-key-id", "ASIA" + rand(16, UPPER_DIGITS, "asia"), "AWS access key ID"),
    ("aws-key-pair", f"{AWS_KEY_ID}:{AWS_SECRET}", "AWS secret access key"),
    ("aws-key-pair-ini", f"aws_access_key_id = {AWS_KEY_ID}\naws_secret_access_key = {AWS_SECRET}", "AWS secret access key"),
    ("github-pat-classic", "ghp_" + rand(36, seed="ghp"), "GitHub token"),
    ("github-oauth", "gho_" + rand(36, seed="gho"), "GitHub token"),
    ("github-user-to-server", "ghu_" + rand(36, seed="ghu"), "GitHub token"),
    ("github-app-installation", "ghs_" + rand(36, seed="ghs"), "GitHub token"),
    ("github-refresh", "ghr_" + rand(36, seed="ghr"), "GitHub token"),
    ("github-fine-grained", "github_pat_" + rand(22, seed="fg1") + "_" + rand(59, seed="fg2"), "GitHub token"),
    ("github-in-header", "Authorization: token ghp_" + rand(36, seed="hdr"), "GitHub token"),
    ("slack-bot", "xoxb-" + rand(12, string.digits, "s1") + "-" + rand(13, string.digits, "s2") + "-" + rand(24, seed="s3"), "Slack token"),
    ("slack-user", "xoxp-" + rand(12, string.digits, "u1") + "-" + rand(12, string.digits, "u2") + "-" + rand(13, string.digits, "u3") + "-" + rand(32, HEX, "u4"), "Slack token"),
    ("slack-fixture-style", "xoxb-2048-4096-" + rand(22, seed="fx"), "Slack token"),
    (
        "slack-webhook",
        "https://hooks.slack.com/services/T" + rand(8, UPPER_DIGITS, "w1") + "/B" + rand(10, UPPER_DIGITS, "w2") + "/" + rand(24, seed="w3"),
        "Slack webhook URL",
    ),
    ("stripe-live-secret", "sk_live_" + rand(24, seed="stripe"), "Stripe live secret key"),
    ("stripe-live-secret-long", "sk_live_51" + rand(97, seed="stripe-long"), "Stripe live secret key"),
    ("stripe-live-restricted", "rk_live_" + rand(24, seed="rk"), "Stripe live restricted key"),
    ("stripe-test-secret", "sk_test_" + rand(24, seed="test"), "Stripe test secret key"),
    ("google-api-key", "AIza" + rand(35, B64URL, "google"), "Google API key"),
    ("openai-legacy", "sk-" + rand(20, seed="oa1") + "T3BlbkFJ" + rand(20, seed="oa2"), "OpenAI-style API key (sk-…)"),
    ("openai-48", "sk-" + rand(48, seed="oa48"), "OpenAI-style API key (sk-…)"),
    ("openai-project", "sk-proj-" + rand(120, B64URL, "proj"), "OpenAI API key"),
    ("openai-service-account", "sk-svcacct-" + rand(100, B64URL, "svc"), "OpenAI API key"),
    ("anthropic", "sk-ant-api03-" + rand(93, B64URL, "ant") + "AA", "Anthropic API key"),
    ("sendgrid", "SG." + rand(22, B64URL, "sg1") + "." + rand(43, B64URL, "sg2"), "SendGrid API key"),
    ("twilio-api-key-sid", "SK" + rand(32, HEX, "twsk"), "Twilio API key SID"),
    ("twilio-account-sid", "AC" + rand(32, HEX, "twac"), "Twilio account SID"),
    ("pem-rsa", make_pem(), "PEM private key"),
    ("pem-pkcs8", make_pem("PRIVATE KEY"), "PEM private key"),
    ("pem-ec", make_pem("EC PRIVATE KEY", 3), "PEM private key"),
    ("pem-openssh", make_pem("OPENSSH PRIVATE KEY"), "PEM private key"),
    ("pem-encrypted", make_pem("ENCRYPTED PRIVATE KEY"), "PEM private key"),
    ("pem-escaped-newlines", make_pem(newline="\\n"), "PEM private key"),
    ("pem-pgp", make_pem("PGP PRIVATE KEY BLOCK").replace("KEY BLOCK-----\n", "KEY BLOCK-----\n\n"), "PEM private key"),
    ("jwt", make_jwt(), "JWT"),
    ("jwt-rs256", make_jwt({"alg": "RS256", "kid": "abc"}), "JWT"),
    ("jwt-bearer", "Bearer " + make_jwt(seed="bearer"), "JWT"),
    ("postgres-url", "postgres://app:" + rand(16, seed="pg") + "@db.internal:5432/app", "URL with embedded password"),
    ("postgresql-weak-password", "postgresql://admin:password@prod-db.example.com/app", "URL with embedded password"),
    ("mongodb-srv", "mongodb+srv://svc:" + rand(20, seed="mg") + "@cluster0.ab1cd.mongodb.net/orders?retryWrites=true", "URL with embedded password"),
    ("redis-password-only", "redis://:" + rand(24, seed="rd") + "@cache.internal:6379/0", "URL with embedded password"),
    ("https-basic", "https://deploy:" + rand(12, seed="basic") + "@registry.example.com/v2/", "URL with embedded password"),
    ("amqp", "amqp://guest:guest@mq.internal:5672/%2F", "URL with embedded password"),
    ("url-unencoded-at-in-password", "mysql://root:p@ss" + rand(6, seed="at") + "@db:3306/app", "URL with embedded password"),
    ("url-in-text", "DATABASE_URL=postgres://app:" + rand(10, seed="txt") + "@db/app", "URL with embedded password"),
    ("url-template-host", "postgres://app:" + rand(10, seed="tpl") + "@${DbHost}:5432/app", "URL with embedded password"),
    ("ado-connection-string", "Server=db.internal;Database=app;User Id=app;Password=" + rand(14, seed="ado") + ";", "connection string with embedded password"),
    ("azure-storage", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + rand(86, B64, "azs") + "==;EndpointSuffix=core.windows.net", "connection string with embedded key"),
    ("libpq-quoted", "host=db user=app password='" + rand(12, seed="q") + "'", "connection string with embedded password"),
    ("libpq-keyword-dsn", "host=db.internal port=5432 dbname=app user=app password=" + rand(14, seed="lq"), "connection string with embedded password"),
]


@pytest.mark.parametrize(("value", "kind"), [(v, k) for _l, v, k in CREDENTIALS], ids=[label for label, _v, _k in CREDENTIALS])
def test_credential_shapes(value: str, kind: str) -> None:
    assert credential_shape(value) == CredentialMatch(kind)


NOT_CREDENTIALS: list[tuple[str, str]] = [
    # AWS's published documentation keys (…EXAMPLE) are never live.
    ("aws-docs-example-key-id", "AKIAIOSFODNN7EXAMPLE"),
    ("aws-docs-example-in-a-message", "AWS Access Key Id seems invalid. Expected something like AKIAIOSFODNN7EXAMPLE"),
    ("empty", ""),
    ("short", "hunter2"),
    ("human-password", "Winter-Is-Coming-2024"),  # a secret by NAME only, never by shape
    ("sentence", "The quick brown fox jumps over the lazy dog"),
    ("uuid", str(uuid.UUID(int=random.Random("uuid").getrandbits(128)))),
    ("uuid-upper", str(uuid.UUID(int=random.Random("uuid2").getrandbits(128))).upper()),
    ("uuid-hex", uuid.UUID(int=random.Random("uuid3").getrandbits(128)).hex),
    ("git-sha", hashlib.sha1(b"commit").hexdigest()),
    ("git-sha-upper", hashlib.sha1(b"commit").hexdigest().upper()),
    ("sha256", hashlib.sha256(b"x").hexdigest()),
    ("base64-random-30-bytes", base64.b64encode(random.Random("b30").randbytes(30)).decode()),
    ("base64-random-32-bytes", base64.b64encode(random.Random("b32").randbytes(32)).decode()),
    ("base64-random-64-bytes", base64.b64encode(random.Random("b64").randbytes(64)).decode()),
    ("aws-secret-alone", AWS_SECRET),  # needs a key id or aws_secret_candidate
    ("aws-docs-secret-alone", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("aws-key-id-too-short", "AKIA" + rand(15, UPPER_DIGITS, "short")),
    ("aws-key-id-inside-longer-token", "AKIA" + rand(24, UPPER_DIGITS, "long")),
    ("aws-key-id-lower", "akia" + rand(16, string.ascii_lowercase, "lower")),
    ("aws-key-id-filler", "AKIAXXXXXXXXXXXXXXXX"),
    ("aws-key-id-zeros", "AKIA0000000000000000"),
    ("aws-role-id", "AROA" + rand(16, UPPER_DIGITS, "aroa")),
    ("github-too-short", "ghp_" + rand(20, seed="gshort")),
    ("github-filler", "ghp_" + "x" * 36),
    ("github-prefix-in-word", "xghp_" + rand(36, seed="gword")),
    ("stripe-placeholder-x", "sk_live_" + "x" * 24),
    ("stripe-placeholder-words", "sk_live_YOUR_KEY_HERE"),
    ("stripe-publishable", "pk_live_" + rand(24, seed="pk")),
    ("stripe-too-short", "sk_live_" + rand(10, seed="sshort")),
    ("google-too-short", "AIza" + rand(34, B64URL, "gshort")),
    ("sk-slug", "sk-" + "abcdefghijklmnopqrstuvwxyzabcdefghij"),  # no digits / upper case
    ("sk-hex", "sk-" + rand(40, HEX, "skhex")),
    ("sk-inside-word", "task-" + rand(40, seed="task")),
    ("sk-short", "sk-" + rand(20, seed="skshort")),
    ("sendgrid-short", "SG.abc.def"),
    ("twilio-upper-hex", "SK" + rand(32, HEX, "tw").upper()),
    ("twilio-31", "AC" + rand(31, HEX, "tw31")),
    ("uppercase-words", "ACCESS_DENIED_SKIP_ACCOUNT"),
    ("pem-header-only", "-----BEGIN RSA PRIVATE KEY-----"),
    ("pem-placeholder-body", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"),
    ("pem-certificate", make_pem("CERTIFICATE")),
    ("pem-public-key", make_pem("PUBLIC KEY")),
    ("jwt-header-without-alg", make_jwt({"typ": "JWT"})),
    ("jwt-like-not-json", "eyJ" + rand(20, seed="j1") + "." + rand(20, seed="j2") + "." + rand(20, seed="j3")),
    ("jwt-two-parts", make_jwt().rsplit(".", 1)[0]),
    ("url-template-password", "postgres://app:${DB_PASSWORD}@db:5432/app"),
    ("url-dynamic-reference-password", "postgres://app:{{resolve:secretsmanager:prod/db:SecretString:password}}@db:5432/app"),
    ("url-shell-password", "postgres://app:$(cat /run/secrets/db)@db/app"),
    ("url-env-var-password", "postgres://app:$DB_PASSWORD@db/app"),
    ("url-format-password", "postgres://app:%s@db/app"),
    ("url-brace-format-password", "postgres://app:{password}@db/app"),
    ("url-angle-placeholder", "postgres://app:<password>@db/app"),
    ("url-stars", "postgres://app:*****@db/app"),
    ("url-xxx", "mysql://root:xxx@db/app"),
    ("url-empty-password", "redis://:@cache:6379"),
    ("url-user-only", "https://user@example.com"),
    ("url-ssh-user", "ssh://git@github.com:22/org/repo.git"),
    ("url-no-userinfo", "https://api.example.com/v1/charges?limit=10"),
    ("url-at-in-path", "https://example.com/users/@me:settings"),
    ("scp-style-git", "git@github.com:org/repo.git"),
    ("email", "ops@example.com"),
    ("arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"),
    ("ssm-path", "/prod/db/password"),
    ("kv-without-password", "host=db port=5432 dbname=app user=app"),
    ("kv-template-password", "host=db user=app password=${DB_PASSWORD}"),
    ("kv-format-password", "host=%s user=%s password=%s"),
    ("kv-lone-password", "password=" + rand(12, seed="lone")),
    ("kv-python-code", "user = User(username='jane', password='" + rand(10, seed="code") + "')"),
    ("kv-getpass", "password = getpass.getpass('password: ')"),
    ("kv-printf-log-line", "err=%s transferred=%s key=%#x address=%#x"),
    ("kv-multi-line-docs", "Arguments\n=========\nhost=db\npassword=" + rand(12, seed="doc")),
    ("version", "1.2.3-rc.1+build.5"),
]


@pytest.mark.parametrize("value", [v for _l, v in NOT_CREDENTIALS], ids=[label for label, _v in NOT_CREDENTIALS])
def test_not_credentials(value: str) -> None:
    assert credential_shape(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (AWS_SECRET, "AWS secret access key"),
        ("  " + AWS_SECRET + "\n", "AWS secret access key"),
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None),  # AWS's documentation secret
        (hashlib.sha1(b"commit").hexdigest(), None),  # a git SHA is 40 chars but hex
        ("A" * 40, None),
        (AWS_SECRET[:39], None),
        (AWS_SECRET + "x", None),
        ("ghp_" + rand(36, seed="cand"), "GitHub token"),  # other shapes still win
    ],
    ids=["random", "padded", "docs-example", "git-sha", "filler", "39-chars", "41-chars", "other-shape"],
)
def test_aws_secret_candidate(value: str, expected: str | None) -> None:
    found = credential_shape(value, aws_secret_candidate=True)
    assert (found.kind if found else None) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("postgres://app:hunter2@db:5432/app", True),
        ("mongodb+srv://u:p4ss@cluster0.x.mongodb.net/db", True),
        ("redis://:s3cret@cache:6379", True),
        ("https://u:p@h", True),
        ("jdbc:postgresql://app:pw123@db/app", True),
        ("postgres://app:hunter2@${ssm:/prod/db/host}/app", True),
        ("https://${AWS::AccountId}:${Password}@h", False),  # colons inside expressions
        ("https://${AWS::AccountId}:literal-pw@h", True),
        ("postgres://app:${DB_PASSWORD}@db:5432/app", False),
        ("postgres://app:{{resolve:ssm-secure:/db/pw:1}}@db/app", False),
        ("postgres://${ssm:/prod/db/user}:${ssm:/prod/db/pw}@db/app", False),
        ("postgres://app:<password>@db/app", False),
        ("postgres://app:[password]@db/app", False),
        ("postgres://app:REPLACE_ME@db/app", False),
        ("postgres://app:changeme@db/app", True),  # a weak real password
        ("postgres://admin:password@db/app", True),
        ("postgres://user:pass@localhost:5432/foobar", False),  # documentation userinfo
        ("https://username:password@host.com:80", False),
        ("https://user@example.com", False),
        ("https://example.com", False),
        ("user:pw@host", False),  # no scheme: not a URL
        ("", False),
    ],
)
def test_url_has_password(value: str, expected: bool) -> None:
    assert url_has_password(value) is expected


REFERENCES = [
    ("empty", ""),
    ("whitespace", "  \t\n"),
    ("secretsmanager-arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"),
    ("ssm-arn", "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db/password"),
    ("china-arn", "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-AbCdEf"),
    ("govcloud-arn", "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("sub-partition-arn", "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db"),
    ("dynamic-ref-secretsmanager", "{{resolve:secretsmanager:prod/db:SecretString:password}}"),
    ("dynamic-ref-ssm-secure", "{{resolve:ssm-secure:/prod/db/password:3}}"),
    ("serverless-ssm", "${ssm:/prod/db/password}"),
    ("serverless-nested", "${ssm:/${self:provider.stage}/db/password}"),
    ("serverless-self", "${self:custom.dbPassword}"),
    ("shell-substitution", "$(aws ssm get-parameter --name /prod/db/password)"),
    ("terraform-var", "${var.db_password}"),
    ("template-with-glue", "${Stage}-payments-${AWS::Region}"),
    ("bearer-template", "Bearer ${TOKEN}"),
    ("url-template-password", "postgres://app:${DB_PASSWORD}@db:5432/app"),
    ("ssm-path", "/prod/db/password"),
    ("ssm-path-kebab", "/dev/svc/db-password"),
    ("ssm-path-short", "/dev/svc/key"),
    ("ssm-path-fixture", "/payments/prod/stripe-api-key"),
    ("ssm-path-camel", "/MyApp/Prod/DbPassword"),
    ("ssm-path-upper", "/PROD/DB/PASSWORD"),
    ("ssm-path-prefix", "/prod/app/"),
    ("ssm-single-segment", "/stripe-api-key"),
    ("secretsmanager-reference-path", "/aws/reference/secretsmanager/prod/db"),
    ("secret-name-with-path", "prod/stripe/api-key"),
    ("secret-name-dev", "dev/svc/key"),
    # one slash between lower-case words: a Secrets Manager name, not a value
    ("secret-name-one-slash", "prod/stripe"),
    ("secret-name-one-slash-kebab", "notify/mailchimp-api"),
    ("intrinsic-text-ref", "!Ref DbSecret"),
    ("intrinsic-text-getatt", "!GetAtt DbSecret.Arn"),
    ("intrinsic-json", '{"Ref": "DbSecret"}'),
    ("url-without-credentials", "https://api.example.com/v1"),
    ("dsn-without-password", "postgres://app@db.internal:5432/app"),
    ("mongo-without-credentials", "mongodb://db:27017/app"),
    ("sentry-dsn-public-key", "https://" + rand(32, HEX, "sentry") + "@o123456.ingest.sentry.io/7654321"),
    ("url-harmless-query", "https://api.example.com/v1?limit=10&region=eu"),
    ("url-placeholder-token", "https://api.example.com/v1?token=${TOKEN}"),
    ("conn-string-integrated-security", "Server=reporting-db.internal;Database=reporting;Integrated Security=true;"),
    ("libpq-without-password", "host=db.internal port=5432 dbname=app user=app"),
    ("conn-string-template-password", "Server=db;Database=app;User Id=app;Password=${DbPassword};"),
]


@pytest.mark.parametrize("value", [v for _l, v in REFERENCES], ids=[label for label, _v in REFERENCES])
def test_reference_values(value: str) -> None:
    assert is_reference_value(value)


NOT_REFERENCES = [
    ("random-token", rand(32, seed="tok")),
    ("human-password", "Winter-Is-Coming-2024"),
    ("short-password", "hunter2"),
    # A bare name without a slash reads the same as a passphrase: not a reference.
    ("slashless-secret-name", "prod-db-credentials-2024"),  # digit-free "prod-db-credentials" names a secret: a reference
    ("one-slash-random", "k3j9x0a/q8w7e6r5"),
    ("one-slash-mixed-case", "Xk3jaQ/pLmw"),
    ("base64-with-slash-and-plus", "Xy7/kP2q+Lm9=="),
    ("aws-docs-secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("random-base64-with-slashes", "/" + rand(12, seed="p1") + "/" + rand(12, seed="p2") + "/" + rand(14, seed="p3")),
    ("url-with-password", "postgres://app:hunter2@db/app"),
    ("url-with-password-and-template", "postgres://app:hunter2@${DbHost}/app"),
    ("slack-webhook", "https://hooks.slack.com/services/T000/B000/" + rand(24, seed="wh")),
    ("generic-webhook", "https://example.com/webhook/" + rand(24, seed="gw")),
    ("url-token-query", "https://example.com/cb?token=" + rand(20, seed="q")),
    ("url-api-key-query", "https://maps.example.com/api?api_key=" + rand(20, seed="ak")),
    ("url-presigned", "https://b.s3.amazonaws.com/k?X-Amz-Signature=" + rand(64, HEX, "sig")),
    ("url-azure-code", "https://fn.azurewebsites.net/api/x?code=" + rand(40, seed="az")),
    ("url-token-as-user", "https://" + rand(40, seed="tu") + "@github.com/org/repo.git"),
    ("literal-glued-to-template", "sk_live_" + rand(24, seed="glue") + "-${Stage}"),
    ("conn-string-with-password", "Server=db;Database=app;User Id=app;Password=" + rand(12, seed="cs") + ";"),
    ("azure-storage-conn-string", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + rand(86, B64, "az") + "==;"),
    ("azure-sas", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=" + rand(43, B64, "sas") + "="),
    ("single-kv", "token=" + rand(20, seed="kv")),
    ("kv-in-prose", "set mode=fast and go"),
    ("arn-with-space", "arn:aws:ssm eu-west-1"),
    ("not-an-arn", "arnold"),
]


@pytest.mark.parametrize("value", [v for _l, v in NOT_REFERENCES], ids=[label for label, _v in NOT_REFERENCES])
def test_not_reference_values(value: str) -> None:
    assert not is_reference_value(value)


TRIVIAL = [
    "", "   ", "true", "False", "YES", "no", "on", "off", "none", "None", "null", "nil", "n/a", "N/A", "-", "~",
    "0", "300", "86400", "123456", "-1", "3.5",
    "<your-api-key>", "<password>", "[token]", "REPLACE_ME", "replace-me", "ReplaceMe", "xxx", "XXXXXXXX", "*****",
    "...", "\u2026", "TODO", "TBD", "FIXME", "dummy", "fake", "mock", "placeholder", "REDACTED",
    "YOUR_API_KEY_HERE", "your-api-key", "PUT_TOKEN_HERE", "${DB_PASSWORD}", "{{resolve:ssm:/x}}", "%s", "{}",
]

NOT_TRIVIAL = [
    "CHANGE_ME",  # a weak REAL password: it does get deployed
    "changeme",
    "password",
    "secret",
    "test",
    "admin",
    "example",
    "default",
    "1234567",  # more than six digits
    "hunter2",
    "Winter-Is-Coming-2024",
    "x",  # a one-letter value is odd, but not obviously fake
    rand(32, seed="triv"),
]


@pytest.mark.parametrize("value", TRIVIAL)
def test_trivial_values(value: str) -> None:
    assert is_trivial_value(value)


@pytest.mark.parametrize("value", NOT_TRIVIAL, ids=[f"not-trivial-{i}" for i in range(len(NOT_TRIVIAL))])
def test_not_trivial_values(value: str) -> None:
    assert not is_trivial_value(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("${X}", True),
        ("${Stage}-${Name}", True),
        ("{{resolve:ssm:/a/b}}", True),
        ("$(cat f)", True),
        ("%s", True),
        ("%(password)s", True),
        ("%#x", True),
        ("%-10.3f", True),
        ("{}", True),
        ("{password}", True),
        ("$DB_PASSWORD", True),
        ("#{Octopus.Password}", True),
        ("{{resolve:ssm:${ParamName}}}", True),  # nested
        ("${ssm:/${self:provider.stage}/db}", True),
        ("${Stage}x", False),

        ("prefix-${X}", False),  # literal text around it
        ("", False),
        ("plain", False),
    ],
)
def test_is_template_expression(value: str, expected: bool) -> None:
    assert is_template_expression(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("<password>", True), ("pre${X}post", True), ("*****", True), ("changeme", False), ("", False), ("p@ss$word1", False)],
)
def test_is_placeholder(value: str, expected: bool) -> None:
    assert is_placeholder(value) is expected


@pytest.mark.parametrize(
    ("value", "digest"),
    [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("p\u00e4ssw\u00f6rd", hashlib.sha256("p\u00e4ssw\u00f6rd".encode("utf-8")).hexdigest()),
    ],
)
def test_value_hash(value: str, digest: str) -> None:
    assert value_hash(value) == digest


def test_value_hash_survives_lone_surrogates() -> None:
    assert len(value_hash("bad\udcffbytes")) == 64


@pytest.mark.parametrize(
    ("value", "bits"),
    [("", 0.0), ("aaaa", 0.0), ("ab", 1.0), ("abcd", 2.0), ("aabb", 1.0)],
)
def test_shannon_entropy_exact(value: str, bits: float) -> None:
    assert shannon_entropy(value) == pytest.approx(bits)


def test_shannon_entropy_orders_random_above_english() -> None:
    assert shannon_entropy(rand(40, B64, "ent")) > shannon_entropy("the quick brown fox jumps over the lazy")


def test_entropy_alone_is_not_a_shape() -> None:
    high = rand(64, B64, "high-entropy")
    assert shannon_entropy(high) > 4.5
    assert credential_shape(high) is None


def test_credential_match_is_frozen_and_hashable() -> None:
    match = CredentialMatch("JWT")
    assert {match} == {CredentialMatch("JWT")}
    with pytest.raises(AttributeError):
        match.kind = "x"  # type: ignore[misc]


def test_large_values_are_handled() -> None:
    blob = rand(200_000, B64, "blob")
    assert credential_shape(blob) is None
    assert credential_shape(blob + " ghp_" + rand(36, seed="tail")) == CredentialMatch("GitHub token")
    assert not is_reference_value(blob)
