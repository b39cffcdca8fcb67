"""--fix applies replacements exactly, atomically, and never half-edits or
loses content (lint/fixes.py)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from lambda_secrets_lint.fixes import apply_fixes
from lambda_secrets_lint.model.findings import Finding, Fix, Level, Replacement
from lambda_secrets_lint.model.location import Location, Span


def _finding(path: str, line: int, col: int, end_col: int, new: str, expected: str) -> Finding:
    loc = Location(path, Span(line, col, line, end_col))
    return Finding("LSL401", "typosquatted-dependency", Level.ERROR, "m", loc, "k",
                   fix=Fix("rename", (Replacement(loc, new, expected),)))


def test_replaces_only_the_span_and_keeps_crlf_bom_and_mode(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes("\ufeffboto3==1.34\r\nreqeusts>=2.31  # http\r\nurllib3\r\n".encode("utf-8"))
    os.chmod(path, 0o640)
    report = apply_fixes(tmp_path, [_finding("requirements.txt", 2, 1, 9, "requests", "reqeusts")])
    assert report.fixed == (("requirements.txt", 1),) and report.skipped == ()
    assert path.read_bytes() == "\ufeffboto3==1.34\r\nrequests>=2.31  # http\r\nurllib3\r\n".encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_several_fixes_in_one_file_apply_bottom_up(tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    path.write_text('{\n  "dependencies": {\n    "expresss": "^4.18.2",\n    "lodahs": "^4.17.21"\n  }\n}\n')
    report = apply_fixes(tmp_path, [
        _finding("package.json", 3, 6, 14, "express", "expresss"),
        _finding("package.json", 4, 6, 12, "lodash", "lodahs"),
    ])
    assert report.fixed == (("package.json", 2),)
    assert path.read_text() == '{\n  "dependencies": {\n    "express": "^4.18.2",\n    "lodash": "^4.17.21"\n  }\n}\n'


def test_a_file_changed_since_linting_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    original = "requests==2.31.0\n"
    path.write_text(original)
    report = apply_fixes(tmp_path, [_finding("requirements.txt", 1, 1, 9, "requests", "reqeusts")])
    assert report.fixed == () and report.skipped == (("requirements.txt", "the file changed since it was linted"),)
    assert path.read_text() == original


def test_overlapping_fixes_and_out_of_range_spans_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("reqeusts\n")
    overlap = apply_fixes(tmp_path, [_finding("requirements.txt", 1, 1, 9, "requests", "reqeusts"),
                                     _finding("requirements.txt", 1, 3, 5, "xx", "qe")])
    assert overlap.skipped == (("requirements.txt", "two fixes overlap"),)
    outside = apply_fixes(tmp_path, [_finding("requirements.txt", 7, 1, 9, "requests", "reqeusts")])
    assert outside.skipped[0][1].startswith("a fix points outside the file")
    assert path.read_text() == "reqeusts\n"


def test_symlinked_manifest_keeps_the_link_and_edits_the_target(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "requirements.txt"
    real.parent.mkdir()
    real.write_text("djanga==4.2\n")
    link = tmp_path / "requirements.txt"
    link.symlink_to(real)
    report = apply_fixes(tmp_path, [_finding("requirements.txt", 1, 1, 7, "django", "djanga")])
    assert report.fixed and link.is_symlink()
    assert real.read_text() == "django==4.2\n"


def test_non_utf8_and_missing_files_are_reported_not_crashed(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes(b"reqeusts\xff\n")
    report = apply_fixes(tmp_path, [_finding("requirements.txt", 1, 1, 9, "requests", "reqeusts"),
                                    _finding("gone/requirements.txt", 1, 1, 9, "requests", "reqeusts")])
    assert dict(report.skipped) == {
        "requirements.txt": "the file is not UTF-8",
        "gone/requirements.txt": "cannot read the file (No such file or directory)",
    }
    assert (tmp_path / "requirements.txt").read_bytes() == b"reqeusts\xff\n"
    assert not list(tmp_path.glob(".*lsl-fix"))


def test_suppressed_findings_are_not_fixed(tmp_path: Path) -> None:
    from lambda_secrets_lint.model.findings import Suppression

    path = tmp_path / "requirements.txt"
    path.write_text("reqeusts\n")
    f = _finding("requirements.txt", 1, 1, 9, "requests", "reqeusts").with_(suppression=Suppression("inSource", "comment"))
    assert apply_fixes(tmp_path, [f]).fixed == ()
    assert path.read_text() == "reqeusts\n"
