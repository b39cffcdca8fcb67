"""The Python extractor (lint/parsers/python_code.py) against docs/design/handler-facts.md.

Small inline sources, exact facts. Tables are grouped by spec section:
§1 sources, §2 propagation, §3 cleaners, §4 sinks, §5 handlers, §6 caches,
LSL503 decryption, §8 hardcoded literals (incl. the CDK environment
exemption), syntax errors and robustness, and near misses that must stay
silent.
"""
from __future__ import annotations

import textwrap

import pytest

from lambda_secrets_lint.model.code import CodeFacts, Language
from lambda_secrets_lint.parsers.nodes import ParseError
from lambda_secrets_lint.parsers.python_code import extract_python

STRIPE = "sk_live_51HqLyjWDarjtT1zdp7dcXYZabc"
GITHUB = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"


def code(src: str) -> str:
    return textwrap.dedent(src).lstrip("\n")


def facts(src: str, *, is_cdk: bool = False, extra: tuple[str, ...] = ()) -> CodeFacts:
    return extract_python("app.py", code(src), is_cdk=is_cdk, extra_words=extra)


def names(read) -> tuple[tuple[str, str], ...]:  # type: ignore[no-untyped-def]
    return tuple((n.kind.value, n.value) for n in read.names)


def source_rows(f: CodeFacts) -> list[tuple[object, ...]]:
    return [(r.action, r.api.value, names(r), r.decrypted) for r in f.secret_reads]


def cache_rows(f: CodeFacts) -> list[tuple[object, ...]]:
    return [(r.location.line, r.in_function, r.cache.value, r.cache_seconds) for r in f.secret_reads]


def sink_rows(f: CodeFacts) -> list[tuple[object, ...]]:
    return [(s.kind.value, s.what.value, s.via, s.location.line) for s in f.sinks]


def env_rows(f: CodeFacts) -> list[tuple[str, int]]:
    return [(e.name, e.location.line) for e in f.env_reads]


def hard_rows(f: CodeFacts) -> list[tuple[str, str, int]]:
    return [(h.name, h.kind, h.location.line) for h in f.hardcoded]


NAMED = "literal under a secret-like name"

# --------------------------------------------------------------------------- §1 sources

SOURCES = [
    (
        "boto3 get_parameter, client at module level",
        """
        import boto3
        ssm = boto3.client("ssm")
        def f():
            return ssm.get_parameter(Name="/prod/db/password", WithDecryption=True)
        """,
        [("ssm:GetParameter", "boto3", (("literal", "/prod/db/password"),), True)],
    ),
    (
        "alias import boto3 as b, client inside the function",
        """
        import boto3 as b
        def f():
            c = b.client("ssm")
            return c.get_parameter(Name="x-param")
        """,
        [("ssm:GetParameter", "boto3", (("literal", "x-param"),), False)],
    ),
    (
        "from boto3 import client",
        """
        from boto3 import client
        sm = client("secretsmanager")
        sm.get_secret_value(SecretId="prod/api")
        """,
        [("secretsmanager:GetSecretValue", "boto3", (("literal", "prod/api"),), None)],
    ),
    (
        "boto3.Session().client(...)",
        """
        import boto3
        boto3.Session().client("ssm").get_parameter(Name="/a")
        """,
        [("ssm:GetParameter", "boto3", (("literal", "/a"),), False)],
    ),
    (
        "session.client(service_name=..., region_name=...)",
        """
        import boto3
        session = boto3.session.Session()
        sm = session.client(service_name="secretsmanager", region_name="eu-west-1")
        sm.get_secret_value(SecretId="s")
        """,
        [("secretsmanager:GetSecretValue", "boto3", (("literal", "s"),), None)],
    ),
    (
        "boto3.client(service_name='ssm')",
        """
        import boto3
        boto3.client(service_name="ssm").get_parameters_by_path(Path="/app/")
        """,
        [("ssm:GetParametersByPath", "boto3", (("path", "/app/"),), False)],
    ),
    (
        "self.client in a class",
        """
        import boto3
        class Store:
            def __init__(self):
                self.client = boto3.client("ssm")
            def get(self):
                return self.client.get_parameter(Name="/k", WithDecryption=False)
        """,
        [("ssm:GetParameter", "boto3", (("literal", "/k"),), False)],
    ),
    (
        "client returned by a same-module function",
        """
        import functools, boto3
        @functools.lru_cache
        def _client():
            return boto3.client("secretsmanager")
        def get():
            return _client().get_secret_value(SecretId="db")
        """,
        [("secretsmanager:GetSecretValue", "boto3", (("literal", "db"),), None)],
    ),
    (
        "get_parameters: one name per literal",
        """
        import boto3
        ssm = boto3.client("ssm")
        ssm.get_parameters(Names=["/a", "/b"], WithDecryption=True)
        """,
        [("ssm:GetParameters", "boto3", (("literal", "/a"), ("literal", "/b")), True)],
    ),
    (
        "get_parameters_by_path paginator",
        """
        import boto3
        ssm = boto3.client("ssm")
        pages = ssm.get_paginator("get_parameters_by_path").paginate(Path="/cfg/", WithDecryption=True)
        """,
        [("ssm:GetParametersByPath", "boto3", (("path", "/cfg/"),), True)],
    ),
    (
        "batch_get_secret_value",
        """
        import boto3
        sm = boto3.client("secretsmanager")
        sm.batch_get_secret_value(SecretIdList=["a", "b"])
        """,
        [("secretsmanager:BatchGetSecretValue", "boto3", (("literal", "a"), ("literal", "b")), None)],
    ),
    (
        "names: module constant, env var through a variable, f-string, parameter",
        """
        import os, boto3
        NAME = "/prod/key"
        ARN = os.environ["DB_SECRET_ARN"]
        ssm = boto3.client("ssm")
        sm = boto3.client("secretsmanager")
        def f(stage, param):
            ssm.get_parameter(Name=NAME)
            sm.get_secret_value(SecretId=ARN)
            ssm.get_parameter(Name=f"/{stage}/key")
            ssm.get_parameter(Name=param)
            sm.get_secret_value(SecretId=os.getenv("OTHER_ARN"))
        """,
        [
            ("ssm:GetParameter", "boto3", (("literal", "/prod/key"),), False),
            ("secretsmanager:GetSecretValue", "boto3", (("env", "DB_SECRET_ARN"),), None),
            ("ssm:GetParameter", "boto3", (("unknown", ""),), False),
            ("ssm:GetParameter", "boto3", (("unknown", ""),), False),
            ("secretsmanager:GetSecretValue", "boto3", (("env", "OTHER_ARN"),), None),
        ],
    ),
    (
        "WithDecryption from a variable: unknown",
        """
        import boto3
        def f(flag):
            boto3.client("ssm").get_parameter(Name="/x", WithDecryption=flag)
        """,
        [("ssm:GetParameter", "boto3", (("literal", "/x"),), None)],
    ),
    (
        "a non-secrets client is not a source",
        """
        import boto3
        s3 = boto3.client("s3")
        s3.get_object(Bucket="b", Key="k")
        boto3.client("ssm").put_parameter(Name="/x", Value="v")
        """,
        [],
    ),
    (
        "Powertools: from ... import parameters (alias p)",
        """
        from aws_lambda_powertools.utilities import parameters as p
        def f():
            p.get_parameter("/a")
            p.get_parameter("/b", decrypt=True)
            p.get_secret("s")
            p.get_parameters("/path/")
            p.get_parameters_by_name({"/x": {}, "/y": {}}, decrypt=False)
            p.get_secrets_by_name(["s1", "s2"])
        """,
        [
            ("ssm:GetParameter", "powertools", (("literal", "/a"),), False),
            ("ssm:GetParameter", "powertools", (("literal", "/b"),), True),
            ("secretsmanager:GetSecretValue", "powertools", (("literal", "s"),), None),
            ("ssm:GetParametersByPath", "powertools", (("path", "/path/"),), False),
            ("ssm:GetParameters", "powertools", (("literal", "/x"), ("literal", "/y")), False),
            ("secretsmanager:BatchGetSecretValue", "powertools", (("literal", "s1"), ("literal", "s2")), None),
        ],
    ),
    (
        "Powertools: from ...parameters import get_secret as gs",
        """
        from aws_lambda_powertools.utilities.parameters import get_secret as gs
        gs("prod/stripe")
        """,
        [("secretsmanager:GetSecretValue", "powertools", (("literal", "prod/stripe"),), None)],
    ),
    (
        "Powertools: import ...parameters as params",
        """
        import aws_lambda_powertools.utilities.parameters as params
        params.get_parameter(name="/n", decrypt=True)
        """,
        [("ssm:GetParameter", "powertools", (("literal", "/n"),), True)],
    ),
    (
        "Powertools providers",
        """
        from aws_lambda_powertools.utilities import parameters
        from aws_lambda_powertools.utilities.parameters import SecretsProvider
        ssm_provider = parameters.SSMProvider()
        secrets = SecretsProvider()
        def f():
            ssm_provider.get("/q", decrypt=True)
            ssm_provider.get_multiple("/q/")
            secrets.get("s")
        """,
        [
            ("ssm:GetParameter", "powertools", (("literal", "/q"),), True),
            ("ssm:GetParametersByPath", "powertools", (("path", "/q/"),), False),
            ("secretsmanager:GetSecretValue", "powertools", (("literal", "s"),), None),
        ],
    ),
    (
        "extension: urllib Request + urlopen, secrets manager",
        """
        import os, json, urllib.request
        def f():
            url = "http://localhost:2773/secretsmanager/get?secretId=prod%2Fdb"
            req = urllib.request.Request(url, headers={"X-Aws-Parameters-Secrets-Token": os.environ["AWS_SESSION_TOKEN"]})
            with urllib.request.urlopen(req) as resp:
                return json.loads(resp.read())
        """,
        [("secretsmanager:GetSecretValue", "extension", (("literal", "prod/db"),), None)],
    ),
    (
        "extension: SSM with withDecryption=true, port from env, name from env",
        """
        import os, requests
        PORT = os.environ.get("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773")
        def f():
            name = os.environ["PARAM_NAME"]
            return requests.get(f"http://localhost:{PORT}/systemsmanager/parameters/get?name={name}&withDecryption=true").json()
        """,
        [("ssm:GetParameter", "extension", (("env", "PARAM_NAME"),), True)],
    ),
    (
        "extension: SSM without withDecryption, urllib with a concatenated URL",
        """
        import urllib.request
        def f():
            return urllib.request.urlopen("http://127.0.0.1:2773/systemsmanager/parameters/get?name=" + "/app/key").read()
        """,
        [("ssm:GetParameter", "extension", (("literal", "/app/key"),), False)],
    ),
    (
        "extension: http.client and urllib3",
        """
        import http.client, urllib3
        def f(name):
            conn = http.client.HTTPConnection("localhost", 2773)
            conn.request("GET", "/secretsmanager/get?secretId=" + name)
            body = conn.getresponse().read()
            http = urllib3.PoolManager()
            r = http.request("GET", "http://localhost:2773/systemsmanager/parameters/get?name=%s&withDecryption=true" % name)
        """,
        [
            ("secretsmanager:GetSecretValue", "extension", (("unknown", ""),), None),
            ("ssm:GetParameter", "extension", (("unknown", ""),), True),
        ],
    ),
    (
        "an HTTP GET elsewhere is not the extension",
        """
        import requests
        requests.get("http://localhost:8080/secretsmanager/get?secretId=x")
        requests.get("http://localhost:2773/health")
        """,
        [],
    ),
]


