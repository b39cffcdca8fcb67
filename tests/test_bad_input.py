"""Hostile and broken input: one LSL000 naming the file and the problem, the
run goes on (a good template beside it is still checked), no traceback."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\n'
GOOD = HEADER + """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          API_TOKEN: tok-live-8d0f2c4e6a1b3c5d7e9f
"""

BILLION_LAUGHS = HEADER + "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
) + "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: *i\n"


def _cases() -> dict[str, tuple[bytes, str]]:
    deep_yaml = HEADER + "Resources: " + "[" * 1000 + "]" * 1000 + "\n"
    deep_map = HEADER + "Resources:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(1000)) + "  " * 1001 + "v\n"
    deep_json = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ' + "[" * 1000 + "]" * 1000 + "}"
    return {
        "malformed.template.yaml": ((HEADER + "Resources:\n  Fn: {Type: AWS::Lambda::Function\n").encode(), "invalid YAML"),
        "bad-tag.template.yaml": ((HEADER + "Resources:\n  Fn:\n    Type: !Bogus x\n").encode(), "!Bogus"),
        "malformed.template.json": (b'{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {,}}', "invalid JSON"),
        "binary.template.json": (b"\x00\x01AWS::Lambda::Function\x00" * 50, "binary file"),
        "latin1.template.yaml": ((HEADER + "Description: caf\xe9\n").encode("latin-1"), "not valid UTF-8"),
        "empty.template.yaml": (b"", "file is empty"),
        "bomb.template.yaml": (BILLION_LAUGHS.encode(), "alias"),
        "deep-seq.template.yaml": (deep_yaml.encode(), "nest"),
        "deep-map.template.yaml": (deep_map.encode(), "nest"),
        "deep.template.json": (deep_json.encode(), "nest"),
    }


@pytest.fixture
def hostile_project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "good.template.yaml").write_text(GOOD)
    for name, (content, _) in _cases().items():
        (tmp_path / name).write_bytes(content)
    return tmp_path


def _by_path(doc: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in doc["findings"]:
        out.setdefault(f["path"], []).append(f)
    return out


def test_each_bad_file_gives_one_lsl000_and_the_run_goes_on(run_cli, hostile_project: Path) -> None:
    r = run_cli("check", str(hostile_project), "--format", "json")
    assert r.code == 1, r.err
    assert "Traceback" not in r.err
    by_path = _by_path(json.loads(r.out))
    for name, (_, needle) in _cases().items():
        notes = [f for f in by_path.get(name, []) if f["rule"] == "LSL000"]
        assert len(notes) == 1, (name, by_path.get(name))
        assert needle.lower() in notes[0]["message"].lower(), (name, notes[0]["message"])
        assert notes[0]["level"] == "warning"
    assert [f["rule"] for f in by_path["good.template.yaml"]] == ["LSL101"]


def test_size_limit_default_and_configurable(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    big = tmp_path / "big.template.yaml"
    big.write_text(GOOD + "Metadata:\n" + "".join(f"  k{i}: {'x' * 90}\n" for i in range(60_000)))  # ~5.7 MB
    r = run_cli("check", str(tmp_path), "--format", "json")
    notes = [f for f in json.loads(r.out)["findings"] if f["rule"] == "LSL000"]
    assert len(notes) == 1 and "5 MB" in notes[0]["message"].replace("5.0 MB", "5 MB")
    (tmp_path / ".lambda-secrets-lint.toml").write_text('max-file-size = "10MB"\n')
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert [f["rule"] for f in json.loads(r.out)["findings"]] == ["LSL101"]
    (tmp_path / ".lambda-secrets-lint.toml").write_text('max-file-size = 1000\n')
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert [f["rule"] for f in json.loads(r.out)["findings"]] == ["LSL000"]


def test_symlink_loops(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "good.template.yaml").write_text(GOOD)
    os.symlink("self.template.yaml", tmp_path / "self.template.yaml")
    sub = tmp_path / "stacks"
    sub.mkdir()
    os.symlink("..", sub / "up")  # a directory link back to an ancestor
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert "Traceback" not in r.err
    by_path = _by_path(json.loads(r.out))
    assert "symbolic link loop" in by_path["self.template.yaml"][0]["message"]
    assert "symbolic link loop" in by_path["stacks/up"][0]["message"]
    assert [f["rule"] for f in by_path["good.template.yaml"]] == ["LSL101"]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads files whatever their mode")
def test_unreadable_file(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    locked = tmp_path / "locked.template.yaml"
    locked.write_text(GOOD)
    locked.chmod(0)
    try:
        r = run_cli("check", str(tmp_path), "--format", "json")
    finally:
        locked.chmod(0o644)
    notes = [f for f in json.loads(r.out)["findings"] if f["rule"] == "LSL000"]
    assert len(notes) == 1 and "permission denied" in notes[0]["message"]


def test_unreadable_file_via_read_error(run_cli, tmp_path: Path, monkeypatch) -> None:
    # Root can read any file, so simulate the OS refusing (EACCES) at open().
    import errno

    (tmp_path / ".git").mkdir()
    (tmp_path / "locked.template.yaml").write_text(GOOD)
    real_open = os.open

    def deny(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked.template.yaml"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    r = run_cli("check", str(tmp_path), "--format", "json")
    notes = [f for f in json.loads(r.out)["findings"] if f["rule"] == "LSL000"]
    assert len(notes) == 1 and "permission denied" in notes[0]["message"], notes


def test_non_templates_are_not_parsed(run_cli, tmp_path: Path) -> None:
    # Broken YAML that is not a template (a Helm chart, a CI file) is none of our business.
    (tmp_path / ".git").mkdir()
    (tmp_path / "chart.yaml").write_text("replicas: {{ .Values.replicas }}\n  bad: [\n")
    (tmp_path / "data.json").write_bytes(b"\x00\x01\x02" * 100)
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert json.loads(r.out)["findings"] == [] and r.code == 0


def test_partial_sections_are_valid_input(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.template.yaml").write_text(HEADER + "Parameters:\nResources: null\n")
    (tmp_path / "b.template.yaml").write_text(HEADER + "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n")
    (tmp_path / "c.template.yaml").write_text(HEADER + "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: !If [c, {}, {}]\n")
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert r.code == 0 and json.loads(r.out)["findings"] == []


_BAD_MANIFESTS = {
    "pkg-list/package.json": (b'["not", "an", "object"]', "object"),
    "pkg-broken/package.json": (b'{"dependencies": {"lodash": "^4",}', "JSON"),
    "pkg-deep/package.json": (b'{"dependencies": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nest"),
    "py-toml/pyproject.toml": (b'[project]\ndependencies = ["requests"\n', "TOML"),
    "py-binary/requirements.txt": (b"\x00\x01\x02requests\x00" * 40, "binary"),
    "py-latin1/requirements.txt": ("caf\xe9==1.0\n".encode("latin-1"), "UTF-8"),
    "pnpm-tabs/pnpm-lock.yaml": (b"lockfileVersion: '9.0'\nimporters:\n\t.:\n", "tab"),
    "lock-garbage/package-lock.json": (b"\xff\xfe{" * 100, ""),
}


def test_broken_manifests_give_one_lsl000_each_and_good_ones_are_still_checked(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    for rel, (content, _) in _BAD_MANIFESTS.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(content)
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "requirements.txt").write_text("boto3==1.34.0\nreqeusts==2.31.0\n-r missing-file.txt\n")
    r = run_cli("check", str(tmp_path), "--format", "json", "--select", "LSL000,LSL401")
    assert "Traceback" not in r.err and r.code == 1, r.err
    by_path = _by_path(json.loads(r.out))
    for rel, (_, needle) in _BAD_MANIFESTS.items():
        notes = [f for f in by_path.get(rel, []) if f["rule"] == "LSL000"]
        assert len(notes) == 1, (rel, by_path.get(rel))
        assert needle.lower() in notes[0]["message"].lower(), (rel, notes[0]["message"])
    assert [(f["rule"], f["line"]) for f in by_path["good/requirements.txt"]] == [("LSL401", 2)]


def test_a_parser_bug_costs_one_file_an_lsl000_not_the_run(run_cli, tmp_path: Path, monkeypatch) -> None:
    # Any unexpected exception inside a parser (here: the Serverless IAM reader) is
    # contained to that file; the template beside it is still checked.
    import lambda_secrets_lint.parsers.serverless as serverless

    def boom(*args, **kwargs):
        raise KeyError("sk_live_should_never_be_printed")

    monkeypatch.setattr(serverless, "build_serverless", boom)
    (tmp_path / ".git").mkdir()
    (tmp_path / "good.template.yaml").write_text(GOOD)
    (tmp_path / "serverless.yml").write_text("service: x\nprovider:\n  name: aws\n")
    r = run_cli("check", str(tmp_path), "--format", "json", "-j", "1")
    assert "Traceback" not in r.err and r.code == 1
    by_path = _by_path(json.loads(r.out))
    [note] = by_path["serverless.yml"]
    assert note["rule"] == "LSL000" and "internal error while analysing this file (KeyError)" in note["message"]
    assert "sk_live" not in r.out + r.err
    assert [f["rule"] for f in by_path["good.template.yaml"]] == ["LSL101"]
