"""JS/TS extractor (tree-sitter): small sources → exact facts.

docs/design/handler-facts.md is the spec; the sections below follow it
(§1 sources, §2 propagation, §3 cleaners, §4 sinks, §5 handlers, §6 cache,
§7 middlewares, §8 hardcoded literals). Fake credentials are generated from a
seeded RNG, so this file holds no string a secret scanner would flag.
"""
from __future__ import annotations

import random
import string
from textwrap import dedent

import pytest

from lambda_secrets_lint.model.code import (
    Api,
    CodeFacts,
    Language,
    NameKind,
    SecretName,
    SinkKind,
    Tainted,
)
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.parsers.js_code import extract_js
from lambda_secrets_lint.parsers.nodes import ParseError

ALNUM = string.ascii_letters + string.digits


def rand(n: int, alphabet: str = ALNUM, seed: str = "") -> str:
    rng = random.Random(f"{seed}|{n}|{alphabet}")
    return "".join(rng.choice(alphabet) for _ in range(n))


STRIPE_LIVE = "sk_" + "live_" + rand(24, seed="stripe")
GITHUB_PAT = "gh" + "p_" + rand(36, seed="gh")
AWS_KEY_ID = "AK" + "IA" + rand(16, string.ascii_uppercase + string.digits, seed="akid")

SSM_V3 = "import { SSMClient, GetParameterCommand, GetParametersCommand, GetParametersByPathCommand, paginateGetParametersByPath } from '@aws-sdk/client-ssm';\n"
SM_V3 = "import { SecretsManagerClient, GetSecretValueCommand, BatchGetSecretValueCommand } from '@aws-sdk/client-secrets-manager';\n"


def extract(src: str, *, ts: bool = False, cdk: bool = False, tsx: bool = False, extra: tuple[str, ...] = ()) -> CodeFacts:
    path = "src/handler.tsx" if tsx else "src/handler.ts" if ts else "src/handler.js"
    language = Language.TYPESCRIPT if ts or tsx else Language.JAVASCRIPT
    return extract_js(path, dedent(src), language=language, tsx=tsx, is_cdk=cdk, extra_words=extra)


def N(kind: NameKind, value: str = "") -> tuple[str, str]:
    return (kind.value, value)


LIT, ENV, PATH, UNKNOWN = NameKind.LITERAL, NameKind.ENV, NameKind.PATH, NameKind.UNKNOWN


def reads(facts: CodeFacts) -> list[tuple]:
    """(line, action, api, names, in_function, cache, cache_seconds, decrypted)"""
    return [
        (r.location.line, r.action, r.api.value, tuple((n.kind.value, n.value) for n in r.names), r.in_function,
         r.cache.value, r.cache_seconds, r.decrypted)
        for r in facts.secret_reads
    ]


def sinks(facts: CodeFacts) -> list[tuple]:
    """(line, kind, what, via)"""
    return [(s.location.line, s.kind.value, s.what.value, s.via) for s in facts.sinks]


def sink_whats(facts: CodeFacts) -> list[tuple[str, str]]:
    return [(s.kind.value, s.what.value) for s in facts.sinks]


def envs(facts: CodeFacts) -> list[tuple[int, str]]:
    return [(e.location.line, e.name) for e in facts.env_reads]


def hardcoded(facts: CodeFacts) -> list[tuple[int, str, str]]:
    return [(h.location.line, h.name, h.kind) for h in facts.hardcoded]


# ---------------------------------------------------------------------------
# §1 Sources: SecretRead facts
# ---------------------------------------------------------------------------

SOURCE_CASES = [
    pytest.param(
        """\
        const AWS = require('aws-sdk');
        exports.handler = async (event) => {
          const p = await new AWS.SSM().getParameter({ Name: '/prod/db/password', WithDecryption: true }).promise();
          return { statusCode: 200 };
        };
        """,
        False,
        [(3, "ssm:GetParameter", "aws-sdk-v2", (N(LIT, "/prod/db/password"),), True, "none", None, True)],
        id="v2-require-aws-sdk-getParameter-promise",
    ),
    pytest.param(
        """\
        import * as AWS from 'aws-sdk';
        const sm = new AWS.SecretsManager({ region: 'eu-west-1' });
        export async function handler() {
          const s = await sm.getSecretValue({ SecretId: 'prod/stripe' }).promise();
        }
        """,
        False,
        [(4, "secretsmanager:GetSecretValue", "aws-sdk-v2", (N(LIT, "prod/stripe"),), True, "none", None, None)],
        id="v2-namespace-import-getSecretValue",
    ),
    pytest.param(
        """\
        const SSM = require('aws-sdk/clients/ssm');
        const ssm = new SSM();
        exports.handler = (event, context, callback) => {
          ssm.getParameters({ Names: ['/a/b', process.env.OTHER_PARAM] }, (err, data) => {
            callback(null, { statusCode: 200 });
          });
        };
        """,
        False,
        [(4, "ssm:GetParameters", "aws-sdk-v2", (N(LIT, "/a/b"), N(ENV, "OTHER_PARAM")), True, "none", None, False)],
        id="v2-clients-ssm-callback-form",
    ),
    pytest.param(
        """\
        import AWS from 'aws-sdk';
        const ssm = new AWS.SSM();
        const PREFIX = '/svc/config/';
        export const handler = async () => {
          ssm.getParametersByPath({ Path: PREFIX, Recursive: true, WithDecryption: false });
        };
        """,
        False,
        [(5, "ssm:GetParametersByPath", "aws-sdk-v2", (N(PATH, "/svc/config/"),), True, "none", None, False)],
        id="v2-default-import-byPath-module-constant-no-promise",
    ),
    pytest.param(
        SM_V3 + dedent("""\
        const client = new SecretsManagerClient({});
        export const handler = async () => {
          const r = await client.send(new GetSecretValueCommand({ SecretId: process.env.DB_SECRET_ARN }));
        };
        """),
        True,
        [(4, "secretsmanager:GetSecretValue", "aws-sdk-v3", (N(ENV, "DB_SECRET_ARN"),), True, "none", None, None)],
        id="v3-send-module-client",
    ),
    pytest.param(
        SSM_V3 + dedent("""\
        export const handler = async (event: { stage: string }) => {
          const client = new SSMClient({ region: 'us-east-1' });
          const a = await client.send(new GetParameterCommand({ Name: `/${event.stage}/db/password` }));
          const b = await client.send(new GetParametersCommand({ Names: ['/x', '/y'], WithDecryption: true }));
          const cmd = new GetParametersByPathCommand({ Path: '/app/', WithDecryption: true });
          const c = await client.send(cmd);
        };
        """),
        True,
        [
            (4, "ssm:GetParameter", "aws-sdk-v3", (N(UNKNOWN),), True, "none", None, False),
            (5, "ssm:GetParameters", "aws-sdk-v3", (N(LIT, "/x"), N(LIT, "/y")), True, "none", None, True),
            (7, "ssm:GetParametersByPath", "aws-sdk-v3", (N(PATH, "/app/"),), True, "none", None, True),
        ],
        id="v3-function-client-template-name-command-variable",
    ),
    pytest.param(
        SSM_V3 + dedent("""\
        const ssm = new SSMClient({});
        export const handler = async () => {
          for await (const page of paginateGetParametersByPath({ client: ssm }, { Path: '/pages' })) {
            console.log(page.Parameters.length);
          }
        };
        """),
        True,
        [(4, "ssm:GetParametersByPath", "aws-sdk-v3", (N(PATH, "/pages"),), True, "none", None, False)],
        id="v3-paginator",
    ),
    pytest.param(
        SM_V3 + dedent("""\
        const client = new SecretsManagerClient({});
        export const handler = async () => client.send(new BatchGetSecretValueCommand({ SecretIdList: ['a', 'b'] }));
        """),
        True,
        [(3, "secretsmanager:BatchGetSecretValue", "aws-sdk-v3", (N(LIT, "a"), N(LIT, "b")), True, "none", None, None)],
        id="v3-batch",
    ),
    pytest.param(
        """\
        const { SSM } = require('@aws-sdk/client-ssm');
        const { SecretsManager } = require('@aws-sdk/client-secrets-manager');
        module.exports.handler = async () => {
          await new SSM({}).getParameter({ Name: '/agg', WithDecryption: true });
          await new SecretsManager({}).getSecretValue({ SecretId: 'agg' });
        };
        """,
        False,
        [
            (4, "ssm:GetParameter", "aws-sdk-v3", (N(LIT, "/agg"),), True, "none", None, True),
            (5, "secretsmanager:GetSecretValue", "aws-sdk-v3", (N(LIT, "agg"),), True, "none", None, None),
        ],
        id="v3-aggregated-clients-cjs-destructuring",
    ),
    pytest.param(
        """\
        import { getParameter, getParameters, getParametersByName, SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
        import { getSecret, SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
        const provider = new SSMProvider();
        export const handler = async () => {
          await getParameter('/p/one');
          await getParameter('/p/two', { decrypt: true, maxAge: 60 });
          await getParameters('/p/all', { maxAge: 0 });
          await getParametersByName({ '/a': {}, '/b': {} }, { decrypt: true });
          await getSecret('s/one', { forceFetch: true });
          await provider.get('/p/three', { decrypt: false });
          await new SecretsProvider().get('s/two');
        };
        """,
        True,
        [
            (5, "ssm:GetParameter", "powertools", (N(LIT, "/p/one"),), True, "ttl", 5.0, False),
            (6, "ssm:GetParameter", "powertools", (N(LIT, "/p/two"),), True, "ttl", 60.0, True),
            (7, "ssm:GetParametersByPath", "powertools", (N(PATH, "/p/all"),), True, "none", None, False),
            (8, "ssm:GetParameters", "powertools", (N(LIT, "/a"), N(LIT, "/b")), True, "ttl", 5.0, True),
            (9, "secretsmanager:GetSecretValue", "powertools", (N(LIT, "s/one"),), True, "none", None, None),
            (10, "ssm:GetParameter", "powertools", (N(LIT, "/p/three"),), True, "ttl", 5.0, False),
            (11, "secretsmanager:GetSecretValue", "powertools", (N(LIT, "s/two"),), True, "ttl", 5.0, None),
        ],
        id="powertools-ts",
    ),
    pytest.param(
        """\
        const axios = require('axios');
        const http = require('http');
        const PORT = process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT || 2773;
        const headers = { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN };
        exports.handler = async () => {
          await fetch(`http://localhost:2773/secretsmanager/get?secretId=${encodeURIComponent(process.env.SECRET_ID)}`, { headers });
          await axios.get(`http://localhost:${PORT}/systemsmanager/parameters/get?name=%2Fprod%2Fdb&withDecryption=true`, { headers });
          await axios.get('http://127.0.0.1:2773/systemsmanager/parameters/get?name=/plain');
          http.get({ hostname: 'localhost', port: 2773, path: '/secretsmanager/get?secretId=abc', headers }, (res) => {});
          await fetch('https://api.example.com/secretsmanager/get?secretId=x');
        };
        """,
        False,
        [
            (6, "secretsmanager:GetSecretValue", "extension", (N(ENV, "SECRET_ID"),), True, "ttl", 300.0, None),
            (7, "ssm:GetParameter", "extension", (N(LIT, "/prod/db"),), True, "ttl", 300.0, True),
            (8, "ssm:GetParameter", "extension", (N(LIT, "/plain"),), True, "ttl", 300.0, False),
            (9, "secretsmanager:GetSecretValue", "extension", (N(LIT, "abc"),), True, "ttl", 300.0, None),
        ],
        id="extension-fetch-axios-http",
    ),
]


