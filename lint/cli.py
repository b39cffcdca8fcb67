"""Command line: `lambda-secrets-lint check|rules|explain|baseline`.

Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage,
configuration or internal error (one line on stderr, no traceback unless
--debug).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from lambda_secrets_lint import __version__

LEVELS = ("error", "warning", "note", "never")
FORMATS = ("text", "json", "sarif", "github")


class Failure(click.ClickException):
    exit_code = 2

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"lambda-secrets-lint: error: {self.format_message()}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="lambda-secrets-lint")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Static linter for AWS Lambda secret hygiene."""
    ctx.obj = {"debug": debug}


def _rules():
    from lambda_secrets_lint.rules import ALL_RULES

    return ALL_RULES


class _Progress:
    """A one-line file counter on stderr, only on a terminal and only once a
    run has taken a moment (short runs stay quiet)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.count = 0
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, path: str) -> None:
        self.count += 1
        if self.enabled and self.count % 25 == 0 and time.monotonic() - self.start > 0.5:
            self.shown = True
            click.echo(f"\rlambda-secrets-lint: {self.count} files scanned…", err=True, nl=False)

    def close(self) -> None:
        if self.shown:
            click.echo("\r\x1b[2K", err=True, nl=False)


def _execute(paths: tuple[str, ...], config_file: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
             exclude: tuple[str, ...], baseline_file: str | None, fail_on: str | None,
             no_respect_gitignore: bool, progress: bool, jobs: int = 0):
    from lambda_secrets_lint import baseline as baseline_mod
    from lambda_secrets_lint import config as config_mod
    from lambda_secrets_lint import engine, selection

    targets = tuple(Path(p) for p in (paths or (".",)))
    for t in targets:
        if not t.exists() and not t.is_symlink():
            raise Failure(f"path does not exist: {t}")
    try:
        cfg = config_mod.load_file(Path(config_file)) if config_file else config_mod.discover(Path(os.path.abspath(targets[0])))
        cfg = cfg.merged(
            select=select or None,
            ignore=(cfg.ignore + ignore) if ignore else None,
            exclude=(cfg.exclude + exclude) if exclude else None,
            fail_on=fail_on,
            respect_gitignore=False if no_respect_gitignore else None,
        )
        rules = _rules()
        selected = selection.resolve([r.meta for r in rules], cfg.select, cfg.ignore)
        base = baseline_mod.load(Path(baseline_file)) if baseline_file else None
    except (config_mod.ConfigError, baseline_mod.BaselineError) as exc:
        raise Failure(str(exc)) from None
    bar = _Progress(progress)
    try:
        result = engine.run(rules, engine.RunOptions(targets, cfg, selected, base, jobs=jobs), progress=bar)
    finally:
        bar.close()
    return result, cfg


def _write(text: str, output: str | None) -> None:
    if output:
        from lambda_secrets_lint.baseline import write_atomic

        try:
            write_atomic(Path(output), text)
        except OSError as exc:
            raise Failure(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        click.echo(text, nl=False)


_common = [
    click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file (pyproject.toml or .lambda-secrets-lint.toml); default: the nearest one."),
    click.option("--select", multiple=True, help="Only these rules: IDs, names or prefixes (LSL1). Repeatable or comma-separated."),
    click.option("--ignore", multiple=True, help="Skip these rules: IDs, names or prefixes. Repeatable or comma-separated."),
    click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching this gitignore-style pattern. Repeatable."),
    click.option("--no-respect-gitignore", is_flag=True, help="Also lint files that .gitignore excludes (e.g. a synthesized cdk.out)."),
    click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
                 help="Processes for parsing; 0 = one per CPU (used only for large runs)."),
]


def common_options(fn):  # type: ignore[no-untyped-def]
    for option in reversed(_common):
        fn = option(fn)
    return fn


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file instead of stdout.")
@common_options
@click.option("--fail-on", type=click.Choice(LEVELS), help="Lowest level that makes the exit status 1 [default: warning].")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Hide findings recorded in this baseline file.")
@click.option("--show-suppressed", is_flag=True, help="Also report suppressed and baselined findings, marked as such.")
@click.option("--no-color", is_flag=True, help="Never colour the text output.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, no progress.")
@click.option("--category", default=None, metavar="NAME", help="SARIF only: automationDetails category, for several uploads per commit (e.g. 'infra/').")
@click.option("--fix", "apply_fix", is_flag=True, help="Apply the safe fixes findings carry (e.g. a typosquatted dependency's correct name), in place and atomically, then report what remains.")
@click.option("-v", "--verbose", is_flag=True, help="Also explain, on stderr, what could not be linked (handlers not found, roles the linter cannot see, secret names computed at runtime).")
def check(paths, fmt, output, config_file, select, ignore, exclude, no_respect_gitignore, jobs, fail_on, baseline_file,
          show_suppressed, no_color, quiet, category, apply_fix, verbose):  # type: ignore[no-untyped-def]
    """Lint PATHS (default: the current directory)."""
    progress = sys.stderr.isatty() and not quiet
    result, cfg = _execute(paths, config_file, _split(select), _split(ignore), exclude, baseline_file, fail_on,
                           no_respect_gitignore, progress, jobs)
    if apply_fix:
        from lambda_secrets_lint.fixes import apply_fixes

        report = apply_fixes(result.root, result.findings)
        for path, why in report.skipped:
            click.echo(f"lambda-secrets-lint: not fixed: {path}: {why}", err=True)
        if report.fixed:
            count = sum(n for _, n in report.fixed)
            click.echo(f"lambda-secrets-lint: fixed {count} finding{'s' if count != 1 else ''} in {len(report.fixed)} file{'s' if len(report.fixed) != 1 else ''}", err=True)
            # Report what is left, as the files are now.
            result, cfg = _execute(paths, config_file, _split(select), _split(ignore), exclude, baseline_file, fail_on,
                                   no_respect_gitignore, progress, jobs)
    if verbose:
        for note in result.notes:
            click.echo(f"lambda-secrets-lint: note: {note}", err=True)
    if fmt == "text":
        from lambda_secrets_lint.reporters.text import render_text

        color = not no_color and not output and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        text = render_text(result, show_suppressed=show_suppressed, color=color, quiet=quiet)
    elif fmt == "json":
        from lambda_secrets_lint.reporters.json_report import render_json

        text = render_json(result, show_suppressed=show_suppressed, tool_version=__version__)
    elif fmt == "github":
        from lambda_secrets_lint.reporters.github import render_github

        text = render_github(result, show_suppressed=show_suppressed)
    else:
        from lambda_secrets_lint.reporters.sarif import render_sarif

        text = render_sarif(result, show_suppressed=show_suppressed, tool_version=__version__, category=category) + "\n"
    _write(text, output)
    if not result.execution_successful:
        click.echo("lambda-secrets-lint: error: a rule failed internally; the report may be incomplete (see LSL000 entries)", err=True)
        sys.exit(2)
    sys.exit(exit_status(result, cfg.fail_on))


def exit_status(result, fail_on: str) -> int:  # type: ignore[no-untyped-def]
    if fail_on == "never":
        return 0
    threshold = {"error": 3, "warning": 2, "note": 1}[fail_on]
    return 1 if any(f.suppression is None and f.level.rank >= threshold for f in result.findings) else 0


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(("text", "json", "markdown")), default="text", show_default=True)
def rules_cmd(fmt: str) -> None:
    """List every rule."""
    metas = sorted((r.meta for r in _rules()), key=lambda m: m.id)
    if fmt == "json":
        import json

        click.echo(json.dumps([{"id": m.id, "name": m.name, "level": m.level.value, "summary": m.summary} for m in metas], indent=2))
        return
    if fmt == "markdown":
        from lambda_secrets_lint.docs import rules_table

        click.echo(rules_table(metas), nl=False)
        return
    width = max(len(m.name) for m in metas)
    for m in metas:
        click.echo(f"{m.id}  {m.name:<{width}}  {m.level.value:<7}  {m.summary}")


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show the documentation of RULE (an ID such as LSL101, or a name)."""
    from lambda_secrets_lint.docs import render_rule_doc
    from lambda_secrets_lint.selection import find

    meta = find([r.meta for r in _rules()], rule)
    if meta is None:
        raise Failure(f"unknown rule {rule!r} (see 'lambda-secrets-lint rules')")
    click.echo(render_rule_doc(meta), nl=False)


@cli.group()
def baseline() -> None:
    """Record current findings so that only new ones fail the build."""


@baseline.command("write")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, type=click.Path())
@common_options
def baseline_write(file, paths, config_file, select, ignore, exclude, no_respect_gitignore, jobs):  # type: ignore[no-untyped-def]
    """Write FILE with the fingerprints of the findings in PATHS (never the secrets)."""
    from lambda_secrets_lint import baseline as baseline_mod

    result, _ = _execute(paths, config_file, _split(select), _split(ignore), exclude, None, None,
                         no_respect_gitignore, sys.stderr.isatty(), jobs)
    active = [f for f in result.findings if f.suppression is None]
    _write(baseline_mod.render(active, __version__), file)
    recorded = sum(1 for f in active if f.rule_id not in ("LSL000", "LSL900"))
    click.echo(f"Recorded {recorded} finding{'s' if recorded != 1 else ''} in {file}.", err=True)


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(prog_name="lambda-secrets-lint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(2)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # last line of defence: one line, never a traceback
        if debug:
            raise
        # The exception text is not printed: it could quote file content.
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else ""
        click.echo(f"lambda-secrets-lint: internal error: {type(exc).__name__}{where} (run with --debug for a traceback)", err=True)
        sys.exit(2)
