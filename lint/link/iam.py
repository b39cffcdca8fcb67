"""Join each function to its handler code, to the secrets that code reads,
and to the IAM actions those reads need (docs/design/iam-linking.md).

Pure: reads the Project, never the disk. The LSL3xx rules share one result
per Project (`links_for`). Whatever cannot be joined becomes a note for
`--verbose` and no finding.
"""
from __future__ import annotations

import posixpath
from bisect import bisect_left
from collections.abc import Collection
from dataclasses import dataclass

from lambda_secrets_lint.iam.arns import is_complete_secret_arn, secret_arn_patterns, ssm_parameter_arn
from lambda_secrets_lint.iam.policy import patterns_intersect, required_actions
from lambda_secrets_lint.link.handlers import HandlerLink, resolve_handler
from lambda_secrets_lint.link.imports import closure
from lambda_secrets_lint.model.code import CodeFacts, NameKind, SecretName, SecretRead
from lambda_secrets_lint.model.infra import CodeRef, LambdaFunction, SecretStore, Template
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.model.project import Project

_SERVICE_WORDS = {"ssm": "SSM parameter", "secretsmanager": "secret"}


@dataclass(frozen=True, slots=True)
class ResolvedRead:
    """One name of one SecretRead, resolved to the resource IAM checks."""

    read: SecretRead
    path: str  # the code file holding the read
    service: str
    resource: str  # ARN glob
    actions: tuple[str, ...]  # IAM actions on `resource`
    kms_key: str  # customer-managed key ARN glob that must allow kms:Decrypt, or ""
    label: str  # "SSM parameter '/orders/db-url' (env var DB_PARAM)"
    via_env: bool  # the name came from an env var the function sets
    # Other spellings IAM may check the same request against (a path with
    # and without its trailing slash); a grant on any of them suffices.
    alternatives: tuple[str, ...] = ()
    # What the read can return, for "is this grant used?" (LSL303): a path
    # read uses grants on everything under the path.
    usage: str = ""


@dataclass(frozen=True, slots=True)
class FunctionLink:
    template: Template
    function: LambdaFunction
    handler: str | None  # the handler file, when found
    # Resolvable reads that run for this function (LSL301): the handler file's,
    # and those in the local modules it imports that run at import or read an
    # env var this function sets.
    handler_reads: tuple[ResolvedRead, ...]
    code_reads: tuple[ResolvedRead, ...]  # resolvable reads in every file the function ships (LSL303)
    code_known: bool  # code linked and every read in it resolvable: "never reads X" can be claimed

    @property
    def handler_location(self) -> "Location | None":
        return Location(self.handler, Span.point(1)) if self.handler else None


@dataclass(frozen=True, slots=True)
class Links:
    functions: tuple[FunctionLink, ...]
    notes: tuple[str, ...]


# The three LSL3xx rules run one after another on the same Project: keep the
# last result (compared by identity; a Project is immutable).
_LAST: list[tuple[Project, "Links"]] = []


def links_for(project: Project) -> Links:
    """The links of a project, computed once and shared by the LSL3xx rules."""
    if _LAST and _LAST[0][0] is project:
        return _LAST[0][1]
    result = link(project)
    _LAST[:] = [(project, result)]
    return result