@pytest.mark.parametrize(("src", "ts", "expected"), SOURCE_CASES)
def test_secret_reads(src: str, ts: bool, expected: list[tuple]) -> None:
    assert reads(extract(src, ts=ts)) == expected


def test_v2_callback_data_is_the_response() -> None:
    facts = extract(
        """\
        const AWS = require('aws-sdk');
        const sm = new AWS.SecretsManager();
        exports.handler = (event, context, callback) => {
          sm.getSecretValue({ SecretId: 'prod/x' }, function (err, data) {
            if (err) { console.error(err); return callback(err); }
            console.log(data);
            callback(null, { statusCode: 200, body: data.SecretString });
          });
        };
        """
    )
    assert sinks(facts) == [(6, "log", "container", "console.log"), (7, "response", "value", "callback")]


def test_read_location_spans_the_call() -> None:
    facts = extract(
        SM_V3 + dedent("""\
        const client = new SecretsManagerClient({});
        export const handler = async () => {
          const r = await client.send(
            new GetSecretValueCommand({ SecretId: 'x' }),
          );
        };
        """),
        ts=True,
    )
    assert facts.secret_reads[0].location == Location("src/handler.ts", Span(4, 19, 6, 4))


def test_generic_send_after_await_is_located_at_the_receiver() -> None:
    """tree-sitter-typescript parses `await c.send<T>(x)` as `(await c.send)<T>(x)`."""
    facts = extract(
        SM_V3 + dedent("""\
        const c = new SecretsManagerClient({});
        export const handler = async () => {
          const r = await c.send<Out>(new GetSecretValueCommand({ SecretId: 'x' }) as Cmd);
          console.log(r!.SecretString as string);
        };
        """),
        ts=True,
    )
    assert facts.secret_reads[0].location.span[:2] == (4, 19)
    assert sinks(facts) == [(5, "log", "value", "console.log")]


# ---------------------------------------------------------------------------
# §2 Propagation and §3 cleaners: what reaches `console.log`
# ---------------------------------------------------------------------------

PRELUDE = SM_V3 + dedent("""\
const client = new SecretsManagerClient({});
export const handler = async (event: any) => {
  const resp = await client.send(new GetSecretValueCommand({ SecretId: 'prod/app' }));
""")


def _log_case(body: str, expected: str | None, case_id: str) -> object:
    return pytest.param(body, expected, id=case_id)


