"""The rule registry is complete and consistent, and generated docs are current."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from lambda_secrets_lint.rule import DOC_HEADINGS
from lambda_secrets_lint.rules import ALL_RULES

REPO = Path(__file__).resolve().parent.parent


def test_ids_and_names_are_unique_and_well_formed() -> None:
    ids = [r.meta.id for r in ALL_RULES]
    names = [r.meta.name for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    assert len(names) == len(set(names))
    for r in ALL_RULES:
        assert re.fullmatch(r"LSL\d{3}", r.meta.id)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.meta.name)


def test_every_rule_has_doc_headings_and_both_kinds_of_example() -> None:
    for r in ALL_RULES:
        headings = re.findall(r"^## (.+)$", r.meta.doc, re.MULTILINE)
        assert tuple(headings) == DOC_HEADINGS, r.meta.id
        assert r.meta.valid and r.meta.invalid, f"{r.meta.id} needs VALID and INVALID examples"
        assert r.meta.summary and not r.meta.summary.endswith(".")
        float(r.meta.security_severity)  # a number, carried as a string for SARIF
        assert r.meta.precision in ("very-high", "high", "medium", "low")


def test_registry_lists_every_rule_module() -> None:
    modules = {p.stem for p in (REPO / "rules").glob("lsl*.py")}
    registered = {type(r).__module__.rsplit(".", 1)[-1] for r in ALL_RULES}
    assert modules == registered


def test_generated_docs_are_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader
    spec.loader.exec_module(module)
    stale = [
        str(path.relative_to(REPO))
        for path, text in module.expected_files().items()
        if not path.exists() or path.read_text("utf-8") != text
    ]
    assert not stale, f"run `python scripts/gen_docs.py`: stale {stale}"


def test_every_package_folder_is_packaged() -> None:
    # PACKAGING.md: a missing subpackage breaks the wheel while an editable
    # install stays green. setup.py discovers them; prove it finds all.
    import setuptools

    for folder in ("lint", "rules"):
        found = set(setuptools.find_packages(where=str(REPO / folder)))
        on_disk = {
            p.parent.relative_to(REPO / folder).as_posix().replace("/", ".")
            for p in (REPO / folder).rglob("__init__.py")
            if p.parent != REPO / folder
        }
        assert on_disk <= found