def link(project: Project) -> Links:
    files = {f.path for f in project.files}
    facts = {c.path: c for c in project.code if not c.is_cdk}
    stores = tuple(s for t in project.templates for s in t.stores)
    notes: list[str] = []
    found: list[tuple[Template, LambdaFunction, HandlerLink | None, str]] = []
    for template in project.templates:
        for fn in template.functions:
            role = fn.role
            if role is not None and (not role.known or role.partial):
                why = role.partial or "the role is not visible"
                notes.append(f"{template.path}: function {fn.logical_id}: {why}; missing grants are not reported")
            handler, root = _handler_of(template, fn, files, notes)
            found.append((template, fn, handler, root))
    # One file may hold the handlers of several functions (SAM's app.py with
    # checkout_handler and fulfil_handler): a read inside another function's
    # handler does not belong to this one.
    handlers_in: dict[str, set[str]] = {}
    for _, _, handler, _ in found:
        if handler is not None and handler.path is not None:
            handlers_in.setdefault(handler.path, set()).add(_top_name(handler.function_name))
    out: list[FunctionLink] = []
    sorted_paths = sorted(facts)
    for template, fn, handler, root in found:
        if handler is None or handler.path is None:
            out.append(FunctionLink(template, fn, None, (), (), False))
            continue
        where = f"{template.path}: function {fn.logical_id}"
        own = _top_name(handler.function_name)
        foreign = frozenset(handlers_in.get(handler.path, set()) - {own})
        handler_facts = facts.get(handler.path)
        if handler_facts is None:
            # CDK app code, or a file that did not parse: nothing is known about its reads.
            notes.append(f"{where}: handler file {handler.path} was not analysed as handler code")
            out.append(FunctionLink(template, fn, handler.path, (), (), False))
            continue
        handler_reads, code_ok = _resolve_reads(handler_facts, fn, stores, notes, where, foreign)
        imported = closure(handler.path, root, facts, files)
        # Reads in imported helpers run for this function when they run at
        # import (module level), or when they read an env var this function
        # sets (it passes that name for a reason). A helper function reading
        # a literal name may serve another handler: not counted for LSL301.
        runs: list[ResolvedRead] = list(handler_reads)
        for path in imported:
            reads, _ = _resolve_reads(facts[path], fn, stores, notes, where, frozenset())
            runs.extend(r for r in reads if not r.read.in_function or r.via_env)
        # "Never read" (LSL303) is judged on everything the function may ship:
        # its imports and every file under its code root — except for bundled
        # functions (esbuild entry points: CDK NodejsFunction, SAM esbuild),
        # which ship exactly what the entry imports.
        code_reads = list(handler_reads)
        bundled = bool(fn.code is not None and fn.code.entry_points)
        shipped = imported if bundled else (*imported, *_paths_under(sorted_paths, root))
        for path in dict.fromkeys(shipped):
            other = facts[path]
            if path != handler.path and other.secret_reads:
                reads, ok = _resolve_reads(other, fn, stores, notes, where, frozenset())
                code_reads.extend(reads)
                code_ok = code_ok and ok
        out.append(FunctionLink(template, fn, handler.path, _unique(runs), tuple(code_reads), code_ok))
    return Links(tuple(out), tuple(dict.fromkeys(notes)))


def _unique(reads: list[ResolvedRead]) -> tuple[ResolvedRead, ...]:
    seen: set[tuple[object, str, str]] = set()
    out: list[ResolvedRead] = []
    for r in reads:
        key = (r.read.location, r.resource, r.label)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return tuple(out)


def _top_name(function_name: str) -> str:
    return function_name.split(".", 1)[0]


def _handler_of(template: Template, fn: LambdaFunction, files: Collection[str], notes: list[str]) -> tuple[HandlerLink | None, str]:
    where = f"{template.path}: function {fn.logical_id}"
    if fn.code is None or fn.code.root is None:
        notes.append(f"{where}: its code is not in the repository or not static; not linked")
        return None, ""
    if fn.code.inline:
        notes.append(f"{where}: inline code is not analysed for IAM linking")
        return None, ""
    handler, root = _resolve(fn.code, template.path, files)
    if handler.path is None:
        tried = ", ".join(handler.tried) or "no candidate"
        notes.append(f"{where}: handler {fn.code.handler!r} not found (tried {tried})")
    return handler, root