PROPAGATION_CASES = [
    _log_case("console.log(resp);", "container", "whole-response"),
    _log_case("console.log(resp.SecretString);", "value", "attribute"),
    _log_case("console.log(resp['SecretString']);", "value", "subscript"),
    _log_case("console.log(resp?.SecretString);", "value", "optional-chaining"),
    _log_case("console.log(resp.SecretString!);", "value", "non-null"),
    _log_case("console.log((resp.SecretString as string));", "value", "as-cast"),
    _log_case("const s = JSON.parse(resp.SecretString!); console.log(s.password);", "value", "json-parse"),
    _log_case("const { password } = JSON.parse(resp.SecretString!); console.log(password);", "value", "object-destructuring"),
    _log_case("const { db: { password: pw = 'x' } } = JSON.parse(resp.SecretString!); console.log(pw);", "value", "nested-destructuring-default"),
    _log_case("const [first, ...others] = JSON.parse(resp.SecretString!).keys; console.log(others);", "value", "array-destructuring-rest"),
    _log_case("const { SecretString: s = '' } = resp; console.log(s);", "value", "destructuring-rename"),
    _log_case("const { ARN, ...rest } = resp; console.log(rest);", "container", "rest-keeps-container"),
    _log_case("console.log(`secret=${resp.SecretString}`);", "value", "template-literal"),
    _log_case("console.log('secret=' + resp.SecretString);", "value", "concatenation"),
    _log_case("console.log(resp.SecretString.toString());", "value", "toString"),
    _log_case("console.log(Buffer.from(resp.SecretBinary!).toString('utf8'));", "value", "buffer-from"),
    _log_case("console.log([resp.SecretString]);", "value", "array"),
    _log_case("console.log({ key: resp.SecretString });", "value", "object-literal"),
    _log_case("const o = { ...JSON.parse(resp.SecretString!) }; console.log(o);", "value", "object-spread"),
    _log_case("const v = resp.SecretString ?? 'none'; console.log(v);", "value", "nullish"),
    _log_case("const v = event.x || resp.SecretString; console.log(v);", "value", "or"),
    _log_case("const v = event.x ? 'a' : resp.SecretString; console.log(v);", "value", "ternary"),
    _log_case("let v = 'a'; v += resp.SecretString; console.log(v);", "value", "augmented"),
    _log_case("const p = Promise.resolve(resp.SecretString); console.log(await p);", "value", "await"),
    _log_case("console.log(String(resp.SecretString));", "value", "String()"),
    _log_case("console.log(resp.SecretString.slice(0, 4));", "value", "slice"),
    _log_case("const arr: string[] = []; arr.push(resp.SecretString!); console.log(arr);", "value", "push-into-array"),
    _log_case("const out: any = {}; out.key = resp.SecretString; console.log(out);", "value", "member-assignment"),
    _log_case("let v = resp.SecretString; v = 'clean'; console.log(v);", None, "last-assignment-wins"),
    _log_case("let v = 'a'; if (event.x) { v = resp.SecretString!; } console.log(v);", "value", "either-branch"),
    _log_case("let v = 'a'; if (event.x) { v = resp.SecretString!; } else { v = 'b'; } console.log(v);", "value", "if-else-branch"),
    _log_case("let v = resp.SecretString; if (event.x) { v = 'a'; } else { v = 'b'; } console.log(v);", None, "both-branches-clean"),
    _log_case("resp.SecretString!.split(',').forEach((part) => console.log(part));", "value", "callback-on-tainted"),
    _log_case("Promise.resolve(resp).then((r) => console.log(r.SecretString));", "value", "then-callback"),
    # non-secret fields (§2) and cleaners (§3)
    _log_case("console.log(resp.ARN, resp.Name, resp.VersionId, resp.CreatedDate);", None, "response-metadata"),
    _log_case("const { username, host, port, dbname } = JSON.parse(resp.SecretString!); console.log(username, host, port, dbname);", None, "credential-non-secret-fields"),
    _log_case("console.log(resp.SecretString!.length);", None, ".length"),
    _log_case("console.log(!!resp.SecretString);", None, "double-bang"),
    _log_case("console.log(Boolean(resp.SecretString), typeof resp.SecretString);", None, "Boolean-typeof"),
    _log_case("console.log(resp.SecretString === 'x', resp.SecretString !== undefined);", None, "comparisons"),
    _log_case("console.log(crypto.createHash('sha256').update(resp.SecretString!).digest('hex'));", None, "sha256-digest"),
    _log_case("console.log(maskSecret(resp.SecretString));", None, "maskSecret"),
    _log_case("console.log(await revealSecret());", "value", "same-module-helper-returning-a-secret"),
    _log_case("console.log(await redactSecret());", None, "same-module-cleaner-by-name"),
    _log_case("console.log(await maskedSecret());", None, "same-module-mask-helper"),
    _log_case("console.log(passThrough(resp.SecretString));", None, "parameter-pass-through-not-tracked"),
    _log_case("console.log(crypto.createHmac('sha256', 'k').update(resp.SecretString!).digest('hex'));", None, "hmac-digest"),
    _log_case("console.log(utils.redactValue(resp.SecretString));", None, "redact-method"),
    _log_case("console.log(Object.keys(JSON.parse(resp.SecretString!)));", None, "Object.keys"),
    _log_case("console.log(resp.SecretString!.startsWith('{'));", None, "startsWith"),
    _log_case("console.log('fetched', 'prod/app');", None, "logging-the-secret-name"),
]


# same-module helpers. A cleaner is known by its name even though it returns a
# secret's prefix; a helper that returns its PARAMETER's taint is not tracked
# (handler-facts §2: "one level is enough", parameter pass-through not required).
HELPERS = """\
async function revealSecret() { return (await client.send(new GetSecretValueCommand({ SecretId: 'h' }))).SecretString; }
async function redactSecret() { return (await client.send(new GetSecretValueCommand({ SecretId: 'h' }))).SecretString!.slice(0, 2); }
const maskedSecret = async () => `${(await client.send(new GetSecretValueCommand({ SecretId: 'h' }))).SecretString}`.slice(-4);
function passThrough(s: any) { return s; }
"""


@pytest.mark.parametrize(("body", "expected"), PROPAGATION_CASES)
def test_propagation_to_log(body: str, expected: str | None) -> None:
    src = "import crypto from 'crypto';\n" + PRELUDE + "  " + body + "\n};\n" + HELPERS
    facts = extract_js("h.ts", src, language=Language.TYPESCRIPT, tsx=False, is_cdk=False)
    logs = [s for s in facts.sinks if s.kind is SinkKind.LOG]
    assert [s.what.value for s in logs] == ([expected] if expected else [])
    for s in logs:
        assert s.origin == "GetSecretValue response"
        assert s.location.line == 6


def test_same_module_function_returns() -> None:
    facts = extract(
        SM_V3 + dedent("""\
        const client = new SecretsManagerClient({});
        export const handler = async () => {
          console.log(await fromArrow());
          console.log(await fromDeclaration());
          console.log(await exported());
          console.log(await clean());
        };
        const fromArrow = async () => (await client.send(new GetSecretValueCommand({ SecretId: 'a' }))).SecretString;
        async function fromDeclaration() {
          const r = await client.send(new GetSecretValueCommand({ SecretId: 'b' }));
          return JSON.parse(r.SecretString!);
        }
        export async function exported() { return fromDeclaration(); }
        function clean() { return 'ok'; }
        """),
        ts=True,
    )
    assert sinks(facts) == [(4, "log", "value", "console.log"), (5, "log", "value", "console.log"),
                            (6, "log", "value", "console.log")]


def test_module_level_taint_is_seen_inside_functions() -> None:
    facts = extract(
        """\
        import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
        const apiKey = await getSecret('stripe');
        export const handler = async () => { logger.info({ apiKey }); };
        """,
        ts=True,
    )
    assert [(s.location.line, s.what.value, s.origin) for s in facts.sinks] == [
        (3, "value", "Powertools getSecret('stripe')")
    ]


def test_module_variable_filled_by_another_function() -> None:
    facts = extract(
        """\
        const { getSecret } = require('@aws-lambda-powertools/parameters/secrets');
        let apiKey;
        exports.handler = async () => {
          await init();
          console.log(apiKey);
        };
        async function init() { apiKey = await getSecret('k'); }
        """
    )
    assert [(s.location.line, s.what.value, s.origin) for s in facts.sinks] == [(5, "value", "Powertools getSecret('k')")]


