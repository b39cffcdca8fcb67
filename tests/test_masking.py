"""Masks never reveal a secret: RULES.md "A secret's VALUE never appears in
any output of the tool".

Fake credentials come from a seeded RNG (no scanner-bait literals in the
repo). Assertions compare precomputed booleans with a label as the message,
so even a failing run prints no test secret.
"""
from __future__ import annotations

import base64
import json
import random
import string

import pytest

from lambda_secrets_lint.secrets.masking import mask, redact_text

ALNUM = string.ascii_letters + string.digits
UPPER_DIGITS = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
ELLIPSIS = "\u2026"


def rand(n: int, alphabet: str = ALNUM, seed: str = "") -> str:
    rng = random.Random(f"mask|{seed}|{n}|{alphabet}")
    return "".join(rng.choice(alphabet) for _ in range(n))


def make_jwt() -> str:
    def enc(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{enc({'alg': 'HS256', 'typ': 'JWT'})}.{enc({'sub': 'u1', 'iat': 1700000000})}.{rand(43, B64URL, 'sig')}"


PEM_BODY = [rand(64, B64, f"pem{i}") for i in range(25)] + [rand(17, B64, "pemlast") + "=="]
PEM = "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(PEM_BODY) + "\n-----END RSA PRIVATE KEY-----\n"
DB_PASSWORD = rand(18, seed="dbpw")
DB_URL = f"postgres://app_user:{DB_PASSWORD}@db.internal.example.com:5432/app"
REDIS_URL = "redis://:" + rand(24, seed="rd") + "@cache:6379/0"
SLACK_HOOK = "https://hooks.slack.com/services/T" + rand(8, UPPER_DIGITS, "w1") + "/B" + rand(10, UPPER_DIGITS, "w2") + "/" + rand(24, seed="w3")

# (label, secret, expected mask)
CASES: list[tuple[str, str, str]] = [
    ("stripe-live", "sk_live_" + rand(24, seed="stripe"), f"sk_l{ELLIPSIS}(32 chars)"),
    ("stripe-restricted", "rk_live_" + rand(24, seed="rk"), f"rk_l{ELLIPSIS}(32 chars)"),
    ("aws-key-id", "ASIA" + rand(16, UPPER_DIGITS, "asia"), f"ASIA{ELLIPSIS}(20 chars)"),
    ("github", "ghp_" + rand(36, seed="gh"), f"ghp_{ELLIPSIS}(40 chars)"),
    ("github-fine-grained", "github_pat_" + rand(22, seed="fg1") + "_" + rand(59, seed="fg2"), f"gith{ELLIPSIS}(93 chars)"),
    ("slack", "xoxb-" + rand(12, string.digits, "s1") + "-" + rand(13, string.digits, "s2") + "-" + rand(24, seed="s3"), f"xoxb{ELLIPSIS}(56 chars)"),
    ("google", "AIza" + rand(35, B64URL, "google"), f"AIza{ELLIPSIS}(39 chars)"),
    ("openai-generic", "sk-" + rand(48, seed="oa"), f"sk-{ELLIPSIS}(51 chars)"),
    ("openai-project", "sk-proj-" + rand(100, B64URL, "proj"), f"sk-p{ELLIPSIS}(108 chars)"),
    ("anthropic", "sk-ant-api03-" + rand(95, B64URL, "ant"), f"sk-a{ELLIPSIS}(108 chars)"),
    ("sendgrid", "SG." + rand(22, B64URL, "sg1") + "." + rand(43, B64URL, "sg2"), f"SG.{ELLIPSIS}(69 chars)"),
    ("twilio", "AC" + rand(32, HEX, "tw"), f"AC{ELLIPSIS}(34 chars)"),
    ("jwt", make_jwt(), f"eyJ{ELLIPSIS}({len(make_jwt())} chars)"),
    # no recognised format: nothing of the value is shown
    ("human-password-21", "Winter-Is-Coming-2024", f"{ELLIPSIS}(21 chars)"),
    ("passphrase-28", "correct-horse-battery-staple", f"{ELLIPSIS}(28 chars)"),
    ("starts-like-twilio", "ACME-Secret-Pass-2024", f"{ELLIPSIS}(21 chars)"),
    ("starts-like-openai", "sk-my-own-password-2024", f"{ELLIPSIS}(23 chars)"),
    ("aws-secret", rand(40, B64, "aws"), f"{ELLIPSIS}(40 chars)"),
    ("random-64", rand(64, seed="r64"), f"{ELLIPSIS}(64 chars)"),
    ("short", "hunter2", f"{ELLIPSIS}(7 chars)"),
    ("nine", "p4ssw0rd!", f"{ELLIPSIS}(9 chars)"),
    ("short-with-format-prefix", "ghp_" + rand(8, seed="gs"), f"{ELLIPSIS}(12 chars)"),  # < 16: no prefix
    ("one-char", "x", f"{ELLIPSIS}(1 char)"),
    ("empty", "", f"{ELLIPSIS}(0 chars)"),
    ("multi-line", "line-one-" + rand(10, seed="ml1") + "\nline-two-" + rand(10, seed="ml2"), f"{ELLIPSIS}(39 chars)"),
    ("postgres-url", DB_URL, f"postgres://{ELLIPSIS}({len(DB_URL)} chars)"),
    ("redis-url", REDIS_URL, f"redis://{ELLIPSIS}({len(REDIS_URL)} chars)"),
    ("slack-webhook", SLACK_HOOK, f"https://{ELLIPSIS}({len(SLACK_HOOK)} chars)"),
    ("pem", PEM, f"-----BEGIN RSA PRIVATE KEY-----{ELLIPSIS}({len(PEM)} chars)"),
]
IDS = [label for label, _s, _m in CASES]
SECRETS = [secret for _l, secret, _m in CASES]


def longest_common_substring(a: str, b: str) -> int:
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def secret_material(secret: str) -> str:
    """What must not leak: for a URL everything after the scheme, for a PEM
    everything but the BEGIN/END lines."""
    if secret.startswith("-----BEGIN"):
        return "\n".join(line for line in secret.splitlines() if not line.startswith("-----"))
    if "://" in secret:
        return secret.split("://", 1)[1]
    return secret


@pytest.mark.parametrize(("secret", "expected"), [(s, m) for _l, s, m in CASES], ids=IDS)
def test_mask_format(secret: str, expected: str) -> None:
    ok = mask(secret) == expected
    assert ok, "mask differs from the expected hint"


@pytest.mark.parametrize("secret", SECRETS, ids=IDS)
def test_mask_never_contains_the_secret(secret: str) -> None:
    masked = mask(secret)
    leaked = len(secret) > 0 and secret in masked
    assert not leaked, "mask contains the whole secret"


@pytest.mark.parametrize("secret", SECRETS, ids=IDS)
def test_mask_reveals_at_most_four_characters(secret: str) -> None:
    material = secret_material(secret)
    shown = mask(secret)
    overlap = longest_common_substring(material, shown.split(ELLIPSIS, 1)[0])
    # The part after the ellipsis is only "(N chars)", which we skip: digits
    # of the length may coincide with digits of the secret.
    assert overlap <= 4, "mask shows more than four characters of the secret"


@pytest.mark.parametrize("secret", [s for s in SECRETS if len(secret_material(s)) < 16], ids=[l for l, s, _m in CASES if len(secret_material(s)) < 16])
def test_short_values_reveal_nothing(secret: str) -> None:
    ok = mask(secret).startswith(ELLIPSIS)
    assert ok, "a value under 16 characters must show no prefix"


@pytest.mark.parametrize("secret", SECRETS, ids=IDS)
def test_mask_is_single_line(secret: str) -> None:
    masked = mask(secret)
    ok = "\n" not in masked and "\r" not in masked and masked.isprintable()
    assert ok, "mask must be one printable line"


def test_url_mask_hides_user_host_and_password() -> None:
    masked = mask(DB_URL)
    hidden = all(part not in masked for part in (DB_PASSWORD, "app_user", "db.internal", "5432"))
    assert hidden, "URL mask shows more than the scheme"


def test_pem_mask_hides_the_body() -> None:
    masked = mask(PEM)
    ok = all(line[:8] not in masked for line in PEM_BODY)
    assert ok, "PEM mask shows key material"


def test_pem_with_leading_whitespace() -> None:
    ok = mask("\n  " + PEM).startswith("-----BEGIN RSA PRIVATE KEY-----" + ELLIPSIS)
    assert ok


def test_control_characters_in_prefix_position_are_not_shown() -> None:
    value = "\tAKIA" + rand(16, UPPER_DIGITS, "ctl")
    masked = mask(value)
    ok = masked.isprintable() and masked.startswith(ELLIPSIS)
    assert ok, "a value starting with a control character shows no prefix"


# ---------------------------------------------------------------- redact_text


def no_secret_in(text: str, secrets: list[str]) -> bool:
    return all(s not in text for s in secrets)


def test_redact_replaces_every_occurrence() -> None:
    token = "ghp_" + rand(36, seed="red")
    text = f"first {token} then {token}."
    out = redact_text(text, [token])
    ok = out == f"first ghp_{ELLIPSIS}(40 chars) then ghp_{ELLIPSIS}(40 chars)."
    assert ok, "every occurrence is masked"


def test_redact_longest_first() -> None:
    inner = rand(20, seed="inner")
    outer = "prefix-" + inner + "-suffix-" + rand(8, seed="o")
    out = redact_text(f"a {outer} b {inner} c", [inner, outer])
    ok = out == f"a {mask(outer)} b {mask(inner)} c"
    assert ok, "a secret containing another is masked as a whole"


def test_redact_json_escaped_forms() -> None:
    report = json.dumps({"message": "found", "snippet": PEM, "url": DB_URL})
    out = redact_text(report, [PEM, DB_URL])
    ok = no_secret_in(out, [PEM, DB_URL, json.dumps(PEM)[1:-1], DB_PASSWORD]) and all(line not in out for line in PEM_BODY[:-1])
    assert ok, "JSON-escaped secrets are redacted"
    json.loads(out)  # still valid JSON


def test_redact_single_lines_of_multi_line_secrets() -> None:
    text = f"template.yaml:12:  {PEM_BODY[3]}\n"
    out = redact_text(text, [PEM])
    ok = PEM_BODY[3] not in out and "template.yaml:12:" in out
    assert ok, "a PEM body line shown on its own is redacted"


def test_redact_leaves_other_text_alone() -> None:
    text = "nothing secret here: DB_PASSWORD at template.yaml:3"
    assert redact_text(text, ["ghp_" + rand(36, seed="x")]) == text
    assert redact_text(text, []) == text


def test_redact_skips_tiny_and_empty_secrets() -> None:
    text = "line 1 of 3: abc"
    assert redact_text(text, ["", "1", "abc"]) == text


def test_redact_is_one_pass() -> None:
    # A secret that happens to occur inside another secret's mask must not
    # mangle the mask that was just written.
    weird = "chars"
    token = "ghp_" + rand(36, seed="onepass")
    out = redact_text(f"{token} and {weird}", [token, weird])
    ok = out == f"ghp_{ELLIPSIS}(40 chars) and {mask(weird)}"
    assert ok, "masks are not re-masked"


@pytest.mark.parametrize("secret", [s for s in SECRETS if len(s) >= 4], ids=[l for l, s, _m in CASES if len(s) >= 4])
def test_redact_every_credential_example(secret: str) -> None:
    out = redact_text(f"value={secret!r} raw={secret}", [secret])
    ok = secret not in out
    assert ok, "redacted text still contains the secret"