@pytest.mark.parametrize("src, expected", [c[1:] for c in SOURCES], ids=[c[0] for c in SOURCES])
def test_sources(src: str, expected: list[tuple[object, ...]]) -> None:
    assert source_rows(facts(src)) == expected


def test_secret_read_fields_and_location() -> None:
    f = facts(
        """
        import boto3
        sm = boto3.client("secretsmanager")
        def handler(event, context):
            resp = sm.get_secret_value(
                SecretId="prod/db",
            )
        """
    )
    (read,) = f.secret_reads
    assert read.service == "secretsmanager"
    assert read.location.path == "app.py"
    assert tuple(read.location.span) == (4, 12, 6, 6)  # the call, from `sm` to `)`, end exclusive
    assert read.in_function is True


def test_imports_and_aliases_are_scoped() -> None:
    f = facts(
        """
        def a():
            from aws_lambda_powertools.utilities import parameters
            return parameters.get_secret("a")
        def b():
            return parameters.get_secret("b")
        def c(parameters):
            return parameters.get_secret("c")
        def d(os):
            return os.environ["DB_PASSWORD"]
        def e():
            import os as o
            return o.environ["API_KEY"]
        """
    )
    assert [names(r) for r in f.secret_reads] == [(("literal", "a"),)]
    assert env_rows(f) == [("API_KEY", 12)]


# --------------------------------------------------------------------------- env reads

ENV_READS = [
    (
        "os.environ[], .get, os.getenv",
        """
        import os
        a = os.environ["DB_PASSWORD"]
        b = os.environ.get("API_KEY", "")
        c = os.getenv("STAGE")
        """,
        [("DB_PASSWORD", 2), ("API_KEY", 3), ("STAGE", 4)],
    ),
    (
        "from os import environ, getenv",
        """
        from os import environ, getenv
        a = environ["TOKEN"]
        b = getenv("REGION_NAME")
        c = environ.get("X")
        """,
        [("TOKEN", 2), ("REGION_NAME", 3), ("X", 4)],
    ),
    (
        "import os.path binds os",
        """
        import os.path
        x = os.environ["DB_SECRET_ARN"]
        """,
        [("DB_SECRET_ARN", 2)],
    ),
    (
        "a module constant as the name; a computed name is no EnvRead",
        """
        import os
        KEY = "SIGNING_KEY"
        def f(name):
            os.environ[KEY]
            os.getenv(name)
            os.environ[name]
        """,
        [("SIGNING_KEY", 4)],
    ),
    (
        "writes are not reads",
        """
        import os
        os.environ["DB_PASSWORD"] = "x"
        """,
        [],
    ),
]


@pytest.mark.parametrize("src, expected", [c[1:] for c in ENV_READS], ids=[c[0] for c in ENV_READS])
def test_env_reads(src: str, expected: list[tuple[str, int]]) -> None:
    assert env_rows(facts(src)) == expected