PLAIN_CONFIG_CASES = [
    # (SSM read, what console.log(x) reports): RULES.md Clarifications / handler-facts §1
    pytest.param("(await ssm.send(new GetParameterCommand({ Name: '/app/feature-flags' }))).Parameter.Value", None,
                 id="v3-plain-name-no-decryption"),
    pytest.param("(await ssm.send(new GetParameterCommand({ Name: '/app/feature-flags', WithDecryption: true }))).Parameter.Value",
                 "value", id="v3-decrypted"),
    pytest.param("(await ssm.send(new GetParameterCommand({ Name: '/app/db/password' }))).Parameter.Value", "value",
                 id="v3-secret-like-name"),
    pytest.param("(await ssm.send(new GetParameterCommand({ Name: process.env.CONFIG_PARAM }))).Parameter.Value", None,
                 id="env-name-without-secret-word"),
    pytest.param("(await ssm.send(new GetParameterCommand({ Name: process.env.DB_PASSWORD_PARAM }))).Parameter.Value",
                 "value", id="env-name-with-secret-word"),
    pytest.param("(await ssm.send(new GetParameterCommand({ Name: `/${stage}/config/flags` }))).Parameter.Value", None,
                 id="template-plain-text"),
    pytest.param("(await ssm.send(new GetParameterCommand({ Name: `/${stage}/api-token` }))).Parameter.Value", "value",
                 id="template-secret-word"),
    pytest.param("(await ssm.send(new GetParameterCommand({ Name: stage }))).Parameter.Value", "value", id="unknown-name"),
    pytest.param("(await ssm.send(new GetParameterCommand({ Name: '/a', WithDecryption: flag }))).Parameter.Value", "value",
                 id="decryption-unknown"),
    pytest.param("(await ssm.send(new GetParametersCommand({ Names: ['/a/region', '/a/api-key'] }))).Parameters", "value",
                 id="one-secret-name-among-several"),
    pytest.param("await getParameter('/ledger/base-url', { maxAge: 60 })", None, id="powertools-plain"),
    pytest.param("await getParameters('/ledger/config/')", None, id="powertools-path-plain"),
    pytest.param("await getParameter('/ledger/webhook-secret')", "value", id="powertools-secret-name"),
    pytest.param("(await (await fetch('http://localhost:2773/systemsmanager/parameters/get?name=%2Fapp%2Fversion')).json()).Parameter",
                 None, id="extension-plain"),
    pytest.param("(await (await fetch('http://localhost:2773/systemsmanager/parameters/get?name=%2Fapp%2Fversion&withDecryption=true')).json()).Parameter",
                 "value", id="extension-decrypted"),
    pytest.param("(await sm.send(new GetSecretValueCommand({ SecretId: 'app/config' }))).SecretString", "value",
                 id="secrets-manager-always-secret"),
]


@pytest.mark.parametrize(("read", "expected"), PLAIN_CONFIG_CASES)
def test_plain_ssm_config_reads_are_clean(read: str, expected: str | None) -> None:
    src = (
        SSM_V3 + SM_V3
        + "import { getParameter, getParameters } from '@aws-lambda-powertools/parameters/ssm';\n"
        + "const ssm = new SSMClient({}); const sm = new SecretsManagerClient({});\n"
        + f"export const handler = async (stage: string, flag: boolean) => {{\n  const x = {read};\n  console.log(x);\n}};\n"
    )
    facts = extract(src, ts=True)
    assert len(facts.secret_reads) == 1  # still a SecretRead fact either way
    assert [s.what.value for s in facts.sinks] == ([expected] if expected else [])


def test_http_response_metadata_is_not_secret() -> None:
    facts = extract(
        """\
        exports.handler = async () => {
          const res = await fetch('http://localhost:2773/secretsmanager/get?secretId=prod%2Fx', { headers: {} });
          console.log(res.status, res.ok, res.statusText, res.headers);
          const body = await res.json();
          console.log(body.Name, body.ARN);
          console.log(body.SecretString);
        };
        """
    )
    assert sinks(facts) == [(6, "log", "value", "console.log")]


# ---------------------------------------------------------------------------
# §4 Sinks
# ---------------------------------------------------------------------------

SINK_CASES = [
    pytest.param("console.log(s);", [(3, "log", "value", "console.log")], id="console.log"),
    pytest.param("console.error('x', s); console.warn(s); console.debug(s); console.info(s); console.dir(s); console.table([s]);",
                 [(3, "log", "value", v) for v in ("console.error", "console.warn", "console.debug", "console.info",
                                                   "console.dir", "console.table")], id="console-methods"),
    pytest.param("logger.info('k', { s });", [(3, "log", "value", "logger.info")], id="powertools-logger"),
    pytest.param("log.debug(s);", [(3, "log", "value", "log.debug")], id="log-receiver"),
    pytest.param("this.logger.warn(s);", [(3, "log", "value", "this.logger.warn")], id="this.logger"),
    pytest.param("appLogger.error(s); app_logger.fatal(s); _log.trace(s);",
                 [(3, "log", "value", "appLogger.error"), (3, "log", "value", "app_logger.fatal"),
                  (3, "log", "value", "_log.trace")], id="logger-like-names"),
    pytest.param("winston.createLogger().log('info', s);", [(3, "log", "value", "winston.createLogger().log")],
                 id="logger-from-factory-call"),
    pytest.param("logger.appendKeys({ s });", [(3, "log", "value", "logger.appendKeys")], id="appendKeys"),
    pytest.param("process.stdout.write(s + '\\n'); process.stderr.write(s);",
                 [(3, "log", "value", "process.stdout.write"), (3, "log", "value", "process.stderr.write")],
                 id="process-std-write"),
    pytest.param("console.log(util.inspect(s));", [(3, "log", "value", "console.log")], id="util-inspect-transparent"),
    pytest.param("logger.child({ s }); logger.setLevel(s); logger.addContext(s);", [], id="non-logging-logger-methods"),
    pytest.param("catalog.info(s); dialog.show(s);", [], id="not-a-logger"),
    pytest.param("const print = console.log; print(s);", [(3, "log", "value", "print")], id="console.log-alias"),
    pytest.param("throw new Error(`bad ${s}`);", [(3, "error", "value", "throw new Error")], id="throw-new-error"),
    pytest.param("throw new errors.ConfigError('x' + s);", [(3, "error", "value", "throw new errors.ConfigError")],
                 id="throw-custom-error"),
    pytest.param("throw s;", [(3, "error", "value", "throw")], id="throw-value"),
    pytest.param("const e = new Error(s); throw e;", [(3, "error", "value", "throw")], id="throw-variable"),
    pytest.param("throw new Error('failed to load secret');", [], id="throw-clean-message"),
    pytest.param("console.log(s, process.env, resp);", [(3, "log", "environment", "console.log")],
                 id="one-sink-strongest-argument"),
    pytest.param("console.log(resp, s);", [(3, "log", "value", "console.log")], id="value-beats-container"),
    pytest.param("return { statusCode: 200, body: JSON.stringify({ key: s }) };", [(3, "response", "value", "return")],
                 id="handler-return-object"),
    pytest.param("return { statusCode: 200 };", [], id="handler-return-clean"),
    pytest.param("callback(null, { body: s });", [(3, "response", "value", "callback")], id="callback"),
    pytest.param("callback(new Error(s));", [(3, "error", "value", "callback")], id="callback-error"),
    pytest.param("res.json(s); res.send(s);", [], id="express-is-not-lambda"),
]


@pytest.mark.parametrize(("body", "expected"), SINK_CASES)
def test_sinks(body: str, expected: list[tuple]) -> None:
    src = (
        "const { getSecret } = require('@aws-lambda-powertools/parameters/secrets');\n"
        "exports.handler = async (event, context, callback) => { const s = await getSecret('x'); const resp = { a: s };\n"
        "  " + body + "\n};\n"
    )
    facts = extract_js("h.js", src, language=Language.JAVASCRIPT, tsx=False, is_cdk=False)
    assert sinks(facts) == expected