def _resolve(code: CodeRef, template_path: str, files: Collection[str]) -> tuple[HandlerLink, str]:
    if not code.cwd_relative:
        return resolve_handler(code, files), code.root or ""
    # CDK: relative to the directory `cdk` runs in, an ancestor of the app file.
    directory = posixpath.dirname(template_path)
    last = HandlerLink(None, "", ())
    tried: list[str] = []
    while True:
        root = posixpath.normpath(posixpath.join(directory, code.root or "")) if directory else posixpath.normpath(code.root or ".")
        root = "" if root == "." else root
        candidate = CodeRef(root, code.handler, code.runtime, code.inline, code.entry_points)
        last = resolve_handler(candidate, files)
        tried.extend(last.tried)
        if last.path is not None:
            return last, root
        if not directory:
            return HandlerLink(None, last.function_name, tuple(tried)), ""
        directory = posixpath.dirname(directory)


def _paths_under(sorted_paths: list[str], root: str) -> list[str]:
    """The paths inside directory `root` ("" = everything), by bisection:
    linking stays linear in practice however many handler files there are."""
    if not root:
        return sorted_paths
    prefix = root + "/"
    start = bisect_left(sorted_paths, prefix)
    end = bisect_left(sorted_paths, prefix[:-1] + chr(ord("/") + 1))
    return sorted_paths[start:end]


def _resolve_reads(
    facts: CodeFacts | None, fn: LambdaFunction, stores: tuple[SecretStore, ...], notes: list[str], where: str,
    foreign: frozenset[str],
) -> tuple[list[ResolvedRead], bool]:
    if facts is None:
        return [], True
    out: list[ResolvedRead] = []
    complete = True
    for read in facts.secret_reads:
        if foreign and facts.enclosing(read.location.line) in foreign:
            continue
        for name in read.names:
            if name.kind is NameKind.ENV and fn.env_var(name.value) is None:
                # This function does not set that variable: the read belongs to
                # another function sharing the code (or fails here), so it
                # neither needs nor uses a grant of this role.
                notes.append(f"{where}: {facts.path}:{read.location.line}: env var {name.value} is not set on this function; read ignored")
                continue
            resolved = _resolve_name(read, name, fn, stores, facts.path)
            if resolved is None:
                complete = False
                notes.append(f"{where}: {facts.path}:{read.location.line}: the {_SERVICE_WORDS.get(read.service, read.service)} name is not static ({_describe(name)})")
                continue
            out.append(resolved)
        if not read.names:
            complete = False
    return out, complete


def _describe(name: SecretName) -> str:
    if name.kind is NameKind.ENV:
        return f"the value of env var {name.value} is not static"
    return "computed at runtime"


def _resolve_name(read: SecretRead, name: SecretName, fn: LambdaFunction, stores: tuple[SecretStore, ...], path: str) -> ResolvedRead | None:
    via = ""
    if name.kind in (NameKind.LITERAL, NameKind.PATH):
        text = name.value
    elif name.kind is NameKind.ENV:
        var = fn.env_var(name.value)
        text = var.value.pattern if var is not None else None
        via = f" (env var {name.value})"
    else:
        return None
    if not text or not text.strip("*/:"):
        return None
    service = read.service
    is_path = name.kind is NameKind.PATH or read.action == "ssm:GetParametersByPath"
    resource = resource_pattern(service, text, is_path)
    if resource is None:
        return None
    try:
        actions = required_actions(service, read.action, False)
    except ValueError:
        return None
    kms = ""
    if read.decrypted is not False:
        for store in stores:
            if store.kms_key and store.service == service and patterns_intersect(resource_pattern(service, store.name, False) or "", resource):
                kms = store.kms_key
                break
    shown = text if len(text) <= 120 else text[:117] + "..."
    if _may_be_a_secret(text, name.value if name.kind is NameKind.ENV else ""):
        from lambda_secrets_lint.secrets.masking import mask

        shown = mask(text)
    label = f"{_SERVICE_WORDS.get(service, service)} {'path ' if is_path else ''}{shown!r}{via}"
    alternatives: tuple[str, ...] = ()
    usage = resource
    if is_path and service == "ssm" and resource.endswith("/"):
        alternatives = (resource.rstrip("/"),)
        usage = resource + "*"
    elif service == "secretsmanager":
        alternatives = _secret_alternatives(text)
    return ResolvedRead(read, path, service, resource, actions, kms, label, name.kind is NameKind.ENV, alternatives, usage)


