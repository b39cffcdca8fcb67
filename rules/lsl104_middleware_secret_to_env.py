"""LSL104 middleware-secret-to-env."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from lambda_secrets_lint.model.code import Api, Cache, CodeFacts, MiddlewareUse
from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import NpmManifest, Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.code_common import handler_files

DOC = """\
## What it does
Flags a middy middleware configured so that the secrets it fetches are
written to `process.env`:
- middy v0.x / v1.x `ssm` without `setToContext: true` — its default target
  IS `process.env`;
- middy v2.x `ssm` or `secrets-manager` with `setToEnv: true` (the option
  exists only in v2; v3 removed it).

middy v0/v1 `secretsManager` always writes to `context` and is never
flagged; neither is v2+ without `setToEnv` (values stay in `request.internal`).
The major version comes from the nearest `package.json` at or above the
handler (`middy` → 0.x; `@middy/ssm` / `@middy/secrets-manager` /
`@middy/core` spec such as `^1.5.2`, `~2.5.7`, `2.x`; a resolved version in
`package-lock.json` wins), else from the code: `middy/middlewares` is v0,
v0/v1-only options (`names`, `paths`, `cache`, `cacheExpiryInMillis`) mean
v0/v1, and `setToEnv` with an unknown version is taken as v2.

## Why is this bad
Anything in `process.env` is inherited by every child process the function
spawns, is dumped by the first `console.log(process.env)` or error reporter
that serializes the environment, and is readable by every dependency in the
bundle without any call that could be audited. The middy v2 README itself
says "Storing secrets in process.env is considered security bad practice".

## Example
```js
const middy = require('@middy/core'); // "@middy/core": "^1.5.2"
const ssm = require('@middy/ssm');

module.exports.handler = middy(baseHandler).use(ssm({
  cache: true,
  cacheExpiryInMillis: 300000,
  names: { STRIPE_API_KEY: '/prod/payments/stripe-api-key' },
}));
```

## Use instead
v0/v1: keep the values on the Lambda context:
```js
ssm({ cache: true, cacheExpiryInMillis: 300000, setToContext: true,
      names: { stripeApiKey: '/prod/payments/stripe-api-key' } })
// in the handler: context.stripeApiKey
```
v2+: drop `setToEnv`; read the values with `getInternal` (or
`setToContext: true`):
```js
.use(ssm({ fetchData: { stripeApiKey: '/prod/payments/stripe-api-key' }, cacheExpiry: 300000 }))
.before(async (request) => {
  Object.assign(request.context, await getInternal(['stripeApiKey'], request))
})
```