ENV_TAINT = [
    ("DB_PASSWORD", "value"),
    ("STRIPE_API_KEY", "value"),
    ("AWS_SECRET_ACCESS_KEY", "value"),
    ("AWS_SESSION_TOKEN", "value"),
    ("AWS_ACCESS_KEY_ID", "value"),  # runtime credential: not secret-like by name, still a secret
    ("DB_SECRET_ARN", None),
    ("STAGE", None),
]


@pytest.mark.parametrize("name, what", ENV_TAINT)
def test_env_var_taint_follows_the_name(name: str, what: str | None) -> None:
    f = facts(
        f"""
        import os
        def f():
            print(os.environ["{name}"])
        """
    )
    assert env_rows(f) == [(name, 3)]
    assert [(s.what.value, s.origin) for s in f.sinks] == ([(what, f"env var {name}")] if what else [])


def test_extra_words_make_env_names_secret() -> None:
    src = """
        import os
        print(os.environ["SHOPIFY_PIN"])
        """
    assert facts(src).sinks == ()
    assert [s.origin for s in facts(src, extra=("PIN",)).sinks] == ["env var SHOPIFY_PIN"]


ENVIRONMENT = [
    "print(os.environ)",
    "print(dict(os.environ))",
    "print(os.environ.copy())",
    "print({**os.environ})",
    "print(json.dumps(dict(os.environ)))",
    "print(environ)",
    "logger.info('%s', os.environ.items())",
]


@pytest.mark.parametrize("line", ENVIRONMENT)
def test_whole_environment_is_environment(line: str) -> None:
    f = facts(
        f"""
        import os, json, logging
        from os import environ
        logger = logging.getLogger()
        {line}
        """
    )
    assert [(s.kind.value, s.what.value, s.origin, s.location.line) for s in f.sinks] == [
        ("log", "environment", "os.environ", 4)
    ]
    assert f.env_reads == ()


def test_environment_iteration() -> None:
    f = facts(
        """
        import os, logging
        log = logging.getLogger()
        for k, v in os.environ.items():
            log.debug("%s=%s", k, v)
        for k in os.environ:
            log.debug(k)
        for k in os.environ.keys():
            log.debug(k)
        """
    )
    assert sink_rows(f) == [("log", "environment", "log.debug", 4)]


# --------------------------------------------------------------------------- §2 propagation and §3 cleaners

PRELUDE = """\
import os, json, base64, hashlib, hmac, logging, utils
logger = logging.getLogger()
S = os.environ["DB_PASSWORD"]
def helper():
    return {"pw": S}
def redact_config():
    return {"pw": S}
def handler(event, context):
"""


def logged(body: str) -> list[tuple[str, str, str]]:
    src = PRELUDE + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n"
    f = extract_python("app.py", src, is_cdk=False)
    return [(s.kind.value, s.what.value, s.origin) for s in f.sinks if s.kind.value == "log"]


TAINTED = [("log", "value", "env var DB_PASSWORD")]

PROPAGATION = [
    ("assignment", "a = S\nlogger.info(a)"),
    ("augmented assignment", "a = 'x'\na += S\nlogger.info(a)"),
    ("walrus", "if (b := S):\n    logger.info(b)"),
    ("tuple unpacking", "c, d = S, 'x'\nlogger.info(c)"),
    ("unpacking a tainted value", "c, d = S\nlogger.info(d)"),
    ("subscript", "logger.info(S[0])"),
    ("slicing", "logger.info(S[1:3])"),
    ("attribute of a tainted value", "logger.info(json.loads(S).password)"),
    ("json.loads then a key (field-insensitive)", "logger.info(json.loads(S)['password'])"),
    ("decode/encode/strip", "logger.info(S.encode().decode().strip())"),
    ("str()", "logger.info(str(S))"),
    ("base64.b64decode", "logger.info(base64.b64decode(S))"),
    ("f-string", "logger.info(f'pw={S}')"),
    ("percent formatting", "logger.info('pw=%s' % S)"),
    (".format", "logger.info('pw={}'.format(S))"),
    ("+ concatenation", "logger.info('pw=' + S)"),
    ("join", "logger.info(''.join([S]))"),
    ("list", "logger.info([S])"),
    ("dict", "logger.info({'k': S})"),
    ("tuple", "logger.info((S,))"),
    ("dict(a=s)", "logger.info(dict(a=S))"),
    ("ternary", "logger.info(S if event else 'x')"),
    ("or", "logger.info(None or S)"),
    ("and", "logger.info(event and S)"),
    ("same-module function return", "logger.info(helper())"),
    ("tainted in one branch of an if", "if event:\n    e = S\nelse:\n    e = 'x'\nlogger.info(e)"),
    ("subscript assignment taints the container", "d = {}\nd['pw'] = S\nlogger.info(d)"),
    ("container.update", "d = {}\nd.update(pw=S)\nlogger.info(d)"),
    ("for loop over a tainted list", "for item in [S]:\n    logger.info(item)"),
    ("comprehension", "logger.info([x for x in S])"),
    ("obj.attr assignment", "event.secret = S\nlogger.info(event.secret)"),
    ("an exception object", "err = ValueError(S)\nlogger.info(err)"),
    ("a default parameter value", "def inner(token=S):\n    logger.info(token)\ninner()"),
]


@pytest.mark.parametrize("body", [c[1] for c in PROPAGATION], ids=[c[0] for c in PROPAGATION])
def test_propagation(body: str) -> None:
    assert logged(body) == TAINTED


CLEAN = [
    ("len()", "logger.info(len(S))"),
    ("bool()", "logger.info(bool(S))"),
    ("==", "logger.info(S == 'x')"),
    ("!=", "logger.info(S != 'x')"),
    ("in", "logger.info('x' in S)"),
    ("is None", "logger.info(S is None)"),
    ("<", "logger.info(S < 'x')"),
    ("not", "logger.info(not S)"),
    ("isinstance", "logger.info(isinstance(S, str))"),
    ("type()", "logger.info(type(S))"),
    ("hashlib", "logger.info(hashlib.sha256(S.encode()).hexdigest())"),
    ("hmac", "logger.info(hmac.new(S.encode(), b'm', 'sha256').hexdigest())"),
    ("mask_*", "logger.info(mask_secret(S))"),
    ("redact", "logger.info(utils.redact(S))"),
    ("hashValue", "logger.info(utils.hashValue(S))"),
    ("obfuscate/fingerprint/sanitize/censor", "logger.info(obfuscate(S), fingerprint(S), sanitize(S), censor(S))"),
    ("a method of the secret named like a cleaner", "logger.info(S.masked(), S.hash_value())"),
    ("a same-module function named like a cleaner", "logger.info(redact_config())"),
    ("keys()", "logger.info(json.loads(S).keys())"),
    ("last assignment wins", "e = S\ne = 'fine'\nlogger.info(e)"),
    ("non-secret field host", "logger.info(json.loads(S)['host'])"),
    ("non-secret field (any case)", "logger.info(json.loads(S)['Port'], json.loads(S).username)"),
    ("non-secret metadata", "logger.info(json.loads(S)['ARN'], json.loads(S)['VersionId'])"),
    ("an unknown call", "logger.info(utils.compute(S))"),
    ("a branch that returned does not reach the join", "if event:\n    e = S\n    return 1\nelse:\n    e = 'x'\nlogger.info(e)"),
]


