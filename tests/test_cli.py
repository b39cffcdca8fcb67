"""Every flag and exit code of the CLI, through the real entry point."""
from __future__ import annotations

import json
from pathlib import Path

STRIPE_SECRET = "sk_live_51HqLyjWDarjtT1zdp7dcXYZabc"  # the secret in conftest.SAMPLE_TEMPLATE


def test_clean_project_exits_0(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "template.yaml").write_text('AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n')
    r = run_cli("check", str(tmp_path))
    assert r.code == 0
    assert "No problems found in 1 file." in r.out


def test_findings_exit_1_with_ruff_style_lines(run_cli, sample_project: Path) -> None:
    r = run_cli("check", "--no-color", cwd=sample_project)
    assert r.code == 1
    lines = [l for l in r.out.splitlines() if l.startswith("template.yaml:")]
    assert lines[0].startswith("template.yaml:22:11: LSL101 ")
    assert any(l.startswith("template.yaml:23:11: LSL102 ") for l in lines)
    assert "\x1b[" not in r.out  # no colour when not a TTY
    assert "Found 2 problems (2 errors)" in r.out


def test_default_path_is_current_directory(run_cli, sample_project: Path) -> None:
    assert run_cli("check", cwd=sample_project).code == 1


def test_fail_on(run_cli, sample_project: Path) -> None:
    assert run_cli("check", str(sample_project), "--fail-on", "never").code == 0
    assert run_cli("check", str(sample_project), "--fail-on", "error").code == 1
    # only a warning left (LSL000) and --fail-on error: exit 0
    bad = sample_project / "broken.template.yaml"
    bad.write_text('AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n')
    r = run_cli("check", str(sample_project), "--select", "LSL000", "--fail-on", "error")
    assert r.code == 0 and "LSL000" in r.out
    assert run_cli("check", str(sample_project), "--select", "LSL000", "--fail-on", "warning").code == 1


def test_select_and_ignore_by_id_name_and_prefix(run_cli, sample_project: Path) -> None:
    only_101 = run_cli("check", str(sample_project), "--select", "LSL101", "--format", "json")
    assert {f["rule"] for f in json.loads(only_101.out)["findings"]} == {"LSL101"}
    by_name = run_cli("check", str(sample_project), "--select", "resolved-secret-in-env", "--format", "json")
    assert {f["rule"] for f in json.loads(by_name.out)["findings"]} == {"LSL102"}
    prefix = run_cli("check", str(sample_project), "--ignore", "LSL10", "--format", "json")
    assert json.loads(prefix.out)["findings"] == []
    assert prefix.code == 0
    comma = run_cli("check", str(sample_project), "--select", "LSL101,LSL102", "--ignore", "LSL102", "--format", "json")
    assert {f["rule"] for f in json.loads(comma.out)["findings"]} == {"LSL101"}


def test_unknown_selector_is_a_usage_error(run_cli, sample_project: Path) -> None:
    r = run_cli("check", str(sample_project), "--select", "LSL999")
    assert r.code == 2
    assert "unknown rule selector 'LSL999'" in r.err
    assert "Traceback" not in r.err


def test_output_file(run_cli, sample_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    r = run_cli("check", str(sample_project), "--format", "json", "--output", str(out))
    assert r.code == 1 and r.out == ""
    doc = json.loads(out.read_text())
    assert doc["version"] == "1" and doc["summary"]["errors"] == 2


def test_json_format_fields(run_cli, sample_project: Path) -> None:
    doc = json.loads(run_cli("check", str(sample_project), "--format", "json").out)
    f = doc["findings"][0]
    assert set(f) >= {"rule", "name", "level", "message", "path", "line", "column", "end_line", "end_column",
                      "fingerprint", "related", "fix", "suppressed"}
    assert f["path"] == "template.yaml" and f["rule"] == "LSL101" and f["line"] == 22


def test_github_format(run_cli, sample_project: Path) -> None:
    r = run_cli("check", str(sample_project), "--format", "github")
    first = r.out.splitlines()[0]
    assert first.startswith("::error file=template.yaml,line=22,col=11,")
    assert "title=LSL101 literal-secret-in-env::" in first


def test_sarif_format(run_cli, sample_project: Path) -> None:
    doc = json.loads(run_cli("check", str(sample_project), "--format", "sarif").out)
    assert doc["version"] == "2.1.0"
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} == {"LSL101", "LSL102"}


def test_exclude_glob(run_cli, sample_project: Path) -> None:
    r = run_cli("check", str(sample_project), "--exclude", "template.yaml")
    assert r.code == 0 and "No problems found in 0 files." in r.out
    r = run_cli("check", str(sample_project), "--exclude", "*.yaml", "--exclude", "other/")
    assert r.code == 0


def test_gitignore_respected_and_overridable(run_cli, sample_project: Path) -> None:
    (sample_project / ".gitignore").write_text("template.yaml\n")
    assert run_cli("check", str(sample_project)).code == 0
    assert run_cli("check", str(sample_project), "--no-respect-gitignore").code == 1