def test_sink_location_and_origin() -> None:
    facts = extract(
        """\
        exports.handler = async () => {
          const { DB_PASSWORD } = process.env;
            console.log(
              'pw', DB_PASSWORD);
        };
        """
    )
    (sink,) = facts.sinks
    assert sink.location == Location("src/handler.js", Span(3, 5, 4, 25))
    assert (sink.kind, sink.what, sink.origin, sink.via) == (SinkKind.LOG, Tainted.VALUE, "env var DB_PASSWORD", "console.log")


def test_helper_return_is_not_a_response() -> None:
    facts = extract(
        """\
        async function loadKey() { return process.env.API_KEY; }
        exports.handler = async () => { await loadKey(); return { statusCode: 204 }; };
        """
    )
    assert facts.sinks == ()


# ---------------------------------------------------------------------------
# §5 Handler detection (RESPONSE sinks only in handlers)
# ---------------------------------------------------------------------------

HANDLER_CASES = [
    pytest.param("export const handler = async () => process.env.API_TOKEN;", True, id="export-const-arrow-expression"),
    pytest.param("export async function handler() { return process.env.API_TOKEN; }", True, id="export-async-function"),
    pytest.param("exports.handler = async function () { return process.env.API_TOKEN; };", True, id="exports.handler"),
    pytest.param("module.exports.handler = async () => { return process.env.API_TOKEN; };", True, id="module.exports.handler"),
    pytest.param("const handler = async () => { return process.env.API_TOKEN; };\nmodule.exports = { handler };", True,
                 id="module.exports-object-shorthand"),
    pytest.param("async function main() { return process.env.API_TOKEN; }\nmodule.exports = { handler: main };", True,
                 id="module.exports-object-pair"),
    pytest.param("export const getUserHandler = async () => { return process.env.API_TOKEN; };", True, id="name-ending-Handler"),
    pytest.param("async function main() { return process.env.API_TOKEN; }\nexport { main as handler };", True, id="export-clause-alias"),
    pytest.param("export const handler = wrap(async () => { return process.env.API_TOKEN; });", True, id="wrapped-export"),
    pytest.param("const handler = async () => { return process.env.API_TOKEN; };", False, id="not-exported"),
    pytest.param("export const helper = async () => { return process.env.API_TOKEN; };", False, id="exported-non-handler-name"),
    pytest.param("export default async () => { return process.env.API_TOKEN; };", False, id="default-export"),
    pytest.param("export default async function handler() { return process.env.API_TOKEN; }", False,
                 id="default-export-named-handler"),
]


@pytest.mark.parametrize(("src", "is_handler"), HANDLER_CASES)
def test_handler_detection(src: str, is_handler: bool) -> None:
    facts = extract(src, ts=True)
    assert [(s.kind, s.what) for s in facts.sinks] == ([(SinkKind.RESPONSE, Tainted.VALUE)] if is_handler else [])


def test_middy_base_handler_is_a_handler() -> None:
    facts = extract(
        """\
        import middy from '@middy/core';
        const base = async (event) => ({ body: process.env.API_TOKEN });
        const notBase = async () => ({ body: process.env.API_TOKEN });
        export const handler = middy(base);
        export const v5 = middy().handler(async () => { return process.env.API_TOKEN; });
        """
    )
    assert sinks(facts) == [(2, "response", "value", "return"), (5, "response", "value", "return")]


# ---------------------------------------------------------------------------
# §6 Cache
# ---------------------------------------------------------------------------

CACHE_CASES = [
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        const secret = await client.send(new GetSecretValueCommand({ SecretId: 'x' }));
        """,
        ("forever", False), id="module-level-top-level-await",
    ),
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        const secretPromise = client.send(new GetSecretValueCommand({ SecretId: 'x' }));
        export const handler = async () => { const s = await secretPromise; };
        """,
        ("forever", False), id="module-level-promise",
    ),
    pytest.param(
        """\
        export const handler = async () => {
          const client = new SecretsManagerClient({});
          const s = await client.send(new GetSecretValueCommand({ SecretId: 'x' }));
        };
        """,
        ("none", True), id="in-handler",
    ),
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        let cached: string | undefined;
        export const handler = async () => {
          if (!cached) {
            const r = await client.send(new GetSecretValueCommand({ SecretId: 'x' }));
            cached = r.SecretString;
          }
          return { statusCode: 200 };
        };
        """,
        ("forever", True), id="lazy-if-not-cached",
    ),
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        let cached;
        async function getSecret() {
          if (cached) return cached;
          const r = await client.send(new GetSecretValueCommand({ SecretId: 'x' }));
          cached = JSON.parse(r.SecretString);
          return cached;
        }
        """,
        ("forever", True), id="lazy-early-return",
    ),
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        let p;
        export const handler = async () => {
          p ??= client.send(new GetSecretValueCommand({ SecretId: 'x' }));
          await p;
        };
        """,
        ("forever", True), id="lazy-nullish-assignment",
    ),
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        let cached;
        let fetchedAt = 0;
        export const handler = async () => {
          if (!cached || Date.now() - fetchedAt > 300000) {
            cached = (await client.send(new GetSecretValueCommand({ SecretId: 'x' }))).SecretString;
            fetchedAt = Date.now();
          }
        };
        """,
        ("ttl", True), id="lazy-with-date-now-expiry",
    ),
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        let cache = { value: null, expires: 0 };
        export const handler = async () => {
          const now = Date.now();
          if (cache.value && now < cache.expires) return cache.value;
          cache.value = (await client.send(new GetSecretValueCommand({ SecretId: 'x' }))).SecretString;
          cache.expires = now + 60000;
        };
        """,
        ("ttl", True), id="object-cache-with-timestamp-variable",
    ),
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        const cache = new Map();
        export async function get(name) {
          if (cache.has(name)) return cache.get(name);
          const v = (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
          cache.set(name, v);
          return v;
        }
        """,
        ("forever", True), id="map-cache",
    ),
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        let cached;
        export const handler = async () => {
          cached = (await client.send(new GetSecretValueCommand({ SecretId: 'x' }))).SecretString;
        };
        """,
        ("none", True), id="stored-but-not-guarded",
    ),
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        async function load() { return (await client.send(new GetSecretValueCommand({ SecretId: 'x' }))).SecretString; }
        let secret;
        export const handler = async () => { if (secret === undefined) secret = await load(); };
        """,
        ("forever", True), id="lazy-via-helper-one-level",
    ),
    pytest.param(
        """\
        const client = new SecretsManagerClient({});
        const config = load();
        async function load() { return (await client.send(new GetSecretValueCommand({ SecretId: 'x' }))).SecretString; }
        """,
        ("forever", True), id="helper-called-at-init",
    ),
    pytest.param(
        """\
        class SecretCache {
          private value?: string;
          private client = new SecretsManagerClient({});
          async get() {
            if (!this.value) this.value = (await this.client.send(new GetSecretValueCommand({ SecretId: 'x' }))).SecretString;
            return this.value;
          }
        }
        const cache = new SecretCache();
        """,
        ("forever", True), id="class-member-cache",
    ),
    pytest.param(
        """\
        class Fetcher {
          private client = new SecretsManagerClient({});
          async get() {
            this.last = (await this.client.send(new GetSecretValueCommand({ SecretId: 'x' }))).SecretString;
            return this.last;
          }
        }
        """,
        ("none", True), id="class-member-stored-without-guard",
    ),
]


@pytest.mark.parametrize(("body", "expected"), CACHE_CASES)
def test_raw_sdk_cache(body: str, expected: tuple[str, bool]) -> None:
    facts = extract(SM_V3 + dedent(body), ts=True)
    (read,) = facts.secret_reads
    assert (read.cache.value, read.in_function) == expected
    assert read.cache_seconds is None


