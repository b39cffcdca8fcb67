"""Facts about one Python handler / CDK source file (docs/design/handler-facts.md).

    extract_python(path, text, *, is_cdk, extra_words=()) -> CodeFacts

This module only re-exports the implementation in the `parsers.python`
package; importing it imports libcst, so the loader imports it only when a
Python file needs parsing.

How it works
------------
- `libcst.parse_module` once per file (after a cheap text check that the
  nesting depth cannot crash libcst's native parser, python/guard.py).
- One iterative walk over the whole tree collects hardcoded secrets (§8); for
  CDK code (is_cdk=True) that is all.
- For handler code, an abstract interpreter runs over the statements in
  source order (python/interp.py; expressions in exprs.py, calls, sources
  and sinks in calls.py, the vocabulary in vocab.py): the module body first,
  then every function / method body with the module's final bindings as
  globals. Same-module function returns, globals written inside functions
  and `self.<attr>` written in methods come from the previous round; rounds
  repeat until those stop changing (at most 3).
- Positions come from libcst's PositionProvider, resolved per top-level
  statement that holds a fact (python/positions.py).

What it covers
--------------
Sources (§1): boto3 SSM GetParameter / GetParameters / GetParametersByPath
(and its paginator), Secrets Manager GetSecretValue / BatchGetSecretValue,
with clients from `boto3.client(...)`, `<any>.client("ssm"|"secretsmanager")`
(sessions), `boto3.client(service_name=...)`, aliases, clients in module or
function scope, in `self.<attr>` of a class, or returned by a same-module
function; Powertools `parameters.*` helpers and SSMProvider / SecretsProvider
under any import alias; the Parameters and Secrets Extension over urllib
(`Request` + `urlopen`), requests / urllib3 (`get`, `request`) and
http.client connections, with the URL built from literals, f-strings, `+`,
`%`, `.format` and an env-var port; env reads (`os.environ[...]`,
`.get`, `os.getenv`, `from os import environ, getenv`), the whole environment.
A plain SSM configuration read (not decrypted, no secret-like name) is a
SecretRead whose result is not a secret for the sinks.
Propagation, cleaners and sinks follow §2-§4 (parameter default values
count as assignments; non-secret field names also match in snake_case:
`status_code`, `db_name`); handlers §5; caches §6.

Limitations (by design: simple and predictable)
-----------------------------------------------
- No alias analysis; taint is per name per scope. `obj.attr = x` is tracked
  for a plain name `obj` in the same scope, `self.attr` per class (flow-
  insensitively: any assignment in any method counts), nothing deeper.
- Loops run once; a value tainted only on a second iteration is missed.
- Same-module calls use the callee's merged return value, not per call
  site: a function returning its parameter is clean; a function returning a
  secret taints every call. Functions and classes from other modules are
  opaque (an SDK client passed in as a parameter is not recognised).
- Container taint is whole-object: `d["k"] = secret` taints all of `d`
  (except non-secret field names read back with a constant key).
- Unknown calls return clean values, except calls on a tainted receiver
  (`x.strip()`, `resp.read()`, which keep its taint), exception constructors
  (`ValueError(x)`, names ending in Error/Exception) and the listed
  propagators (str, json.loads, base64.*, .format, .join…).
- Env reads with a computed name (`os.getenv(name)`) are neither EnvReads
  nor tainted.
- Lazy fetch-once caches are recognised only when the SDK call itself sits
  in the function that stores into the module-level variable, under an
  `if` (or an early `return`) that tests that variable, or `X = X or fetch()`;
  a TTL is recognised when the guard, or any comparison in that function,
  involves time.time()/monotonic()/datetime.now()… or a variable assigned
  from one. The TTL's length is not extracted (cache_seconds None).
- Sub-expressions nested deeper than 100 levels are not analysed (clean);
  source nested deeper than libcst can handle is a ParseError ("nesting too
  deep to analyse" / "expression too long to analyse"), and so is a fact
  inside a top-level statement too deep for libcst's position pass (e.g.
  an implicit concatenation of ~1,000 string pieces). Facts in the other
  statements of such a file keep their positions.
- Syntax libcst 1.x does not know (e.g. Python 3.12 `type X = …`) is a
  ParseError even when CPython accepts it.
"""
from lambda_secrets_lint.parsers.python import extract_python

__all__ = ["extract_python"]