@pytest.mark.parametrize("body", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_cleaners_and_clean_values(body: str) -> None:
    assert logged(body) == []


def test_container_shapes() -> None:
    f = facts(
        """
        import boto3, json
        sm = boto3.client("secretsmanager")
        ssm = boto3.client("ssm")
        def handler(event, context):
            resp = sm.get_secret_value(SecretId="db")
            print(resp)
            print(resp["SecretString"])
            print(json.loads(resp["SecretString"])["password"])
            print(resp["ARN"], resp["Name"], resp["VersionId"], resp["ResponseMetadata"])
            p = ssm.get_parameter(Name="/x", WithDecryption=True)
            print(p["Parameter"]["Value"])
            print(p["Parameter"]["Name"], p["Parameter"]["LastModifiedDate"], p["Parameter"]["Type"])
        """
    )
    assert [(s.what.value, s.origin, s.location.line) for s in f.sinks] == [
        ("container", "GetSecretValue response", 6),
        ("value", "GetSecretValue response", 7),
        ("value", "GetSecretValue response", 8),
        ("value", "GetParameter response", 11),
    ]


def test_powertools_shapes_and_origins() -> None:
    f = facts(
        """
        from aws_lambda_powertools.utilities import parameters
        def f():
            print(parameters.get_secret("prod/stripe"))
            print(parameters.get_parameters("/app/secrets/"))
            print(parameters.get_parameters("/app/secrets/")["db_password"])
        """
    )
    assert [(s.what.value, s.origin) for s in f.sinks] == [
        ("value", "Powertools get_secret('prod/stripe')"),
        ("container", "Powertools get_parameters('/app/secrets/')"),
        ("value", "Powertools get_parameters('/app/secrets/')"),
    ]


PLAIN_CONFIG = [
    # (call, is a secret source)
    ('ssm.get_parameter(Name="/app/feature-flags")', False),
    ('ssm.get_parameter(Name="/app/feature-flags", WithDecryption=False)', False),
    ('ssm.get_parameter(Name="/app/feature-flags", WithDecryption=True)', True),
    ('ssm.get_parameter(Name="/app/db/password")', True),
    ('ssm.get_parameter(Name=os.environ["FLAGS_PARAM"])', False),
    ('ssm.get_parameter(Name=os.environ["API_KEY_PARAM"])', True),  # the env var's name has a secret word
    ("ssm.get_parameter(Name=name)", True),  # unknown name
    ('ssm.get_parameter(Name="/app/flags", WithDecryption=flag)', True),  # decryption unknown
    ('ssm.get_parameters(Names=["/app/a", "/app/b"])', False),
    ('ssm.get_parameters(Names=["/app/a", "/app/stripe-api-key"])', True),
    ('ssm.get_parameters_by_path(Path="/app/config/")', False),
    ('ssm.get_parameters_by_path(Path="/app/secrets/")', True),
    ('parameters.get_parameter("/app/feature-flags")', False),
    ('parameters.get_parameter("/app/feature-flags", decrypt=True)', True),
    ('parameters.get_parameters("/app/config/")', False),
    ('requests.get("http://localhost:2773/systemsmanager/parameters/get?name=%2Fapp%2Fflags").json()', False),
    ('requests.get("http://localhost:2773/systemsmanager/parameters/get?name=%2Fapp%2Fflags&withDecryption=true").json()', True),
    ('boto3.client("secretsmanager").get_secret_value(SecretId="app/flags")', True),
]


@pytest.mark.parametrize("call, secret", PLAIN_CONFIG)
def test_plain_ssm_configuration_reads_are_clean(call: str, secret: bool) -> None:
    f = facts(
        f"""
        import os, boto3, requests
        from aws_lambda_powertools.utilities import parameters
        ssm = boto3.client("ssm")
        def handler(event, context, name=None, flag=None):
            value = {call}
            print(value)
            return value
        """
    )
    assert len(f.secret_reads) == 1  # still a SecretRead fact
    assert [s.kind.value for s in f.sinks] == (["log", "response"] if secret else [])


def test_plain_configuration_mixed_with_a_secret() -> None:
    f = facts(
        """
        import os, boto3
        ssm = boto3.client("ssm")
        def handler(event, context):
            flags = ssm.get_parameter(Name="/app/feature-flags")
            print(flags, os.environ["DB_PASSWORD"])
            print(flags, os.environ)
        """
    )
    assert [(s.what.value, s.origin) for s in f.sinks] == [
        ("value", "env var DB_PASSWORD"),
        ("environment", "os.environ"),
    ]


def test_lazy_cache_of_plain_configuration_is_recognised() -> None:
    f = facts(
        """
        import boto3
        ssm = boto3.client("ssm")
        _flags = None
        def flags():
            global _flags
            if _flags is None:
                _flags = ssm.get_parameter(Name="/app/feature-flags")["Parameter"]["Value"]
            return _flags
        """
    )
    assert cache_rows(f) == [(7, True, "forever", None)]
    assert f.sinks == ()


def test_an_attribute_of_a_module_holds_the_secret_not_the_module() -> None:
    f = facts(
        """
        import os, logging, stripe
        logger = logging.getLogger()
        def _configure():
            stripe.api_key = os.environ["STRIPE_API_KEY"]
        def handler(event, context):
            _configure()
            intent = stripe.PaymentIntent.create(amount=100)
            logger.info("intent %s", intent["id"])
            logger.info("key %s", stripe.api_key)
        """
    )
    assert sink_rows(f) == [("log", "value", "logger.info", 9)]


def test_http_response_metadata_is_clean() -> None:
    f = facts(
        """
        import requests
        def handler(event, context):
            r = requests.get("http://localhost:2773/secretsmanager/get?secretId=db")
            print(r.status_code if False else r.status, r.ok, r.headers, r.json()["statusCode"], r.statusText)
            print(r.json()["SecretString"])
        """
    )
    assert [(s.what.value, s.location.line) for s in f.sinks] == [("value", 5)]


def test_globals_are_visible_in_functions_and_globals_written_in_functions() -> None:
    f = facts(
        """
        import boto3, logging
        logger = logging.getLogger()
        SECRET = boto3.client("secretsmanager").get_secret_value(SecretId="x")["SecretString"]
        _cache = None
        def load():
            global _cache
            _cache = boto3.client("ssm").get_parameter(Name="/y/token")
        def handler(event, context):
            logger.info(SECRET)
            logger.info(_cache)
        """
    )
    assert [(s.what.value, s.origin, s.location.line) for s in f.sinks] == [
        ("value", "GetSecretValue response", 9),
        ("container", "GetParameter response", 10),
    ]


def test_function_return_chains_need_rounds() -> None:
    # round 1 learns b(), round 2 a(), round 3 the module-level X
    f = facts(
        """
        import os
        def a():
            return b()
        def b():
            return os.environ["API_TOKEN"]
        X = a()
        def handler(event, context):
            print(X)
        """
    )
    assert [(s.what.value, s.origin) for s in f.sinks] == [("value", "env var API_TOKEN")]


def test_methods_and_self_attributes() -> None:
    f = facts(
        """
        import os, logging
        class Client:
            def __init__(self):
                self.log = logging.getLogger()
                self.token = os.environ["API_TOKEN"]
            def token_value(self):
                return self.token
            def call(self):
                self.log.info("using %s", self.token_value())
        c = Client()
        def handler(event, context):
            return {"token": c.token_value()}
        """
    )
    assert sink_rows(f) == [("log", "value", "self.log.info", 9), ("response", "value", "return", 12)]


# --------------------------------------------------------------------------- §4 sinks

LOG_STYLES = [
    ("print", "import os\nprint(os.environ['DB_PASSWORD'])", "print"),
    ("print to stderr", "import os, sys\nprint('x', os.environ['DB_PASSWORD'], file=sys.stderr)", "print"),
    ("sys.stdout.write", "import os, sys\nsys.stdout.write(os.environ['DB_PASSWORD'])", "sys.stdout.write"),
    ("sys.stderr.write", "import os, sys\nsys.stderr.write(os.environ['DB_PASSWORD'])", "sys.stderr.write"),
    ("logging.info", "import os, logging\nlogging.info('%s', os.environ['DB_PASSWORD'])", "logging.info"),
    ("logging alias", "import os, logging as lg\nlg.error(os.environ['DB_PASSWORD'])", "lg.error"),
    (
        "logging.getLogger(...).warning",
        "import os, logging\nlogging.getLogger(__name__).warning(os.environ['DB_PASSWORD'])",
        "logging.getLogger(...).warning",
    ),
    (
        "a logger variable of any name",
        "import os, logging\nlgr = logging.getLogger()\nlgr.debug(os.environ['DB_PASSWORD'])",
        "lgr.debug",
    ),
    (
        "Powertools Logger with extra={...}",
        "import os\nfrom aws_lambda_powertools import Logger\nlogger = Logger()\n"
        "logger.info('loaded', extra={'pw': os.environ['DB_PASSWORD']})",
        "logger.info",
    ),
    (
        "Powertools append_keys",
        "import os\nfrom aws_lambda_powertools import Logger\nlogger = Logger()\n"
        "logger.append_keys(pw=os.environ['DB_PASSWORD'])",
        "logger.append_keys",
    ),
    (
        "structlog keyword",
        "import os, structlog\nlog = structlog.get_logger()\nlog.info('event', pw=os.environ['DB_PASSWORD'])",
        "log.info",
    ),
    (
        "structlog bind",
        "import os, structlog\nlog = structlog.get_logger()\nlog.bind(pw=os.environ['DB_PASSWORD'])",
        "log.bind",
    ),
    ("loguru", "import os\nfrom loguru import logger\nlogger.info(f\"{os.environ['DB_PASSWORD']}\")", "logger.info"),
    ("loguru alias", "import os\nfrom loguru import logger as L\nL.exception(os.environ['DB_PASSWORD'])", "L.exception"),
    ("self.logger", "import os\nclass A:\n    def f(self):\n        self.logger.critical(os.environ['DB_PASSWORD'])", "self.logger.critical"),
    ("app_logger", "import os\napp_logger.debug(os.environ['DB_PASSWORD'])", "app_logger.debug"),
    ("LOG", "import os\nLOG.warning(os.environ['DB_PASSWORD'])", "LOG.warning"),
    ("_log", "import os\n_log.fatal(os.environ['DB_PASSWORD'])", "_log.fatal"),
]


@pytest.mark.parametrize("src, via", [c[1:] for c in LOG_STYLES], ids=[c[0] for c in LOG_STYLES])
def test_log_sinks(src: str, via: str) -> None:
    f = extract_python("app.py", src + "\n", is_cdk=False)
    last_line = src.count("\n") + 1
    assert sink_rows(f) == [("log", "value", via, last_line)]
    assert f.sinks[0].origin == "env var DB_PASSWORD"


NOT_LOG = [
    ("setLevel", "import os, logging\nlogger = logging.getLogger()\nlogger.setLevel(os.environ['DB_PASSWORD'])"),
    ("addHandler", "import os, logging\nlogger = logging.getLogger()\nlogger.addHandler(os.environ['DB_PASSWORD'])"),
    ("a catalog is not a log", "import os\ncatalog.info(os.environ['DB_PASSWORD'])"),
    ("a list of logs", "import os\nlogs.append(os.environ['DB_PASSWORD'])"),
    ("a method named log elsewhere", "import os\nmath_helper.log(os.environ['DB_PASSWORD'])"),
]


@pytest.mark.parametrize("src", [c[1] for c in NOT_LOG], ids=[c[0] for c in NOT_LOG])
def test_not_log_sinks(src: str) -> None:
    assert extract_python("app.py", src + "\n", is_cdk=False).sinks == ()


def test_one_sink_per_call_with_the_strongest_taint() -> None:
    f = facts(
        """
        import os, boto3
        resp = boto3.client("ssm").get_parameter(Name="/x/password")
        print(resp, os.environ["DB_PASSWORD"])
        print(resp, os.environ)
        print(resp, resp)
        """
    )
    assert [(s.what.value, s.location.line) for s in f.sinks] == [
        ("value", 3),
        ("environment", 4),
        ("container", 5),
    ]


def test_response_and_error_sinks() -> None:
    f = facts(
        """
        import json, os
        TOKEN = os.environ["API_TOKEN"]
        def helper():
            return TOKEN
        def handler(event, context):
            if event.get("a"):
                return {"statusCode": 200, "body": json.dumps({"key": TOKEN})}
            if event.get("b"):
                raise ValueError(f"bad token {TOKEN}")
            if event.get("c"):
                raise RuntimeError("failed: " + TOKEN) from None
            if event.get("d"):
                err = KeyError(TOKEN)
                raise err
            if event.get("e"):
                raise ValueError("no secret here")
            return {"statusCode": 200, "body": json.dumps({"length": len(TOKEN)})}
        """
    )
    assert sink_rows(f) == [
        ("response", "value", "return", 7),
        ("error", "value", "raise ValueError", 9),
        ("error", "value", "raise RuntimeError", 11),
        ("error", "value", "raise", 14),
    ]


# --------------------------------------------------------------------------- §5 handlers

HANDLERS = [
    ("def handler(e, c)", "def handler(e, c):", True),
    ("lambda_handler", "def lambda_handler(a, b):", True),
    ("main", "def main():", True),
    ("handle", "def handle():", True),
    ("*_handler", "def orders_handler(x):", True),
    ("async def", "async def handler(event, context):", True),
    ("(event, context)", "def process(event, context):", True),
    ("(evt, ctx)", "def process(evt, ctx):", True),
    ("(_event, _context)", "def process(_event, _context):", True),
    ("(e, _ctx)", "def process(e, _ctx):", True),
    ("three params", "def process(event, context, extra):", False),
    ("wrong first name", "def process(payload, context):", False),
    ("one param", "def helper(event):", False),
    ("@logger.inject_lambda_context", "@logger.inject_lambda_context(log_event=True)\ndef run(x):", True),
    ("@tracer.capture_lambda_handler", "@tracer.capture_lambda_handler\ndef run(x):", True),
    ("@event_source(...)", "@event_source(data_class=SQSEvent)\ndef run(x):", True),
    ("@metrics.log_metrics", "@metrics.log_metrics\ndef run(x):", True),
    ("an unrelated decorator", "@functools.wraps(f)\ndef run(x):", False),
]


@pytest.mark.parametrize("header, is_handler", [c[1:] for c in HANDLERS], ids=[c[0] for c in HANDLERS])
def test_handler_detection(header: str, is_handler: bool) -> None:
    src = "import os\nSECRET = os.environ['API_TOKEN']\n" + header + "\n    return SECRET\n"
    f = extract_python("app.py", src, is_cdk=False)
    assert [s.kind.value for s in f.sinks] == (["response"] if is_handler else [])


def test_returns_outside_module_level_handlers_are_not_responses() -> None:
    f = facts(
        """
        import os
        SECRET = os.environ["API_TOKEN"]
        class Service:
            def handler(self, event, context):
                return SECRET
        def handler(event, context):
            def inner():
                return SECRET
            fn = lambda: SECRET
            return inner() is None
        """
    )
    assert f.sinks == ()


# --------------------------------------------------------------------------- §6 caches

CACHES = [
    (
        "module level: forever",
        """
        import boto3
        SECRET = boto3.client("secretsmanager").get_secret_value(SecretId="x")
        """,
        [(2, False, "forever", None)],
    ),
    (
        "module level inside an if / a class body: still init",
        """
        import boto3
        if True:
            A = boto3.client("ssm").get_parameter(Name="/a")
        class Config:
            B = boto3.client("ssm").get_parameter(Name="/b")
        """,
        [(3, False, "forever", None), (5, False, "forever", None)],
    ),
    (
        "inside a function: none",
        """
        import boto3
        def handler(event, context):
            return boto3.client("ssm").get_parameter(Name="/a")
        """,
        [(3, True, "none", None)],
    ),
    (
        "@functools.lru_cache / @lru_cache(maxsize=1) / @cache: forever",
        """
        import boto3, functools
        from functools import lru_cache, cache
        ssm = boto3.client("ssm")
        @functools.lru_cache
        def a():
            return ssm.get_parameter(Name="/a")
        @lru_cache(maxsize=1)
        def b():
            return ssm.get_parameter(Name="/b")
        @cache
        def c():
            return ssm.get_parameter(Name="/c")
        """,
        [(6, True, "forever", None), (9, True, "forever", None), (12, True, "forever", None)],
    ),
    (
        "cachetools TTLCache: ttl",
        """
        import boto3
        from cachetools import cached, TTLCache
        ssm = boto3.client("ssm")
        @cached(TTLCache(maxsize=1, ttl=300))
        def a():
            return ssm.get_parameter(Name="/a")
        @cached(cache=TTLCache(maxsize=10, ttl=60))
        def b():
            return ssm.get_parameter(Name="/b")
        """,
        [(6, True, "ttl", 300.0), (9, True, "ttl", 60.0)],
    ),
    (
        "lazy global fetched once: forever",
        """
        import boto3, json
        sm = boto3.client("secretsmanager")
        _SECRET = None
        def get_secret():
            global _SECRET
            if _SECRET is None:
                resp = sm.get_secret_value(SecretId="db")
                _SECRET = json.loads(resp["SecretString"])
            return _SECRET
        """,
        [(7, True, "forever", None)],
    ),
    (
        "lazy global with `if not X` and an early return",
        """
        import boto3
        ssm = boto3.client("ssm")
        _token = None
        _cache = {}
        def a():
            global _token
            if not _token:
                _token = ssm.get_parameter(Name="/a")["Parameter"]["Value"]
            return _token
        def b(name):
            if name in _cache:
                return _cache[name]
            _cache[name] = ssm.get_parameter(Name=name)
            return _cache[name]
        """,
        [(8, True, "forever", None), (13, True, "forever", None)],
    ),
    (
        "lazy global with a timestamp: ttl",
        """
        import boto3, time
        ssm = boto3.client("ssm")
        _value, _fetched = None, 0.0
        def a():
            global _value, _fetched
            if _value is None or time.time() - _fetched > 300:
                _value = ssm.get_parameter(Name="/a")
                _fetched = time.time()
            return _value
        def b():
            global _value, _fetched
            now = time.monotonic()
            if _value is None or now > _fetched:
                _value = ssm.get_parameter(Name="/b")
            return _value
        """,
        [(7, True, "ttl", None), (14, True, "ttl", None)],
    ),
    (
        "stored globally but not guarded: none",
        """
        import boto3
        ssm = boto3.client("ssm")
        _last = None
        def a(event):
            global _last
            if event:
                _last = ssm.get_parameter(Name="/a")
            return _last
        """,
        [(7, True, "none", None)],
    ),
    (
        "guarded by a local, not the stored global: none",
        """
        import boto3
        ssm = boto3.client("ssm")
        def a(event):
            value = None
            if value is None:
                value = ssm.get_parameter(Name="/a")
            return value
        """,
        [(6, True, "none", None)],
    ),
    (
        "Powertools: default 300 s, max_age, max_age=0, force_fetch",
        """
        from aws_lambda_powertools.utilities import parameters
        TTL = 120
        def f():
            parameters.get_parameter("/a")
            parameters.get_parameter("/b", max_age=60)
            parameters.get_parameter("/c", max_age=TTL)
            parameters.get_secret("d", max_age=0)
            parameters.get_secret("e", force_fetch=True)
        """,
        [(4, True, "ttl", 300.0), (5, True, "ttl", 60.0), (6, True, "ttl", 120.0), (7, True, "none", None),
         (8, True, "none", None)],
    ),
    (
        "Powertools at module level is still a TTL",
        """
        from aws_lambda_powertools.utilities import parameters
        KEY = parameters.get_secret("k")
        """,
        [(2, False, "ttl", 300.0)],
    ),
    (
        "extension: ttl 300",
        """
        import requests
        def f():
            requests.get("http://localhost:2773/secretsmanager/get?secretId=x")
        """,
        [(3, True, "ttl", 300.0)],
    ),
]


@pytest.mark.parametrize("src, expected", [c[1:] for c in CACHES], ids=[c[0] for c in CACHES])
def test_cache(src: str, expected: list[tuple[object, ...]]) -> None:
    assert cache_rows(facts(src)) == expected


# --------------------------------------------------------------------------- LSL503 decryption

DECRYPTION = [
    ('boto3.client("ssm").get_parameter(Name="/db/password")', False),
    ('boto3.client("ssm").get_parameter(Name="/db/password", WithDecryption=False)', False),
    ('boto3.client("ssm").get_parameter(Name="/db/password", WithDecryption=True)', True),
    ('boto3.client("ssm").get_parameters_by_path(Path="/db/", WithDecryption=True)', True),
    ('parameters.get_parameter("/db/password")', False),
    ('parameters.get_parameter("/db/password", decrypt=True)', True),
    ('parameters.get_parameter("/db/password", decrypt=False)', False),
    ('parameters.SSMProvider().get("/db/password", decrypt=True)', True),
    ('requests.get("http://localhost:2773/systemsmanager/parameters/get?name=%2Fdb%2Fpassword")', False),
    ('requests.get("http://localhost:2773/systemsmanager/parameters/get?name=%2Fdb%2Fpassword&withDecryption=true")', True),
    ('boto3.client("secretsmanager").get_secret_value(SecretId="db")', None),
]


@pytest.mark.parametrize("call, decrypted", DECRYPTION)
def test_decrypted(call: str, decrypted: bool | None) -> None:
    f = facts(
        f"""
        import boto3, requests
        from aws_lambda_powertools.utilities import parameters
        def f():
            {call}
        """
    )
    (read,) = f.secret_reads
    assert read.decrypted is decrypted
    if read.service == "ssm":
        assert read.names[0].value.startswith("/db/")


# --------------------------------------------------------------------------- §8 hardcoded

HARDCODED = [
    ("shaped literal anywhere, unbound", f'call("{STRIPE}")', [("", "Stripe live secret key", 1)]),
    ("shaped literal bound to a name", f'WEBHOOK = "{GITHUB}"', [("WEBHOOK", "GitHub token", 1)]),
    ("secret-like assignment", 'API_KEY = "hunter2-correct-horse"', [("API_KEY", NAMED, 1)]),
    ("annotated assignment", 'TOKEN: str = "abcdefgh12345"', [("TOKEN", NAMED, 1)]),
    ("self attribute", 'class A:\n    def __init__(self):\n        self.api_key = "abcdef123456"', [("self.api_key", NAMED, 3)]),
    ("class attribute", 'class A:\n    client_secret = "s3cr3t-value-x"', [("client_secret", NAMED, 2)]),
    ("keyword argument", 'connect(password="another-pass-1")', [("password", NAMED, 1)]),
    ("dict key", 'cfg = {"password": "p4ssw0rd!", "host": "db.example.com"}', [("password", NAMED, 1)]),
    ("subscript assignment", 'cfg["auth_token"] = "tok-abcdefgh"', [("auth_token", NAMED, 1)]),
    ("default parameter", 'def f(token="tok-12345678"):\n    pass', [("token", NAMED, 1)]),
    ("tuple assignment", 'SECRET_KEY, OTHER = "v4lue-for-secret-91", "x"', [("SECRET_KEY", NAMED, 1)]),
    ("os.environ.get default, non-trivial", 'import os\npw = os.environ.get("DB_PASSWORD", "realpassword99")', [("DB_PASSWORD", NAMED, 2)]),
    ("implicit concatenation is one literal", 'GH = ("ghp_16C7e42F292c6912E7710c8"\n      "38347Ae178B4a")', [("GH", "GitHub token", 1)]),
    ("f-string without substitutions", f'X = f"{STRIPE}"', [("X", "Stripe live secret key", 1)]),
    ("bytes literal", 'B = b"AKIAIOSFODNN7EXAMPLF"', [("B", "AWS access key ID", 1)]),
    ("in a __main__ block", f'if __name__ == "__main__":\n    run(key="{STRIPE}")', [("key", "Stripe live secret key", 2)]),
    ("PIN is not a secret word without extra_words", 'SHOPIFY_PIN = "83749201x"', []),
    ("too short", 'PASSWORD = "abc12"', []),
    ("trivial", 'DB_PASSWORD = "undefined"', []),
    ("weak but real", 'DB_PASSWORD = "changeme"', [("DB_PASSWORD", NAMED, 1)]),
    ("placeholder", 'DB_PASSWORD = "<your-password-here>"', []),
    ("reference: ARN", 'DB_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"', []),
    ("reference: parameter path", 'db_password = "/prod/db/password"', []),
    ("reference name", 'DB_PASSWORD_PARAM = "some-param-value"', []),
    ("os.environ.get default, trivial", 'import os\npw = os.environ.get("DB_PASSWORD", "")', []),
    ("docstrings", f'"""{STRIPE}"""\nclass A:\n    """{STRIPE}"""\n    def f(self):\n        """{STRIPE}"""', []),
    ("annotations", f'x: "{STRIPE}" = 1\ndef f(a: "{STRIPE}") -> "{STRIPE}":\n    pass', []),
    ("f-string with substitutions", f'X = f"{STRIPE[:9]}{{suffix}}{STRIPE[9:]}"', []),
    ("not secret-like name", 'GREETING = "hello-world-123"', []),
]


@pytest.mark.parametrize("src, expected", [c[1:] for c in HARDCODED], ids=[c[0] for c in HARDCODED])
def test_hardcoded(src: str, expected: list[tuple[str, str, int]]) -> None:
    assert hard_rows(extract_python("app.py", src + "\n", is_cdk=False)) == expected


def test_hardcoded_extra_words_and_mask() -> None:
    f = extract_python("app.py", 'SHOPIFY_PIN = "83749201x"\n', is_cdk=False, extra_words=("PIN",))
    assert hard_rows(f) == [("SHOPIFY_PIN", NAMED, 1)]
    (h,) = facts(f'KEY = "{STRIPE}"').hardcoded
    assert h.masked == "sk_l…(35 chars)"
    assert tuple(h.location.span) == (1, 7, 1, 7 + len(STRIPE) + 2)


CDK = f"""
import os
from aws_cdk import SecretValue, aws_lambda as lambda_
fn = lambda_.Function(self, "Fn", environment={{"API_KEY": "{STRIPE}", "DB_PASSWORD": "hunter2hunter2"}})
fn.add_environment("STRIPE_KEY", "{STRIPE}")
fn.add_environment(key="TOKEN", value="tok-abcdefgh")
fn2 = lambda_.Function(self, "Fn2", environment=dict(TOKEN="{STRIPE}"))
props = {{"environment": {{"K": "{STRIPE}"}}}}
SecretValue.unsafe_plain_text("{STRIPE}")
SecretValue.unsafe_plain_text("hunter2hunter2")
master_password = "CorrectHorse99"
x = os.environ["API_KEY"]
print(x)
"""


def test_cdk_environment_exemption_and_only_hardcoded() -> None:
    f = facts(CDK, is_cdk=True)
    assert f.is_cdk is True and f.language is Language.PYTHON
    assert hard_rows(f) == [
        ("", "Stripe live secret key", 8),
        ("master_password", NAMED, 10),
    ]
    assert f.secret_reads == () and f.env_reads == () and f.sinks == ()


def test_environment_exemption_is_for_cdk_code_only() -> None:
    f = facts(CDK, is_cdk=False)
    assert [line for _, _, line in hard_rows(f)] == [3, 3, 4, 6, 7, 8, 10]
    assert env_rows(f) == [("API_KEY", 11)]
    assert [s.via for s in f.sinks] == ["print"]


# --------------------------------------------------------------------------- syntax errors and robustness

SYNTAX_ERRORS = [
    ("unterminated string", f'x = 1\ny = "{STRIPE}\n', 2),
    ("bad def", "x = 1\n\ndef f(:\n    pass\n", 3),
    ("invalid character", "x = 1\nPASSWORD = $hunter2hunter2\n", 2),
    ("unexpected indent", "x = 1\n  y = 2\n", 2),
    ("unclosed bracket", f'x = 1\ncall("{STRIPE}",\n', 2),
]


@pytest.mark.parametrize("src, line", [c[1:] for c in SYNTAX_ERRORS], ids=[c[0] for c in SYNTAX_ERRORS])
def test_syntax_error_is_parse_error_without_source_text(src: str, line: int) -> None:
    with pytest.raises(ParseError) as info:
        extract_python("app.py", src, is_cdk=False)
    err = info.value
    assert err.line == line
    assert err.col is not None and err.col >= 1
    assert err.message.startswith("syntax error")
    for fragment in ("sk_live", "hunter2", "51HqLy"):
        assert fragment not in err.message
    assert "\n" not in err.message


DEEP = [
    ("nested brackets beyond CPython's limit", "x = " + "(" * 1600 + "1" + ")" * 1600 + "\n", "nesting too deep to analyse"),
    (
        "a fact in a long chain that exhausts libcst's recursion",
        "x = (\n" + "    a +\n" * 1500 + f'    "{STRIPE}")\n',
        "nesting too deep to analyse",
    ),
    ("a very long operator chain", "x = (\n" + "    a +\n" * 12000 + "    a)\n", "expression too long to analyse"),
]


@pytest.mark.parametrize("src, message", [c[1:] for c in DEEP], ids=[c[0] for c in DEEP])
def test_too_deep_is_parse_error(src: str, message: str) -> None:
    with pytest.raises(ParseError) as info:
        extract_python("app.py", src, is_cdk=False)
    assert info.value.message == message


def test_deep_but_legal_nesting_is_analysed() -> None:
    src = "x = " + "[" * 190 + f'"{STRIPE}"' + "]" * 190 + "\ny = " + "f(" * 190 + f'"{GITHUB}"' + ")" * 190 + "\n"
    assert [(kind, line) for _, kind, line in hard_rows(extract_python("app.py", src, is_cdk=False))] == [
        ("Stripe live secret key", 1),
        ("GitHub token", 2),
    ]


def test_invalid_unicode_is_parse_error() -> None:
    with pytest.raises(ParseError) as info:
        extract_python("app.py", 'x = 1\ny = "\udcff"\n', is_cdk=False)
    assert (info.value.message, info.value.line, info.value.col) == ("source text is not valid Unicode", 2, 6)


def test_large_flat_literals_are_fine() -> None:
    src = "TABLE = [\n" + "".join(f"    ('k{i}', {i}.5, a.b.c),\n" for i in range(4000)) + "]\n"
    assert extract_python("app.py", src, is_cdk=False).sinks == ()


def test_deep_expressions_stop_analysis_not_the_file() -> None:
    src = (
        "import os\nx = " + "-" * 150 + "1\n"
        "y = " + "[" * 150 + "os.environ['IGNORED_TOKEN']" + "]" * 150 + "\n"
        "z = (\n" + "    a +\n" * 1500 + "    a)\n"
        "print(os.environ['DB_PASSWORD'])\n"
    )
    f = extract_python("app.py", src, is_cdk=False)
    assert [(s.via, s.location.line) for s in f.sinks] == [("print", 1506)]
    assert env_rows(f) == [("DB_PASSWORD", 1506)]


@pytest.mark.parametrize("src", ["", "\n", "# only a comment", "pass", "\ufeffx = 1\n", "x = 1\r\ny = 2\r\n"])
def test_trivial_files(src: str) -> None:
    f = extract_python("app.py", src, is_cdk=False)
    assert f == CodeFacts(path="app.py", language=Language.PYTHON, is_cdk=False)


def test_positions_with_crlf_comments_and_decorators() -> None:
    src = (
        "# header\r\n\r\nimport os\r\n@decorator\r\ndef f():\r\n    # comment\r\n"
        "    x = 1; print(os.environ['DB_PASSWORD'])\r\n"
    )
    f = extract_python("app.py", src, is_cdk=False)
    assert [tuple(e.location.span) for e in f.env_reads] == [(7, 18, 7, 43)]
    assert [tuple(s.location.span) for s in f.sinks] == [(7, 12, 7, 44)]


def test_facts_never_hold_secret_values() -> None:
    f = facts(
        f"""
        import os
        KEY = "{STRIPE}"
        PASSWORD = "hunter2-correct-horse"
        def handler(event, context):
            print(KEY, PASSWORD)
            return os.environ.get("DB_PASSWORD", "realpassword99")
        """
    )
    text = repr(f)
    for value in (STRIPE, "hunter2-correct-horse", "realpassword99"):
        assert value not in text
    assert len(f.hardcoded) == 3


# --------------------------------------------------------------------------- near misses

NEAR_MISSES = [
    (
        "logging a secret's NAME",
        """
        import logging, boto3
        logger = logging.getLogger()
        SECRET_NAME = "prod/db/password"
        def handler(event, context):
            value = boto3.client("secretsmanager").get_secret_value(SecretId=SECRET_NAME)
            logger.info("fetched %s", SECRET_NAME)
        """,
    ),
    (
        "hashing before logging",
        """
        import hashlib, os
        def handler(event, context):
            secret = os.environ["API_KEY"]
            print(hashlib.sha256(secret.encode()).hexdigest()[:8])
        """,
    ),
    (
        "len(secret)",
        """
        import os, logging
        def handler(event, context):
            secret = os.environ["API_KEY"]
            logging.info("key length %d", len(secret))
        """,
    ),
    (
        "logging resp['ARN']",
        """
        import boto3, logging
        def handler(event, context):
            resp = boto3.client("secretsmanager").get_secret_value(SecretId="x")
            logging.info("fetched %s version %s", resp["ARN"], resp["VersionId"])
        """,
    ),
    (
        "logging an env var whose name is not secret-like",
        """
        import os
        def handler(event, context):
            arn = os.environ["DB_SECRET_ARN"]
            print(arn)
        """,
    ),
    (
        "returning a status after fetching a secret",
        """
        import boto3
        def handler(event, context):
            secret = boto3.client("secretsmanager").get_secret_value(SecretId="x")["SecretString"]
            use(secret)
            return {"statusCode": 200}
        """,
    ),
    (
        "returning a secret from a helper",
        """
        import boto3
        def get_secret():
            return boto3.client("secretsmanager").get_secret_value(SecretId="x")["SecretString"]
        """,
    ),
    (
        "a clean value raised",
        """
        import os
        def handler(event, context):
            if not os.environ.get("API_KEY"):
                raise RuntimeError("API_KEY is not set")
        """,
    ),
    (
        "comparing the secret",
        """
        import os
        def handler(event, context):
            ok = event["headers"]["x-api-key"] == os.environ["API_KEY"]
            print(ok)
            return {"statusCode": 200 if ok else 403}
        """,
    ),
]


@pytest.mark.parametrize("src", [c[1] for c in NEAR_MISSES], ids=[c[0] for c in NEAR_MISSES])
def test_near_misses_have_no_sinks(src: str) -> None:
    assert facts(src).sinks == ()


def test_near_miss_env_read_is_still_an_env_read() -> None:
    f = facts(NEAR_MISSES[4][1])
    assert env_rows(f) == [("DB_SECRET_ARN", 3)]


def test_a_read_under_a_cache_guard_is_cached_even_when_a_derived_value_is_stored() -> None:
    # The secret signs a token; the TOKEN is what is cached, refreshed every five minutes.
    text = '''\
import time
import boto3

ssm = boto3.client("ssm")
_token = {"jwt": None, "at": 0.0}


def _signed_token():
    if _token["jwt"] is None or time.time() - _token["at"] > 300:
        key = ssm.get_parameter(Name="/reports/signing-key", WithDecryption=True)["Parameter"]["Value"]
        _token["jwt"] = "signed:" + str(len(key))
        _token["at"] = time.time()
    return _token["jwt"]


def handler(event, context):
    return {"t": _signed_token()}
'''
    from lambda_secrets_lint.model.code import Cache
    from lambda_secrets_lint.parsers.python.extract import extract_python

    [read] = extract_python("h.py", text, is_cdk=False).secret_reads
    assert read.cache is Cache.TTL
    uncached = text.replace('        _token["jwt"] = "signed:" + str(len(key))\n        _token["at"] = time.time()\n', "")
    uncached = uncached.replace('    if _token["jwt"] is None or time.time() - _token["at"] > 300:\n', "    if True:\n")
    [read] = extract_python("h.py", uncached, is_cdk=False).secret_reads
    assert read.cache is Cache.NONE