def _middy(options: str, *, style: str = "esm", legacy: bool = False) -> str:
    if legacy:
        imports = "const middy = require('middy');\nconst { ssm } = require('middy/middlewares');\n"
    elif style == "esm":
        imports = "import middy from '@middy/core';\nimport ssm from '@middy/ssm';\n"
    else:
        imports = "const middy = require('@middy/core');\nconst ssm = require('@middy/ssm');\n"
    return imports + f"export const handler = middy(async (event, context) => {{}}).use(ssm({options}));\n"


MIDDY_CACHE_CASES = [
    pytest.param(_middy("{ cache: true, cacheExpiryInMillis: 60000, names: { KEY: '/k' } }", legacy=True),
                 ("ttl", 60.0), id="v0-cache-true-expiry"),
    pytest.param(_middy("{ cache: true, names: { KEY: '/k' } }", legacy=True), ("forever", None), id="v0-cache-true-no-expiry"),
    pytest.param(_middy("{ names: { KEY: '/k' } }", legacy=True), ("none", None), id="v0-no-cache"),
    pytest.param(_middy("{ cache: false, names: { KEY: '/k' } }", legacy=True), ("none", None), id="v0-cache-false"),
    pytest.param(_middy("{ cache: true, cacheExpiryInMillis: 30000, names: { KEY: '/k' } }", style="cjs"),
                 ("ttl", 30.0), id="v1-options-on-@middy/ssm"),
    pytest.param(_middy("{ fetchData: { key: '/k' } }"), ("forever", None), id="v2plus-default"),
    pytest.param(_middy("{ fetchData: { key: '/k' }, cacheExpiry: -1 }"), ("forever", None), id="v2plus-minus-one"),
    pytest.param(_middy("{ fetchData: { key: '/k' }, cacheExpiry: 0 }"), ("none", None), id="v2plus-zero"),
    pytest.param(_middy("{ fetchData: { key: '/k' }, cacheExpiry: 300000 }"), ("ttl", 300.0), id="v2plus-300000"),
    pytest.param(_middy("{ fetchData: { key: '/k' }, cacheExpiry: 5 * 60 * 1000 }"), ("ttl", 300.0), id="v2plus-arithmetic"),
    pytest.param(_middy("{ fetchData: { key: '/k' }, cacheExpiry: ttl }"), ("ttl", None), id="v2plus-not-literal"),
]


@pytest.mark.parametrize(("src", "expected"), MIDDY_CACHE_CASES)
def test_middy_cache(src: str, expected: tuple[str, float | None]) -> None:
    (read,) = extract(src).secret_reads
    assert (read.cache.value, read.cache_seconds) == expected
    assert read.api is Api.MIDDY and read.in_function is False and read.decrypted is True
    assert read.action == "ssm:GetParameters"


# ---------------------------------------------------------------------------
# §7 MiddlewareUse and the middy context / internal / env taint
# ---------------------------------------------------------------------------


def test_middy_classic_set_to_context() -> None:
    facts = extract(
        """\
        import middy from '@middy/core';
        import ssm from '@middy/ssm';
        import secretsManager from '@middy/secrets-manager';
        const baseHandler = async (event, context) => {
          console.log(context.secretKey);
          logger.info('ctx', context);
          console.log(context.functionName, context.awsRequestId, context.getRemainingTimeInMillis());
          const { dbCreds } = context;
          logger.debug(dbCreds);
          return { statusCode: 200 };
        };
        export const handler = middy(baseHandler)
          .use(ssm({
            fetchData: { secretKey: '/prod/app/secret', all: '/prod/app/', other: process.env.PARAM_NAME },
            setToContext: true,
            cacheExpiry: 300000,
          }))
          .use(secretsManager({ fetchData: { dbCreds: 'prod/db' }, setToContext: true, disablePrefetch: false }));
        """
    )
    assert [(s.location.line, s.kind, s.what, s.origin, s.via) for s in facts.sinks] == [
        (5, SinkKind.LOG, Tainted.VALUE, "middy context.secretKey", "console.log"),
        (6, SinkKind.LOG, Tainted.CONTAINER, "middy context", "logger.info"),
        (9, SinkKind.LOG, Tainted.VALUE, "middy context.dbCreds", "logger.debug"),
    ]
    ssm_use, sm_use = facts.middlewares
    assert (ssm_use.package, ssm_use.middleware, ssm_use.import_style, ssm_use.location.line) == ("@middy/ssm", "ssm", "esm", 13)
    assert ssm_use.options == (("setToContext", "true"), ("cacheExpiry", "300000"))
    assert ssm_use.fetch_keys == (
        ("secretKey", SecretName(LIT, "/prod/app/secret")),
        ("all", SecretName(PATH, "/prod/app/")),
        ("other", SecretName(ENV, "PARAM_NAME")),
    )
    assert (sm_use.package, sm_use.middleware, sm_use.options) == (
        "@middy/secrets-manager", "secretsManager", (("setToContext", "true"), ("disablePrefetch", "false")))
    assert sm_use.fetch_keys == (("dbCreds", SecretName(LIT, "prod/db")),)
    assert reads(facts) == [
        (13, "ssm:GetParameters", "middy", (N(LIT, "/prod/app/secret"),), False, "ttl", 300.0, True),
        (13, "ssm:GetParametersByPath", "middy", (N(PATH, "/prod/app/"),), False, "ttl", 300.0, True),
        (13, "ssm:GetParameters", "middy", (N(ENV, "PARAM_NAME"),), False, "ttl", 300.0, True),
        (18, "secretsmanager:GetSecretValue", "middy", (N(LIT, "prod/db"),), False, "forever", None, None),
    ]


def test_middy_without_set_to_context_leaves_context_clean() -> None:
    facts = extract(_middy("{ fetchData: { secretKey: '/k' } }").replace(
        "async (event, context) => {}", "async (event, context) => { console.log(context.secretKey); }"))
    assert facts.sinks == ()


def test_middy_v0_names_paths_secrets_and_process_env() -> None:
    facts = extract(
        """\
        const middy = require('middy');
        const { ssm, secretsManager } = require('middy/middlewares');
        const handler = middy(async (event, context) => {
          console.log(process.env.STRIPE);
          console.log(context.stripeKey);
        });
        handler
          .use(ssm({ names: { STRIPE: '/dev/stripe' }, paths: { CFG: ['/dev/a', '/dev/b'] } }))
          .use(secretsManager({ cache: true, cacheExpiryInMillis: 1000, secrets: { stripeKey: 'dev/stripe' } }));
        module.exports = { handler };
        """
    )
    a, b = facts.middlewares
    assert (a.package, a.middleware, a.import_style, a.options) == ("middy/middlewares", "ssm", "cjs", ())
    assert a.fetch_keys == (("STRIPE", SecretName(LIT, "/dev/stripe")), ("CFG", SecretName(PATH, "/dev/a")),
                            ("CFG", SecretName(PATH, "/dev/b")))
    assert b.options == (("cache", "true"), ("cacheExpiryInMillis", "1000"))
    assert [(s.location.line, s.what.value, s.origin) for s in facts.sinks] == [
        (4, "value", "middy ssm process.env.STRIPE"),  # v0/v1 ssm writes to process.env by default
        (5, "value", "middy context.stripeKey"),  # v0/v1 secretsManager always writes to context
    ]
    assert [r.action for r in facts.secret_reads] == [
        "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue"]


