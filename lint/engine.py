"""One run: discover → read & parse (once per file) → Project → rules →
suppressions / baseline → RunResult. Everything a reporter needs, nothing
printed here."""
from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from lambda_secrets_lint import fingerprints
from lambda_secrets_lint.baseline import Baseline
from lambda_secrets_lint.config import Config
from lambda_secrets_lint.discovery import FileKind, Walker
from lambda_secrets_lint.model.code import CodeFacts
from lambda_secrets_lint.model.dependencies import Manifest
from lambda_secrets_lint.model.findings import Finding, Level, Suppression, dedupe
from lambda_secrets_lint.model.infra import Template
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.model.project import CdkContextFile, NpmManifest, Project, SourceFile
from lambda_secrets_lint.model.results import RunResult
from lambda_secrets_lint.rule import Rule, Settings
from lambda_secrets_lint.suppressions import InlineDirective, matches

PARSE_ERROR = ("LSL000", "parse-error")
UNUSED = ("LSL900", "unused-suppression")


def find_root(first: Path) -> Path:
    """The git work tree holding the first path, else the first path's
    directory: finding paths are relative to it (SARIF wants repo-relative)."""
    start = first if first.is_dir() else first.parent
    start = Path(os.path.abspath(start))
    for d in [start, *start.parents]:
        if (d / ".git").exists():
            return d
    return start


def notification(path: str, message: str, line: int = 1, col: int = 1) -> Finding:
    return Finding(
        rule_id=PARSE_ERROR[0],
        rule_name=PARSE_ERROR[1],
        level=Level.WARNING,
        message=message,
        location=Location(path, Span(line, col, line, col + 1)),
        fingerprint_key=f"parse:{message.split(':', 1)[0]}",
    )


@dataclass
class _Loaded:
    files: list[SourceFile] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    code: list[CodeFacts] = field(default_factory=list)
    notices: list[Finding] = field(default_factory=list)
    directives: dict[str, tuple[InlineDirective, ...]] = field(default_factory=dict)
    cdk_contexts: list[CdkContextFile] = field(default_factory=list)
    npm_manifests: list[NpmManifest] = field(default_factory=list)
    manifests: list[Manifest] = field(default_factory=list)


# Below this many files a process pool costs more to start than it saves.
PARALLEL_MIN_FILES = 200


def _load_one(args: tuple[str, Path, FileKind, int, tuple[str, ...]]):  # type: ignore[no-untyped-def]
    from lambda_secrets_lint.parsers.load import load_file  # parsers import lazily

    return load_file(*args)