## References
- [middy ssm middleware](https://middy.js.org/docs/middlewares/ssm)
- [middy secrets-manager middleware](https://middy.js.org/docs/middlewares/secrets-manager)
- [middy 1.x ssm README (setToContext, default target process.env)](https://github.com/middyjs/middy/tree/1.x/packages/ssm)
- [CWE-526: Exposure of Sensitive Information Through Environmental Variables](https://cwe.mitre.org/data/definitions/526.html)
"""

INVALID_PACKAGE = """\
{
  "name": "payments-webhook",
  "version": "1.4.0",
  "private": true,
  "dependencies": {
    "@middy/core": "^1.5.2",
    "@middy/ssm": "^1.5.2"
  }
}
"""

INVALID_HANDLER = """\
const middy = require('@middy/core');
const ssm = require('@middy/ssm');

const baseHandler = async (event) => {
  const ok = Boolean(event.body);
  return { statusCode: ok ? 202 : 400 };
};

module.exports.handler = middy(baseHandler).use(ssm({ // expect: LSL104
  cache: true,
  cacheExpiryInMillis: 300000,
  names: { STRIPE_API_KEY: '/prod/payments/stripe-api-key' },
}));
"""

VALID_HANDLER = """\
const middy = require('@middy/core');
const ssm = require('@middy/ssm');

const baseHandler = async (event, context) => {
  const ok = Boolean(event.body) && Boolean(context.stripeApiKey);
  return { statusCode: ok ? 202 : 400 };
};

module.exports.handler = middy(baseHandler).use(ssm({
  cache: true,
  cacheExpiryInMillis: 300000,
  setToContext: true,
  names: { stripeApiKey: '/prod/payments/stripe-api-key' },
}));
"""

# Options that only middy v0/v1 know (REFERENCE.md §A.1) and only v2+ know (§A.2).
_LEGACY_OPTIONS = frozenset({"cache", "cacheExpiryInMillis"})
_MODERN_OPTIONS = frozenset({"cacheExpiry", "disablePrefetch", "setToEnv"})
_OWN_PACKAGE = {"ssm": "@middy/ssm", "secretsManager": "@middy/secrets-manager"}
_SPEC = re.compile(r"[\^~=v\s]*(\d+)(?:\.(?:\d+|[xX*])){0,2}(?:[-+][0-9A-Za-z.-]*)?\s*")


def spec_major(spec: str) -> int | None:
    """`^1.5.2` → 1, `~2.5.7` → 2, `2.x` → 2, `4.7.0` → 4 (also a resolved
    lockfile version); `latest`, `*`, open ranges (`>=1`), hyphen ranges,
    git/file/workspace specs and `||` unions across majors → None."""
    text = spec.strip()
    if text.startswith("npm:"):  # alias: npm:@middy/ssm@^2.0.0
        text = text.rsplit("@", 1)[-1]
    majors = set()
    for part in text.split("||"):
        m = _SPEC.fullmatch(part)
        if m is None:
            return None
        majors.add(int(m.group(1)))
    return majors.pop() if len(majors) == 1 else None


def _major_from_manifest(manifest: NpmManifest, mw: MiddlewareUse) -> tuple[int, str] | None:
    names = [_OWN_PACKAGE.get(mw.middleware, ""), "@middy/core"]
    for name in names:
        spec = manifest.version_of(name)
        if spec is None:
            continue
        major = spec_major(spec)
        if major is not None:
            return major, f"{name} {spec} in {manifest.path}"
    if manifest.version_of("middy") is not None:
        return 0, f"middy {manifest.version_of('middy')} in {manifest.path}"
    return None


def _manifests_above(project: Project, code_path: str) -> list[NpmManifest]:
    """package.json files at or above the file's directory, nearest first."""
    by_dir = {str(PurePosixPath(m.path).parent): m for m in project.npm_manifests}
    out = []
    d = PurePosixPath(code_path).parent
    for candidate in (d, *d.parents):
        m = by_dir.get(str(candidate))
        if m is not None:
            out.append(m)
    return out


def _legacy_from_reads(facts: CodeFacts, mw: MiddlewareUse) -> bool | None:
    """Without cache options, the extractor's cache verdict reveals the option
    model: v0/v1 caching is off by default (NONE), v2+ caches forever."""
    service = "ssm" if mw.middleware == "ssm" else "secretsmanager"
    caches = {
        r.cache
        for r in facts.secret_reads
        if r.api is Api.MIDDY and r.service == service and r.location.line == mw.location.line
    }
    if caches == {Cache.NONE}:
        return True
    if caches == {Cache.FOREVER}:
        return False
    return None


def middy_major(project: Project, facts: CodeFacts, mw: MiddlewareUse) -> tuple[int | None, str]:
    """(major, where it was read) from the import path or the nearest
    package.json declaring middy; (None, "") when neither says."""
    if mw.package == "middy/middlewares":
        return 0, "import from 'middy/middlewares'"
    for manifest in _manifests_above(project, facts.path):
        found = _major_from_manifest(manifest, mw)
        if found is not None:
            return found
    return None, ""


def _code_says_legacy(facts: CodeFacts, mw: MiddlewareUse) -> bool | None:
    opts = {k for k, _ in mw.options}
    if opts & _LEGACY_OPTIONS:
        return True
    if opts & _MODERN_OPTIONS:
        return False
    return _legacy_from_reads(facts, mw)


def _option(mw: MiddlewareUse, name: str) -> str | None:
    for k, v in mw.options:
        if k == name:
            return v
    return None


class MiddlewareSecretToEnv(BaseRule):
    meta = RuleMeta(
        id="LSL104",
        name="middleware-secret-to-env",
        level=Level.ERROR,
        summary="A middy middleware writes fetched secrets to process.env",
        doc=DOC,
        tags=("security", "secrets", "middy"),
        cwe=("CWE-526",),
        precision="high",
        security_severity="6.5",
        valid=(
            Example(
                {"package.json": INVALID_PACKAGE, "src/handler.js": VALID_HANDLER},
                "middy 1.x ssm with setToContext: true",
            ),
        ),
        invalid=(
            Example(
                {"package.json": INVALID_PACKAGE, "src/handler.js": INVALID_HANDLER},
                "middy 1.x ssm writes to process.env by default",
            ),
        ),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        for facts in handler_files(project):
            for mw in facts.middlewares:
                finding = self._judge(project, facts, mw)
                if finding is not None:
                    yield finding

    def _judge(self, project: Project, facts: CodeFacts, mw: MiddlewareUse) -> Finding | None:
        major, source = middy_major(project, facts, mw)
        to_env = _option(mw, "setToEnv") == "true"
        # setToContext: a non-literal value is taken as set (as the extractor does).
        to_context = _option(mw, "setToContext") not in (None, "false")
        keys = ",".join(k for k, _ in mw.fetch_keys)
        label = "ssm" if mw.middleware == "ssm" else "secrets-manager"
        if major is None:
            if to_env:
                major, source = 2, "assumed 2.x, the only major with setToEnv"
            else:
                if not _code_says_legacy(facts, mw):
                    return None  # v2+ or unknown: without setToEnv nothing reaches process.env
                major, source = -1, "inferred from its v0/v1-style options"
        if major <= 1:
            if mw.middleware != "ssm" or to_context:
                return None  # v0/v1 secretsManager always writes to context
            version = {0: "0.x", 1: "1.x"}.get(major, "0.x/1.x")
            return self.finding(
                f"middy {version} ssm middleware writes the fetched parameters to process.env because "
                f"'setToContext: true' is not set (its default target is process.env; version: {source}); "
                "set setToContext: true and read them from the Lambda context",
                mw.location,
                f"middy:{mw.middleware}:default-env:{keys}",
            )
        if major == 2 and to_env:
            return self.finding(
                f"middy 2.x {label} middleware has 'setToEnv: true', which copies the fetched secrets into "
                f"process.env (version: {source}); drop setToEnv and read them with getInternal or "
                "setToContext: true",
                mw.location,
                f"middy:{mw.middleware}:setToEnv:{keys}",
            )
        return None
