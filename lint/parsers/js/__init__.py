"""JavaScript / TypeScript handler facts with tree-sitter (docs/design/handler-facts.md).

`extract_js` is the only public name; `lambda_secrets_lint.parsers.js_code`
re-exports it for the loader.

Modules:
- extract.py: the entry point (parse, syntax errors, CDK mode, facts);
- grammar.py: tree-sitter grammars / parsers / queries, built once per process;
- text.py: node text, code-point positions, string decoding, callee rendering;
- absval.py: the abstract value (`AV`) and how taint joins;
- symbols.py / vocab.py: what imported names, fields, methods and URLs mean;
- analyzer.py (+ statements.py, expressions.py, calls.py, sources.py): the
  taint interpreter, its statements, expressions, calls and secret sources;
- hardcoded.py: credential literals (LSL205).

Interpretations of the spec (where it is silent or leaves a choice):
- A plain SSM read without decryption is clean when its name is not
  secret-like; for a template / concatenated name the literal text decides
  (`/${stage}/api-token` is secret), a name nothing is known about stays secret.
- Lambda context fields (`context.functionName`, `awsRequestId`,
  `getRemainingTimeInMillis()`, …) stay clean after middy put secrets on it.
- middy v0/v1 `secretsManager` always fills `context` (REFERENCE A.1); v0/v1
  `ssm` without `setToContext`, and v2 `setToEnv: true`, fill `process.env`:
  reading those keys is VALUE ("middy ssm process.env.KEY"). A hook that does
  `Object.assign(request.context, …)` / `request.context.k = …` with a secret
  makes the base handler's context a CONTAINER.
- middy is v0/v1 for `middy/middlewares`, or for `cache` / `cacheExpiryInMillis`
  / `names` / `paths` / `secrets` options without `fetchData`. Non-literal
  cache options, Powertools `maxAge`: TTL with unknown seconds; a non-literal
  `setToContext` counts as true.
- Lazy fetch-once caches are judged where the value is STORED: a module
  variable (also `Map#set` guarded by `has`, and `this.x` in a class method,
  the instance assumed to be a module singleton), one level through a helper
  (`if (!s) s = await loadSecret()`); storing at module level (`const cfg =
  load()`) is FOREVER too, with `in_function` still True for the read.
- `callback(err)` with a tainted error is an ERROR sink ("callback");
  `export default …` is never a handler (Lambda resolves a named export);
  `export const handler = wrap(fn)` makes `fn` a handler.
- Containers: an object/array literal holding a VALUE is a VALUE; iterating a
  CONTAINER (`for await (const page of paginator)`) yields containers;
  indexing / array-destructuring one yields values.
- `const env = process.env; env.X` is an EnvRead like `process.env.X`; the
  `...rest` of a `process.env` destructuring is ENVIRONMENT.
- A literal reaches its name through `||`, `??`, ternaries and TS casts, so a
  non-trivial fallback `process.env.API_KEY || 'abc…'` is reported (as the
  Python spec does for non-trivial `os.environ.get` defaults). In CDK code the
  `environment` exemption also covers `environment: common` / `{...common}`
  when `common`'s object literal is in the same file.
- `Sink.via` is rendered from the callee's structure, never from argument
  text (`getLogger().info`, `throw new errors.ConfigError`);
  `MiddlewareUse.options` only carries booleans and numbers ("?" otherwise).

Limitations:
- One module at a time: helpers imported from other files are unknown (a
  secret returned by `import { getSecret } from './lib/secrets'` is clean).
- No alias analysis; one variable map per function (block scoping merged);
  loops run once; nested functions see variables as of their definition
  (module-level functions see the end-of-module state); a function that
  returns its parameter's taint is not tracked (spec §2: not required).
- Functions passed by reference (`.then(console.log)`) are not sinks;
  `context.succeed/done` are not RESPONSE sinks; dynamic `import()` and
  `require(variable)` are ignored.
- The extension is recognised from URL text visible in the module (literal,
  template, constant, `new URL(path, base)`, `http.get({hostname, port, path})`,
  `axios.create({ baseURL })`); the token header alone is not enough.
- Nesting deeper than `vocab.MAX_DEPTH` (100) is not analysed (the rest of
  the file is).
- A syntax error is reported where tree-sitter's first ERROR node starts,
  which can be the start of the statement around the actual mistake.
"""
from lambda_secrets_lint.parsers.js.extract import extract_js

__all__ = ["extract_js"]