def test_middy_get_internal_and_hooks() -> None:
    facts = extract(
        """\
        const middy = require('@middy/core');
        const ssm = require('@middy/ssm');
        const { getInternal } = require('@middy/util');
        module.exports.handler = middy()
          .use(ssm({ fetchData: { token: '/t' } }))
          .before(async (request) => {
            const { token } = await getInternal(['token'], request);
            console.log(token);
            console.log(request.internal);
            Object.assign(request.context, await getInternal(true, request));
          })
          .handler(async (event, context) => ({ body: context.token }));
        """
    )
    assert [(s.location.line, s.kind.value, s.what.value, s.origin) for s in facts.sinks] == [
        (8, "log", "value", "middy getInternal"),
        (9, "log", "container", "middy request.internal"),
        (12, "response", "value", "middy context.token"),
    ]
    assert facts.middlewares[0].import_style == "cjs"


# ---------------------------------------------------------------------------
# LSL503: decrypted
# ---------------------------------------------------------------------------

DECRYPT_CASES = [
    pytest.param("ssm.getParameter({ Name: '/p' })", False, id="WithDecryption-missing"),
    pytest.param("ssm.getParameter({ Name: '/p', WithDecryption: false })", False, id="WithDecryption-false"),
    pytest.param("ssm.getParameter({ Name: '/p', WithDecryption: true })", True, id="WithDecryption-true"),
    pytest.param("ssm.getParameter({ Name: '/p', WithDecryption: flag })", None, id="WithDecryption-not-literal"),
    pytest.param("ssm.getParameter(params)", None, id="params-unknown"),
    pytest.param("ssm.getParameter(knownParams)", True, id="params-module-object"),
    pytest.param("getParameter('/p')", False, id="powertools-decrypt-omitted"),
    pytest.param("getParameter('/p', { decrypt: true })", True, id="powertools-decrypt-true"),
    pytest.param("getParameter('/p', { sdkOptions: { WithDecryption: true } })", True, id="powertools-sdkOptions"),
    pytest.param("sm.getSecretValue({ SecretId: 's' })", None, id="secrets-manager-always-none"),
]


@pytest.mark.parametrize(("call", "expected"), DECRYPT_CASES)
def test_decrypted(call: str, expected: bool | None) -> None:
    src = (
        "const AWS = require('aws-sdk');\n"
        "const { getParameter } = require('@aws-lambda-powertools/parameters/ssm');\n"
        "const ssm = new AWS.SSM(); const sm = new AWS.SecretsManager();\n"
        "const knownParams = { Name: '/p', WithDecryption: true };\n"
        f"exports.handler = async (params, flag) => {{ await {call}; }};\n"
    )
    (read,) = extract(src).secret_reads
    assert read.decrypted is expected


# ---------------------------------------------------------------------------
# Env vars (§1 last rows): EnvRead facts and ENVIRONMENT sinks
# ---------------------------------------------------------------------------


def test_env_reads_and_environment_sinks() -> None:
    facts = extract(
        """\
        const { DB_PASSWORD, TABLE_NAME = 'orders', API_KEY: apiKey, ...rest } = process.env;
        const KEY = 'SIGNING_KEY';
        exports.handler = async () => {
          console.log(process.env);
          console.log(`env=${JSON.stringify(process.env)}`);
          logger.info({ ...process.env });
          console.log(Object.entries(process.env));
          console.log(Object.keys(process.env));
          console.log(process.env.DB_SECRET_ARN, process.env['NODE_ENV'], TABLE_NAME);
          console.log(process.env[KEY]);
          console.log(process.env.AWS_SESSION_TOKEN, process.env.AWS_ACCESS_KEY_ID);
          console.log(DB_PASSWORD.length, apiKey === 'x');
          console.log(rest);
        };
        """
    )
    assert envs(facts) == [(1, "DB_PASSWORD"), (1, "TABLE_NAME"), (1, "API_KEY"), (9, "DB_SECRET_ARN"),
                           (9, "NODE_ENV"), (10, "SIGNING_KEY"), (11, "AWS_SESSION_TOKEN"), (11, "AWS_ACCESS_KEY_ID")]
    assert [(s.location.line, s.what.value, s.origin) for s in facts.sinks] == [
        (4, "environment", "process.env"),
        (5, "environment", "process.env"),
        (6, "environment", "process.env"),
        (7, "environment", "process.env"),
        (10, "value", "env var SIGNING_KEY"),
        (11, "value", "env var AWS_SESSION_TOKEN"),
        (13, "environment", "process.env"),
    ]


def test_runtime_credentials_are_values_although_not_secret_like() -> None:
    facts = extract("exports.handler = async () => { console.log(process.env.AWS_ACCESS_KEY_ID); };\n")
    assert [(s.what.value, s.origin) for s in facts.sinks] == [("value", "env var AWS_ACCESS_KEY_ID")]


def test_env_var_names_of_reads() -> None:
    facts = extract(
        """\
        const AWS = require('aws-sdk');
        const sm = new AWS.SecretsManager();
        const secretId = process.env.DB_SECRET_ARN;
        exports.handler = async () => {
          const r = await sm.getSecretValue({ SecretId: secretId }).promise();
          console.log('loaded', secretId, r.ARN);
        };
        """
    )
    assert reads(facts)[0][3] == (N(ENV, "DB_SECRET_ARN"),)
    assert facts.sinks == ()


def test_extra_words_make_env_names_secret() -> None:
    src = "exports.handler = async () => { console.log(process.env.STRIPE_PIN); };\n"
    assert extract(src).sinks == ()
    assert sink_whats(extract(src, extra=("PIN",))) == [("log", "value")]


# ---------------------------------------------------------------------------
# §8 Hardcoded literals
# ---------------------------------------------------------------------------


def test_hardcoded_literals_in_handler_code() -> None:
    facts = extract(
        f"""\
        import cfg from './config.json';
        const STRIPE_KEY = '{STRIPE_LIVE}';
        const config = {{ password: 'hunter2-prod', host: 'db.internal', apiKey: 'changeme' }};
        const token = process.env.MY_TOKEN || 'fallback-token-1';
        const gh = `{GITHUB_PAT}`;
        const bare = ['{AWS_KEY_ID}'];
        class Client {{ private clientSecret = 'cF9-class-field-secret-27'; }}
        function connect(dbPassword = 'default-pw-123') {{}}
        this.authToken = 'm3mber-assigned-token-7Q';
        enum Creds {{ ApiKey = 'enum-m3mber-api-key-5' }}
        type T = '{STRIPE_LIVE}';
        const ok = {{ password: '', secret: '<your-secret>', token: '${{TOKEN}}', apiKey: '/prod/api/key', tokenTtl: '3600s' }};
        const passwordField = `pw-${{suffix}}-literal`;
        """,
        ts=True,
    )
    assert hardcoded(facts) == [
        (2, "STRIPE_KEY", "Stripe live secret key"),
        (3, "password", "literal under a secret-like name"),
        (3, "apiKey", "literal under a secret-like name"),
        (4, "token", "literal under a secret-like name"),
        (5, "gh", "GitHub token"),
        (6, "", "AWS access key ID"),
        (7, "clientSecret", "literal under a secret-like name"),
        (8, "dbPassword", "literal under a secret-like name"),
        (9, "authToken", "literal under a secret-like name"),
        (10, "ApiKey", "literal under a secret-like name"),
    ]
    first = facts.hardcoded[0]
    assert first.masked == "sk_l\u2026(32 chars)"
    assert first.location == Location("src/handler.ts", Span(2, 20, 2, 20 + len(STRIPE_LIVE) + 2))
    assert STRIPE_LIVE not in repr(facts) and "hunter2-prod" not in repr(facts)