def _loaded_items(items: list, config: Config, jobs: int, progress: Callable[[str], None] | None):  # type: ignore[no-untyped-def]
    """(item, Loaded) pairs; in a process pool when it pays off. Each file is
    still read and parsed exactly once, by exactly one process."""
    args = [(i.rel_path, i.abspath, i.kind, config.max_file_size, config.extra_secret_words) for i in items]
    workers = min(jobs, len(items) // (PARALLEL_MIN_FILES // 2) or 1)
    if workers > 1:
        import concurrent.futures
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        try:
            with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
                for item, loaded in zip(items, pool.map(_load_one, args, chunksize=32)):
                    if progress:
                        progress(item.rel_path)
                    yield item, loaded
            return
        except (OSError, concurrent.futures.process.BrokenProcessPool):
            pass  # no processes available here (sandbox, limits): do it in this one
    for item, a in zip(items, args):
        if progress:
            progress(item.rel_path)
        yield item, _load_one(a)


def _load(walker: Walker, paths: Sequence[Path], config: Config, progress: Callable[[str], None] | None,
          jobs: int = 1) -> _Loaded:
    out = _Loaded()
    items = list(walker.walk(paths))
    for item, loaded in _loaded_items(items, config, jobs, progress):
        if loaded.kind is None:
            continue
        out.files.append(SourceFile(item.rel_path, loaded.kind.value, item.abspath))
        out.notices.extend(loaded.notices)
        if loaded.template is not None:
            out.templates.append(loaded.template)
        if loaded.code is not None:
            out.code.append(loaded.code)
        if loaded.directives:
            out.directives[item.rel_path] = loaded.directives
        if loaded.cdk_context is not None:
            out.cdk_contexts.append(loaded.cdk_context)
        if loaded.npm_manifest is not None:
            out.npm_manifests.append(loaded.npm_manifest)
        if loaded.manifest is not None:
            out.manifests.append(loaded.manifest)
    _follow_includes(out, walker, config)
    for problem in walker.problems:
        out.notices.append(notification(problem.rel_path, f"{problem.message}; skipped"))
    return out


def _follow_includes(out: _Loaded, walker: Walker, config: Config) -> None:
    """requirements files pull in others (`-r base.txt`, `-c constraints.txt`)
    whose names discovery does not recognise: read those too, once, if they
    are inside the project and not excluded."""
    from lambda_secrets_lint.parsers.load import load_manifest

    seen = {f.path for f in out.files}
    queue = [inc for m in out.manifests for inc in m.includes]
    while queue:
        rel = queue.pop(0)
        if rel in seen or rel.startswith(("../", "/")) or rel == "..":
            continue
        seen.add(rel)
        abspath = walker.root / rel
        if not abspath.is_file() or walker.is_excluded(rel):
            continue
        try:
            loaded = load_manifest(rel, abspath, FileKind.PYPI_MANIFEST, config.max_file_size, kind_override="requirements")
        except Exception as exc:  # noqa: BLE001 - one bad file never ends the run
            out.notices.append(notification(rel, f"internal error while analysing this file ({type(exc).__name__}); please report it"))
            continue
        out.files.append(SourceFile(rel, FileKind.PYPI_MANIFEST.value, abspath))
        out.notices.extend(loaded.notices)
        if loaded.directives:
            out.directives[rel] = loaded.directives
        if loaded.manifest is not None:
            out.manifests.append(loaded.manifest)
            queue.extend(loaded.manifest.includes)


@dataclass(frozen=True)
class RunOptions:
    paths: tuple[Path, ...]
    config: Config
    selected: frozenset[str]
    baseline: Baseline | None = None
    root: Path | None = None
    jobs: int = 1  # worker processes for reading and parsing; 0 = one per CPU


def run(rules: Sequence[Rule], options: RunOptions, progress: Callable[[str], None] | None = None) -> RunResult:
    # Parsing builds millions of small, acyclic, long-lived objects; the
    # default collector thresholds make CPython rescan them over and over
    # (~15% of a large run). Collect rarely during the run, then restore.
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 50, 100)
    try:
        return _run(rules, options, progress)
    finally:
        gc.set_threshold(*thresholds)


def _run(rules: Sequence[Rule], options: RunOptions, progress: Callable[[str], None] | None) -> RunResult:
    root = Path(os.path.abspath(options.root)) if options.root else find_root(options.paths[0])
    config = options.config
    walker = Walker(root, config.exclude, config.respect_gitignore)
    jobs = options.jobs or (os.cpu_count() or 1)
    loaded = _load(walker, options.paths, config, progress, jobs)
    project = Project(
        root=root,
        files=tuple(loaded.files),
        templates=tuple(loaded.templates),
        notifications=tuple(loaded.notices),
        code=tuple(loaded.code),
        cdk_contexts=tuple(loaded.cdk_contexts),
        npm_manifests=tuple(loaded.npm_manifests),
        manifests=tuple(loaded.manifests),
    )
    settings = Settings(
        extra_secret_words=config.extra_secret_words,
        allowed_env_names=config.allowed_env_names,
        allowed_values=config.allowed_value_hashes,
        denylist=config.denylist,
        allowed_dependencies=config.allowed_dependencies,
    )
    findings: list[Finding] = []
    ok = True
    for rule in rules:
        if rule.meta.id not in options.selected or rule.meta.tool_level:
            continue
        try:
            findings.extend(rule.check(project, settings))
        except Exception as exc:  # a rule bug must not hide the other rules' findings
            ok = False
            findings.append(
                notification(".", f"internal error in rule {rule.meta.id}: {type(exc).__name__}; please report it")
            )
    if PARSE_ERROR[0] in options.selected:
        findings.extend(loaded.notices)
    findings = dedupe(findings)
    findings = _per_file_ignores(findings, config)
    findings = _apply_suppressions(findings, loaded, options.selected, rules)
    findings.sort(key=Finding.sort_key)
    findings = fingerprints.assign(findings)
    if options.baseline is not None:
        findings = [
            f.with_(suppression=Suppression("external", "baseline", "recorded in the baseline"))
            if f.suppression is None and options.baseline.contains(f)
            else f
            for f in findings
        ]
    notices = tuple(f for f in findings if f.rule_id == PARSE_ERROR[0])
    notes: tuple[str, ...] = ()
    if any(r.startswith("LSL3") for r in options.selected) and project.templates:
        from lambda_secrets_lint.link.iam import conditional_notes, links_for

        links = links_for(project)
        notes = links.notes + conditional_notes(links)
    return RunResult(
        root=root,
        findings=tuple(findings),
        notifications=notices,
        rules=tuple(sorted((r.meta for r in rules), key=lambda m: m.id)),
        files_scanned=len(loaded.files),
        execution_successful=ok,
        notes=notes,
    )