def _may_be_a_secret(text: str, env_name: str) -> bool:
    """The "name" could be the secret itself: a known credential shape, or
    the literal value of a secret-like env var that is no reference
    (`API_KEY: Xk3j…` read as `SecretId=os.environ["API_KEY"]`) — the very
    mistake LSL101 reports. Such text is masked in messages."""
    from lambda_secrets_lint.secrets.names import is_secret_name
    from lambda_secrets_lint.secrets.values import credential_shape, is_reference_value

    if credential_shape(text) is not None:
        return True
    return bool(env_name) and is_secret_name(env_name) and not is_reference_value(text)


def resource_pattern(service: str, text: str, is_path: bool) -> str | None:
    """The ARN glob IAM authorises a read of `text` (a name, path or ARN) against."""
    if service == "ssm":
        if is_path:
            # GetParametersByPath is authorised on the path itself (REFERENCE.md
            # §C), not on the parameters under it: `parameter/a/` (or `parameter/a`)
            # must be allowed; a grant on `parameter/a/x` alone does not do.
            return ssm_parameter_arn(text.rstrip("/") + "/" if not text.startswith("arn:") else text)
        return ssm_parameter_arn(text)
    if service == "secretsmanager":
        if text.startswith("arn:") and (text.endswith("-??????") or text.endswith("-*")):
            return text
        return secret_arn_patterns(text)[0]


def _secret_alternatives(text: str) -> tuple[str, ...]:
    """`…:secret:orders/db-secret` looks complete (a 6-char tail) but may be a
    partial ARN of a secret named so: accept a grant for either reading."""
    if text.startswith("arn:") and is_complete_secret_arn(text):
        return (text + "-??????",)
    return ()
    return None


def conditional_notes(links: Links) -> tuple[str, ...]:
    """--verbose: reads allowed only through a statement with a Condition (or
    one a Deny with a Condition may block). LSL301 treats them as "may allow"
    and stays silent; this says so."""
    from lambda_secrets_lint.iam.policy import evaluate

    out: list[str] = []
    for fl in links.functions:
        role = fl.function.role
        if role is None or not role.known or role.partial:
            continue
        for rr in fl.handler_reads:
            for action in rr.actions:
                decisions = [evaluate(role.statements, action, r) for r in (rr.resource, *rr.alternatives)]
                allowed = [d for d in decisions if d.allowed]
                if allowed and all(d.conditional for d in allowed):
                    origins = ", ".join(sorted({st.source for d in allowed for st in d.allowing + d.denying if st.source}))
                    out.append(
                        f"{fl.template.path}: function {fl.function.logical_id}: {rr.path}:{rr.read.location.line}: "
                        f"{action} on {rr.label} is allowed only under a Condition"
                        f"{' (' + origins + ')' if origins else ''}; not reported as missing"
                    )
    return tuple(out)


def origin_words(origin: str) -> str:
    """A grant's origin for a message: code (`dbSecret.grantRead(fn)`) in
    backticks, words ("SAM policy template X") as they are."""
    first = origin.split(" ", 1)[0]
    return f"`{origin}`" if "(" in origin or "." in first or "_" in first else origin


def functions_by_role(links: Links) -> dict[tuple[str, str, object], list[FunctionLink]]:
    """Functions grouped by the role they share (SAM's generated roles and
    CDK's default roles are one per function)."""
    groups: dict[tuple[str, str, object], list[FunctionLink]] = {}
    for fl in links.functions:
        role = fl.function.role
        if role is None:
            continue
        # Terraform: one role in iam.tf may serve functions of several files.
        where = role.location.path if role.location is not None else fl.template.path
        key = (where, role.name or f"<{fl.function.logical_id}>", role.location)
        groups.setdefault(key, []).append(fl)
    return groups