def test_cdk_environment_literals_are_not_hardcoded_findings() -> None:
    facts = extract(
        f"""\
        import * as lambda from 'aws-cdk-lib/aws-lambda';
        const common = {{ SHARED_TOKEN: 'shared-token-value' }};
        export class Stack extends cdk.Stack {{
          constructor(scope: Construct, id: string) {{
            super(scope, id);
            const fn = new lambda.Function(this, 'Fn', {{
              environment: {{ API_KEY: '{STRIPE_LIVE}', DB_PASSWORD: 'super-secret-pw' }},
            }});
            fn.addEnvironment('WEBHOOK_SECRET', 'whsec-literal-value');
            new lambda.Function(this, 'F2', {{ environment: common }});
            const apiKey = '{STRIPE_LIVE}';
            new Thing(this, 'x', {{ password: 'R3ported-password!' }});
            console.log(process.env.API_SECRET);
          }}
        }}
        """,
        ts=True,
        cdk=True,
    )
    assert hardcoded(facts) == [(11, "apiKey", "Stripe live secret key"), (12, "password", "literal under a secret-like name")]
    assert facts.is_cdk and facts.sinks == () and facts.env_reads == () and facts.secret_reads == ()


def test_environment_objects_are_reported_in_handler_code() -> None:
    facts = extract(f"const x = {{ environment: {{ API_KEY: '{STRIPE_LIVE}' }} }};\n")
    assert hardcoded(facts) == [(1, "API_KEY", "Stripe live secret key")]


# ---------------------------------------------------------------------------
# TypeScript syntax, JSX/TSX, syntax errors, robustness
# ---------------------------------------------------------------------------


def test_typescript_syntax_does_not_confuse_the_analysis() -> None:
    facts = extract(
        SSM_V3 + dedent("""\
        enum Mode { A = 'a' }
        interface Cfg { password: string }
        type Out = { value: string };
        function dec(): ClassDecorator { return () => {}; }
        @dec()
        class Svc {
          private readonly client = new SSMClient({});
          constructor(private readonly name: string) {}
          async get<T extends string>(): Promise<T> {
            const out = await this.client.send(new GetParameterCommand({ Name: this.name, WithDecryption: true }));
            return (out.Parameter!.Value as T)!;
          }
        }
        const svc = new Svc('/x');
        export const handler = async (event: unknown): Promise<{ statusCode: number }> => {
          const v = (await svc.get<string>()) satisfies string;
          const w = <string>v;
          logger.info({ w } as const);
          return { statusCode: 200 } satisfies Out2;
        };
        """),
        ts=True,
    )
    assert reads(facts) == [(11, "ssm:GetParameter", "aws-sdk-v3", (N(UNKNOWN),), True, "none", None, True)]
    assert sinks(facts) == [(19, "log", "value", "logger.info")]


def test_jsx_and_tsx() -> None:
    jsx = "export const App = () => <div title={process.env.SECRET_TOKEN}>{String(1)}</div>;\n"
    assert envs(extract(jsx)) == [(1, "SECRET_TOKEN")]
    assert envs(extract(jsx, tsx=True)) == [(1, "SECRET_TOKEN")]
    with pytest.raises(ParseError):
        extract(jsx, ts=True)  # plain .ts has no JSX


@pytest.mark.parametrize(
    ("src", "ts", "line", "col"),
    [
        pytest.param("const a = {\n  b: 1,\n  c: ;\n};\n", False, 3, 3, id="js-object"),
        pytest.param("let ok = 1;\nlet x: = 2;\n", True, 2, 6, id="ts-annotation"),
        pytest.param(f"const s = '{STRIPE_LIVE}';\nfunction f( {{\n", False, 2, 1, id="js-unclosed"),
        pytest.param("let a = 1;\nconst é = { c: ) };\n", False, 2, 13, id="columns-in-code-points"),
    ],
)
def test_syntax_error(src: str, ts: bool, line: int, col: int) -> None:
    with pytest.raises(ParseError) as info:
        extract(src, ts=ts)
    err = info.value
    assert (err.line, err.col) == (line, col)
    assert err.message.startswith("syntax error")
    assert STRIPE_LIVE not in str(err)


@pytest.mark.parametrize(
    "src",
    [
        pytest.param("const x = " + " + ".join(["process.env.A_SECRET"] * 3000) + ";\nconsole.log(x);\n", id="long-plus-chain"),
        pytest.param("const x = " + "(" * 500 + "1" + ")" * 500 + ";\n", id="deep-parentheses"),
        pytest.param("function f() {" + "if (a) {" * 400 + "g();" + "}" * 400 + "}\n", id="deep-blocks"),
        pytest.param("const o = " + "{a: " * 400 + "1" + "}" * 400 + ";\n", id="deep-objects"),
        pytest.param("x" + ".then(a => a)" * 600 + ";\n", id="long-call-chain"),
    ],
)
def test_deep_code_does_not_crash(src: str) -> None:
    facts = extract(src)
    assert isinstance(facts, CodeFacts)


def test_facts_hold_no_secret_values() -> None:
    facts = extract(
        f"""\
        const AWS = require('aws-sdk');
        const KEY = '{STRIPE_LIVE}';
        exports.handler = async () => {{
          const s = await new AWS.SecretsManager().getSecretValue({{ SecretId: 'prod/x' }}).promise();
          console.log(KEY, s.SecretString);
          throw new Error('{GITHUB_PAT}' + s.SecretString);
        }};
        """
    )
    assert len(facts.hardcoded) == 2 and len(facts.sinks) == 2
    text = repr(facts)
    assert STRIPE_LIVE not in text and GITHUB_PAT not in text


def test_rejection_handlers_and_invalid_parameter_names_are_clean() -> None:
    # From @middy/ssm: rethrowing a caught error and naming invalid parameters leak nothing.
    src = """\
import { SSMClient, GetParametersCommand } from '@aws-sdk/client-ssm';
const client = new SSMClient({});
export const handler = async () => {
  return client.send(new GetParametersCommand({ Names: ['/a/db-password'], WithDecryption: true }))
    .then((resp) => {
      for (const name of resp.InvalidParameters ?? []) { throw new Error('InvalidParameter ' + name); }
      return { statusCode: 200 };
    })
    .catch((e) => { throw e; });
};
"""
    facts = extract(src, ts=True)
    assert len(facts.secret_reads) == 1  # the read is still seen
    assert [s for s in facts.sinks if s.kind.value == "error"] == []


def test_a_read_under_a_cache_guard_is_cached_even_when_a_derived_value_is_stored() -> None:
    from lambda_secrets_lint.model.code import Cache, Language
    from lambda_secrets_lint.parsers.js.extract import extract_js

    text = """\
import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

const ssm = new SSMClient({});
let token = null;
let signedAt = 0;

async function signedToken() {
  if (!token || Date.now() - signedAt > 5 * 60 * 1000) {
    const res = await ssm.send(new GetParameterCommand({ Name: '/reports/signing-key', WithDecryption: true }));
    token = `signed:${res.Parameter.Value.length}`;
    signedAt = Date.now();
  }
  return token;
}

export const handler = async () => ({ t: await signedToken() });
"""
    [read] = extract_js("h.mjs", text, language=Language.JAVASCRIPT, tsx=False, is_cdk=False).secret_reads
    assert read.cache is Cache.TTL
    unguarded = text.replace("  if (!token || Date.now() - signedAt > 5 * 60 * 1000) {\n", "  {\n")
    [read] = extract_js("h.mjs", unguarded, language=Language.JAVASCRIPT, tsx=False, is_cdk=False).secret_reads
    assert read.cache is Cache.NONE