def _per_file_ignores(findings: list[Finding], config: Config) -> list[Finding]:
    if not config.per_file_ignores:
        return findings
    specs = [(pathspec.GitIgnoreSpec.from_lines([pattern]), tokens) for pattern, tokens in config.per_file_ignores]

    def ignored(f: Finding) -> bool:
        return any(
            spec.match_file(f.location.path) and any(f.rule_id.startswith(t.upper()) or t.lower() == f.rule_name for t in tokens)
            for spec, tokens in specs
        )

    return [f for f in findings if not ignored(f)]


def _apply_suppressions(
    findings: list[Finding], loaded: _Loaded, selected: frozenset[str], rules: Sequence[Rule]
) -> list[Finding]:
    known = {r.meta.id: r.meta.name for r in rules}
    names = {v: k for k, v in known.items()}
    used: set[tuple[str, int, str]] = set()  # (path, directive line, token)
    metadata_used: set[tuple[str, int]] = set()
    ignores_by_path: dict[str, list[tuple[int, int, object]]] = {}
    for t in loaded.templates:
        for res in t.resources:
            for entry in res.ignores:
                ignores_by_path.setdefault(t.path, []).append((res.location.line, res.end_line, entry))
    out: list[Finding] = []
    for f in findings:
        suppression = None
        if f.rule_id not in (PARSE_ERROR[0],):
            for d in loaded.directives.get(f.location.path, ()):
                if not (d.file_level or f.location.line in d.lines):
                    continue
                for token in d.rules:
                    if matches(token, f.rule_id, f.rule_name):
                        used.add((f.location.path, d.location.line, token))
                        suppression = Suppression("inSource", "comment", d.reason)
                        break
                if suppression:
                    break
            if suppression is None:
                for start, end, entry in ignores_by_path.get(f.location.path, ()):
                    if start <= f.location.line <= end and matches(entry.rule, f.rule_id, f.rule_name):  # type: ignore[attr-defined]
                        metadata_used.add((f.location.path, entry.location.line))  # type: ignore[attr-defined]
                        suppression = Suppression("inSource", "metadata", entry.reason)  # type: ignore[attr-defined]
                        break
        out.append(f.with_(suppression=suppression) if suppression else f)
    if UNUSED[0] not in selected:
        return out

    def unused(loc: Location, message: str, key: str) -> Finding:
        return Finding(UNUSED[0], UNUSED[1], Level.WARNING, message, loc, key)

    for path, directives in loaded.directives.items():
        for d in directives:
            what = "file-ignore" if d.file_level else "ignore"
            if not d.rules:
                out.append(unused(d.location, f"Blanket 'lsl: {what}' without rule IDs is not honoured; name the rules, e.g. 'lsl: {what}[LSL101]'.", f"blanket:{what}"))
                continue
            for token in d.rules:
                rid = token.upper() if token.upper() in known else names.get(token.lower())
                if rid is None:
                    out.append(unused(d.location, f"Suppression names unknown rule '{token}'.", f"unknown:{token}"))
                elif rid in selected and (path, d.location.line, token) not in used:
                    out.append(unused(d.location, f"Unused suppression: no {rid} finding here; remove '{token}' from the comment.", f"unused:{rid}"))
    for t in loaded.templates:
        for res in t.resources:
            for entry in res.ignores:
                rid = entry.rule.upper() if entry.rule.upper() in known else names.get(entry.rule.lower())
                if rid is None:
                    out.append(unused(entry.location, f"Metadata ignore of resource '{res.logical_id}' names unknown rule '{entry.rule}'.", f"unknown:{res.logical_id}:{entry.rule}"))
                elif rid in selected and (t.path, entry.location.line) not in metadata_used:
                    out.append(unused(entry.location, f"Unused Metadata ignore: resource '{res.logical_id}' has no {rid} finding.", f"unused:{res.logical_id}:{rid}"))
    return out