def test_quiet_prints_findings_only(run_cli, sample_project: Path) -> None:
    r = run_cli("check", str(sample_project), "--quiet")
    assert r.code == 1
    assert "Found" not in r.out and len(r.out.strip().splitlines()) == 2


def test_config_flag_and_bad_config(run_cli, sample_project: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "lsl.toml"
    cfg.write_text('ignore = ["LSL101"]\n')
    r = run_cli("check", str(sample_project), "--config", str(cfg), "--format", "json")
    assert {f["rule"] for f in json.loads(r.out)["findings"]} == {"LSL102"}
    cfg.write_text('ignore = ["LSL101"]\nbogus = 1\n')
    r = run_cli("check", str(sample_project), "--config", str(cfg))
    assert r.code == 2 and "unknown key 'bogus'" in r.err and str(cfg) in r.err
    cfg.write_text("fail-on = 3\n")
    r = run_cli("check", str(sample_project), "--config", str(cfg))
    assert r.code == 2 and "fail-on" in r.err
    cfg.write_text("fail-on = [\n")
    r = run_cli("check", str(sample_project), "--config", str(cfg))
    assert r.code == 2 and "not valid TOML" in r.err


def test_pyproject_config_discovered(run_cli, sample_project: Path) -> None:
    (sample_project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.lambda-secrets-lint]\nfail-on = "never"\n')
    assert run_cli("check", str(sample_project)).code == 0
    (sample_project / ".lambda-secrets-lint.toml").write_text('fail-on = "error"\n')
    assert run_cli("check", str(sample_project)).code == 1  # the dotfile wins in the same directory


def test_missing_path_is_a_usage_error(run_cli, tmp_path: Path) -> None:
    r = run_cli("check", str(tmp_path / "nope"))
    assert r.code == 2 and "path does not exist" in r.err


def test_bad_option_value_exits_2(run_cli, sample_project: Path) -> None:
    r = run_cli("check", str(sample_project), "--format", "xml")
    assert r.code == 2 and "Traceback" not in r.err


def test_baseline_write_and_use(run_cli, sample_project: Path, tmp_path: Path) -> None:
    base = tmp_path / "lsl-baseline.json"
    r = run_cli("baseline", "write", str(base), str(sample_project))
    assert r.code == 0 and "Recorded 2 findings" in r.err
    text = base.read_text()
    assert STRIPE_SECRET not in text and "sk_live" not in text
    assert {e["rule"] for e in json.loads(text)["findings"]} == {"LSL101", "LSL102"}
    r = run_cli("check", str(sample_project), "--baseline", str(base))
    assert r.code == 0 and "2 suppressed" in r.out
    shown = run_cli("check", str(sample_project), "--baseline", str(base), "--show-suppressed", "--format", "json")
    assert all(f["suppressed"]["source"] == "baseline" for f in json.loads(shown.out)["findings"])
    # A new finding is not covered by the old baseline.
    t = sample_project / "template.yaml"
    t.write_text(t.read_text().replace("STAGE: !Ref Stage", "STAGE: !Ref Stage\n          JWT_SECRET: correct-horse-battery-staple"))
    r = run_cli("check", str(sample_project), "--baseline", str(base), "--format", "json")
    assert [f["line"] for f in json.loads(r.out)["findings"]] == [22] and r.code == 1


def test_bad_baseline_exits_2(run_cli, sample_project: Path, tmp_path: Path) -> None:
    base = tmp_path / "b.json"
    base.write_text("{not json")
    r = run_cli("check", str(sample_project), "--baseline", str(base))
    assert r.code == 2 and "not valid JSON" in r.err
    r = run_cli("check", str(sample_project), "--baseline", str(tmp_path / "missing.json"))
    assert r.code == 2 and "not found" in r.err


def test_show_suppressed_marks_inline_suppressions(run_cli, sample_project: Path) -> None:
    t = sample_project / "template.yaml"
    t.write_text(t.read_text().replace("sk_live_51HqLyjWDarjtT1zdp7dcXYZabc", "sk_live_51HqLyjWDarjtT1zdp7dcXYZabc  # lsl: ignore[LSL101] rotated weekly"))
    r = run_cli("check", str(sample_project), "--no-color")
    assert "LSL101" not in r.out and "1 suppressed" in r.out
    r = run_cli("check", str(sample_project), "--no-color", "--show-suppressed")
    assert "LSL101" in r.out and "[suppressed: comment]" in r.out


def test_rules_and_explain(run_cli) -> None:
    r = run_cli("rules")
    assert r.code == 0
    for rid in ("LSL000", "LSL101", "LSL102", "LSL900"):
        assert rid in r.out
    assert json.loads(run_cli("rules", "--format", "json").out)[1]["id"] == "LSL101"
    e = run_cli("explain", "LSL101")
    assert e.code == 0 and "## What it does" in e.out and "## Use instead" in e.out
    assert run_cli("explain", "resolved-secret-in-env").out.startswith("# LSL102 resolved-secret-in-env")
    bad = run_cli("explain", "LSL999")
    assert bad.code == 2 and "unknown rule" in bad.err


def test_version(run_cli) -> None:
    from lambda_secrets_lint import __version__

    r = run_cli("--version")
    assert r.code == 0 and __version__ in r.out


def test_internal_error_is_one_line_without_traceback(run_cli, sample_project: Path, monkeypatch) -> None:
    from lambda_secrets_lint import engine

    def boom(*a, **k):  # type: ignore[no-untyped-def]
        raise RuntimeError("sk_live_should_never_be_printed")

    monkeypatch.setattr(engine, "run", boom)
    r = run_cli("check", str(sample_project))
    assert r.code == 2
    assert "internal error: RuntimeError" in r.err and "Traceback" not in r.err
    assert "sk_live_should_never_be_printed" not in r.err


def test_rule_crash_reports_and_exits_2(run_cli, sample_project: Path, monkeypatch) -> None:
    from lambda_secrets_lint.rules.lsl102_resolved_secret_in_env import ResolvedSecretInEnv

    def boom(self, project, settings):  # type: ignore[no-untyped-def]
        raise KeyError("x")

    monkeypatch.setattr(ResolvedSecretInEnv, "check", boom)
    r = run_cli("check", str(sample_project), "--format", "json")
    assert r.code == 2
    doc = json.loads(r.out)
    assert doc["summary"]["execution_successful"] is False
    assert any("internal error in rule LSL102" in f["message"] for f in doc["findings"])
    assert any(f["rule"] == "LSL101" for f in doc["findings"])  # other rules still reported


def test_python_dash_m_entry_point() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "lambda_secrets_lint", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "lambda-secrets-lint" in out.stdout


def test_debug_shows_the_traceback(run_cli, sample_project: Path, monkeypatch) -> None:
    import pytest

    from lambda_secrets_lint import engine

    def boom(*a, **k):  # type: ignore[no-untyped-def]
        raise RuntimeError("kaboom")

    monkeypatch.setattr(engine, "run", boom)
    with pytest.raises(RuntimeError, match="kaboom"):
        run_cli("--debug", "check", str(sample_project))


def test_colour_only_when_asked_for_a_terminal(sample_project: Path) -> None:
    from lambda_secrets_lint.testing import lint_directory
    from lambda_secrets_lint.reporters.text import render_text

    result = lint_directory(sample_project)
    coloured = render_text(result, color=True)
    assert "\x1b[31m" in coloured and "LSL101" in coloured  # errors in red
    assert "\x1b[" not in render_text(result, color=False)


def test_progress_counter_only_on_a_terminal(capsys) -> None:
    import time

    from lambda_secrets_lint.cli import _Progress

    quiet = _Progress(enabled=False)
    loud = _Progress(enabled=True)
    loud.start = quiet.start = time.monotonic() - 10  # a long run
    for i in range(50):
        quiet(f"f{i}")
        loud(f"f{i}")
    loud.close()
    err = capsys.readouterr().err
    assert "50 files scanned" in err and err.count("files scanned") == 2


def test_output_to_a_device_or_pipe_writes_through_it(run_cli, sample_project: Path, tmp_path: Path) -> None:
    import os
    import stat
    import threading

    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    r = run_cli("check", str(sample_project), "--format", "json", "-o", str(fifo))
    reader.join(timeout=10)
    assert r.code == 1 and '"version": "1"' in received[0]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a pipe, not replaced by a file
    assert run_cli("check", str(sample_project), "-o", os.devnull).code == 1
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_output_file_is_replaced_atomically(run_cli, sample_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_text("old report\n")
    out.chmod(0o640)
    run_cli("check", str(sample_project), "-o", str(out))
    assert "LSL101" in out.read_text() and (out.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []  # no temp files left



def test_parallel_and_serial_runs_agree(run_cli, sample_project: Path) -> None:
    # Enough files to use the process pool (engine.PARALLEL_MIN_FILES).
    template = (sample_project / "template.yaml").read_text()
    for i in range(120):
        d = sample_project / f"svc{i:03d}"
        d.mkdir()
        (d / "template.yaml").write_text(template)
        (d / "app.py").write_text(f"import os\n\nKEY_{i} = os.environ['API_KEY']\nprint(KEY_{i})\n")
    serial = json.loads(run_cli("check", str(sample_project), "--format", "json", "--jobs", "1").out)
    parallel = json.loads(run_cli("check", str(sample_project), "--format", "json", "--jobs", "2").out)
    assert serial["summary"]["files"] == parallel["summary"]["files"] == 241
    assert serial["findings"] == parallel["findings"] and len(serial["findings"]) == 2 + 120 * 4


def test_pool_failure_falls_back_to_one_process(run_cli, sample_project: Path, monkeypatch) -> None:
    import concurrent.futures

    template = (sample_project / "template.yaml").read_text()
    for i in range(210):
        (sample_project / f"t{i:03d}.template.yaml").write_text(template)

    class NoPool:
        def __init__(self, *a, **k):  # type: ignore[no-untyped-def]
            raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    r = run_cli("check", str(sample_project), "--format", "json", "--jobs", "2")
    doc = json.loads(r.out)
    assert doc["summary"]["files"] == 211 and len(doc["findings"]) == 211 * 2
