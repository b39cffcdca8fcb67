"""LSL401 detector core: snapshot, techniques, clean neighbours, build and eval scripts.

No network: reads only the bundled snapshot and small TSVs written here.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from lambda_secrets_lint.typosquat import Popularity, Suspicion, check, load
from lambda_secrets_lint.typosquat import snapshot as snap
from lambda_secrets_lint.typosquat.candidates import DeletionIndex, osa_distance
from lambda_secrets_lint.typosquat.normalize import normalize, pep503, split_scope

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "scripts"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"lsl_{name}", SCRIPTS / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


# --- normalisation ----------------------------------------------------------


def test_pep503_folds_separator_runs_but_not_their_removal() -> None:
    assert pep503("Python_Dateutil") == "python-dateutil"
    assert pep503("zope..interface__x") == "zope-interface-x"
    assert pep503("pythondateutil") == "pythondateutil"
    assert normalize("@Types/Node", "npm") == "@types/node"
    assert split_scope("@aws-sdk/client-s3") == ("aws-sdk", "client-s3")
    assert split_scope("lodash") == (None, "lodash")


# --- bundled snapshot -------------------------------------------------------


def test_snapshot_has_the_documented_counts_and_meta() -> None:
    meta = snap.meta()
    assert meta["format"] == 1 and meta["snapshot_date"] == "2026-11-26"
    pypi, npm = load("pypi"), load("npm")
    assert len(pypi) == meta["ecosystems"]["pypi"]["entries"] == 14985
    assert len(npm) == meta["ecosystems"]["npm"]["entries"] == 88067
    assert meta["ecosystems"]["npm"]["min_downloads"] == 10_000
    assert pypi.rank("boto3") == 1 and pypi.rank("Python_Dateutil") == 13
    assert pypi.downloads("boto3") is None and npm.rank("lodash") is None
    assert npm.downloads("lodash") == 452_434_618
    assert min(score for _, score in npm.items()) >= 10_000
    assert npm.score("crossenv") is None  # a security holding package: never "popular"
    # Legacy mixed case is a different package on npm.
    assert npm.is_popular("JSONStream") and npm.downloads("jsonstream") == 29_921
    assert list(npm.lookup("jsonstream")) == [("jsonstream", 29_921), ("JSONStream", 44_248_910)]


def test_load_is_cached_and_import_reads_nothing() -> None:
    assert load("npm") is load("npm")
    code = (
        "import lambda_secrets_lint.typosquat as t, sys; "
        "print(t.snapshot.load.cache_info().currsize, t.snapshot.meta.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "0"]


# --- each technique fires, with the exact target and words --------------------

PYPI_SQUATS = [
    ("reqeusts", "requests", "letters swapped"),
    ("requets", "requests", "one letter dropped ('s')"),
    ("requestss", "requests", "letter doubled"),
    ("urlib3", "urllib3", "one letter dropped (double 'll')"),
    ("nunpy", "numpy", "keyboard-adjacent letter 'm'→'n'"),
    ("djanga", "django", "one letter changed 'o'→'a'"),
    ("jeIlyfish", "jellyfish", "homoglyph 'l'→'I'"),
    ("b0to3", "boto3", "homoglyph 'o'→'0'"),
    ("rnatplotlib", "matplotlib", "homoglyph 'm'→'rn'"),
    ("pythondateutil", "python-dateutil", "separator '-' dropped"),
    ("setup-tools", "setuptools", "separator added"),
    ("python3-dateutil", "python-dateutil", "version digit '3' added"),
    ("requests2", "requests", "version digit '2' added"),
    ("urllib", "urllib3", "version digit '3' dropped"),
    ("python-requests", "requests", "prefix 'python-' added"),
    ("redis-py", "redis", "suffix '-py' added"),
    ("yaml", "pyyaml", "prefix 'py' dropped"),  # pyaml (rank 1603) is one edit away too
    ("opencv", "opencv-python", "suffix '-python' dropped"),
    ("crytpograpy", "cryptography", "two edits"),
]

NPM_SQUATS = [
    ("lodahs", "lodash", "letters swapped"),
    ("expresss", "express", "letter doubled"),
    ("mongose", "mongoose", "one letter dropped (double 'oo')"),
    ("react-dm", "react-dom", "one letter dropped ('o')"),
    ("l0dash", "lodash", "homoglyph 'o'→'0'"),
    ("crossenv", "cross-env", "separator '-' dropped"),
    ("cross_env", "cross-env", "separator changed '-'→'_'"),
    ("cross-env.js", "cross-env", "suffix '.js' added"),
    ("node-lodash", "lodash", "prefix 'node-' added"),
    ("twilio-npm", "twilio", "suffix '-npm' added"),
    ("lodash4", "lodash", "version digit '4' added"),
    ("JQuery", "jquery", "case changed"),
    ("localforage-memorystoragedriver", "localforage-memoryStorageDriver", "case changed"),
    ("@types/lodahs", "@types/lodash", "letters swapped"),
    ("@aws-sdkk/client-s3", "@aws-sdk/client-s3", "look-alike scope '@aws-sdkk' (letter doubled)"),
    ("client-s3", "@aws-sdk/client-s3", "scope '@aws-sdk' dropped"),
    ("types-node", "@types/node", "scope '@types/' turned into prefix 'types-'"),
    ("tpyescrpt", "typescript", "two edits"),
]


@pytest.mark.parametrize(("name", "target", "technique"), PYPI_SQUATS)
def test_pypi_technique_fires(name: str, target: str, technique: str) -> None:
    hit = check(name, "pypi")
    assert hit == Suspicion(name, target, technique, load("pypi").rank(target) or -1, None)


@pytest.mark.parametrize(("name", "target", "technique"), NPM_SQUATS)
def test_npm_technique_fires(name: str, target: str, technique: str) -> None:
    hit = check(name, "npm")
    assert hit == Suspicion(name, target, technique, load("npm").downloads(target) or -1, None)


def test_unknown_ecosystem_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown ecosystem"):
        check("left-pad", "cargo")


def test_the_suspect_is_kept_as_given() -> None:
    hit = check("  Reqeusts ", "pypi")
    assert hit is not None and hit.name == "Reqeusts" and hit.target == "requests"


# --- near neighbours stay clean -------------------------------------------

CLEAN = [
    ("pypi", "boto"), ("pypi", "boto3"), ("pypi", "requests"), ("pypi", "requests-oauthlib"),
    ("pypi", "pyyaml"), ("pypi", "jwt"), ("pypi", "pyjwt"), ("pypi", "Python_Dateutil"), ("pypi", "pytest_mock"),
    ("npm", "lodash"), ("npm", "lodash-es"), ("npm", "react"), ("npm", "preact"), ("npm", "babel-core"),
    ("npm", "@babel/core"), ("npm", "JSONStream"), ("npm", "jsonstream"), ("npm", "loadsh"),  # 37k/month: popular
    ("pypi", "sixx"),  # 'six' is too short for a one-letter edit to mean anything
    ("pypi", "my-company-utils"), ("npm", "acme-internal-lib"),
    ("npm", "git+https://github.com/x/y.git"), ("npm", "file:../lib"), ("pypi", "requests[socks]"), ("pypi", ""),
]


@pytest.mark.parametrize(("ecosystem", "name"), CLEAN)
def test_clean(ecosystem: str, name: str) -> None:
    assert check(name, ecosystem) is None


@pytest.mark.parametrize("ecosystem", ["pypi", "npm"])
def test_every_snapshot_name_is_clean(ecosystem: str) -> None:
    pop = load(ecosystem)
    # Rule (a): a popular name is never a suspect, however close it is to another.
    assert [k for k, _ in list(pop.items())[:3000] if check(k, ecosystem)] == []


def _npm(*pairs: tuple[str, int]) -> Popularity:
    return Popularity.from_pairs("npm", pairs)


def test_siblings_in_a_family_are_not_squats() -> None:
    pop = _npm(("@aws-sdk/client-ecs", 50_000_000), ("babel-preset-es2015", 50_000_000), ("@types/pg", 50_000_000))
    assert check("@aws-sdk/client-efs", "npm", popularity=pop) is None  # short last word replaced
    assert check("babel-preset-es2017", "npm", popularity=pop) is None  # a number changed
    assert check("@types/p5", "npm", popularity=pop) is None
    pypi = Popularity.from_pairs("pypi", [("nvidia-cublas-cu12", 700)])
    assert check("nvidia-cublas-cu113", "pypi", popularity=pypi) is None


def test_thresholds_per_tier_on_inline_data() -> None:
    pop = _npm(("superlib", 1_000_000), ("megalib", 30_000_000))
    # STRONG edit: 250k is enough.
    assert check("supelrib", "npm", popularity=pop) == Suspicion("supelrib", "superlib", "letters swapped", 1_000_000, None)
    # WEAK edits (letter dropped, keyboard-adjacent letter) need 2M.
    assert check("superli", "npm", popularity=pop) is None
    assert check("superlin", "npm", popularity=pop) is None
    assert check("megalin", "npm", popularity=pop) == Suspicion(
        "megalin", "megalib", "keyboard-adjacent letter 'b'→'n'", 30_000_000, None
    )
    # RARE edits (any other letter changed) need 20M.
    assert check("superlix", "npm", popularity=pop) is None
    assert check("megalix", "npm", popularity=pop) == Suspicion(
        "megalix", "megalib", "one letter changed 'b'→'x'", 30_000_000, None
    )


def test_a_suspect_in_the_snapshot_is_protected() -> None:
    squat = check("loadsh", "npm", popularity=_npm(("lodash", 400_000_000)))
    assert squat is not None and squat.target == "lodash" and squat.suspect_score is None
    assert check("loadsh", "npm", popularity=_npm(("lodash", 400_000_000), ("loadsh", 37_000))) is None


def test_check_does_no_io_with_an_explicit_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(_: str) -> Popularity:
        raise AssertionError("loaded the bundled snapshot")

    monkeypatch.setattr("lambda_secrets_lint.typosquat.detect.load", boom)
    assert check("lodahs", "npm", popularity=_npm(("lodash", 400_000_000))) is not None


def test_distance_two_index_stays_within_one_long_word() -> None:
    index = DeletionIndex(["typescript", "yargs-parser", "eslint-plugin-import"])
    assert index.near("tpyescrpt") == {"typescript"}
    assert index.near("argv-parser") == set()  # two edits, but a different word: argv vs yargs
    assert index.near("eslint-plugin-imoprtt") == {"eslint-plugin-import"}
    assert index.near("eslnt-plugn-import") == set()  # one edit in each of two words
    assert osa_distance("ab", "ba", 2) == 1 and osa_distance("abcdef", "xyzdef", 2) == 3


# --- build script -----------------------------------------------------------

PYPI_TSV = (
    "name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\n"
    "Zeta_Pkg\t1.0\t2024-01\t2\tsummary with\ttabs and \"quotes\"\n"
    "alpha\t1.0\t2024-01\t1\tplain\n"
    "unranked\t0.1\t2020-01\t\tnot popular\n"
    "broken-row\n"
)
NPM_TSV = (
    "name\tversion\tdownloads_a_month\tsummary (words ...)\n"
    "big\t1.0.0\t900000\tBig\tthing\n"
    "small\t1.0.0\t9999\tbelow the threshold\n"
    "squat\t0.0.1-security\t50000\tsecurity holding package\n"
    "tie-b\t1.0.0\t20000\t\n"
    "tie-a\t1.0.0\t20000\t\n"
    "nodl\t1.0.0\t\tno downloads\n"
)


def _write_inputs(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pypi, npm = folder / "pypi.tsv", folder / "npm.tsv"
    pypi.write_text(PYPI_TSV, encoding="utf-8")
    npm.write_text(NPM_TSV, encoding="utf-8")
    return pypi, npm


def test_build_script_is_deterministic_and_filters(tmp_path: Path) -> None:
    build = _script("build_popularity_snapshot")
    pypi, npm = _write_inputs(tmp_path / "in")
    for out in ("a", "b"):
        assert build.main(["--pypi", str(pypi), "--npm", str(npm), "--out-dir", str(tmp_path / out), "--date", "2026-11-26"]) == 0
    for name in ("pypi.tsv.gz", "npm.tsv.gz", "meta.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert gzip.decompress((tmp_path / "a" / "pypi.tsv.gz").read_bytes()).decode() == "alpha\t1\nzeta-pkg\t2\n"
    assert gzip.decompress((tmp_path / "a" / "npm.tsv.gz").read_bytes()).decode() == "big\t900000\ntie-a\t20000\ntie-b\t20000\n"
    meta = json.loads((tmp_path / "a" / "meta.json").read_text())
    assert meta["snapshot_date"] == "2026-11-26"
    assert (meta["ecosystems"]["pypi"]["entries"], meta["ecosystems"]["pypi"]["source_rows"]) == (2, 4)
    assert meta["ecosystems"]["pypi"]["malformed_rows"] == 1
    npm_meta = meta["ecosystems"]["npm"]
    assert (npm_meta["entries"], npm_meta["source_rows"], npm_meta["malformed_rows"]) == (3, 6, 1)
    assert npm_meta["security_holding_skipped"] == 1 and npm_meta["min_downloads"] == 10_000
    # The snapshot it wrote loads into a Popularity.
    assert snap.load_dir(tmp_path / "a", "npm").downloads("tie-a") == 20_000


def test_build_script_dates_by_input_mtime(tmp_path: Path) -> None:
    build = _script("build_popularity_snapshot")
    pypi, npm = _write_inputs(tmp_path / "in")
    os.utime(pypi, (1_700_000_000, 1_700_000_000))  # 2023-11-14 UTC
    os.utime(npm, (1_600_000_000, 1_600_000_000))
    build.main(["--pypi", str(pypi), "--npm", str(npm), "--out-dir", str(tmp_path / "o"), "--npm-min-downloads", "5"])
    meta = json.loads((tmp_path / "o" / "meta.json").read_text())
    assert meta["snapshot_date"] == "2023-11-14" and meta["ecosystems"]["npm"]["entries"] == 4


def test_bundled_snapshot_matches_its_meta() -> None:
    import hashlib

    folder = REPO / "lint" / "data" / "popularity"
    meta = json.loads((folder / "meta.json").read_text())
    for info in meta["ecosystems"].values():
        assert hashlib.sha256((folder / info["file"]).read_bytes()).hexdigest() == info["sha256"]


# --- evaluation script ------------------------------------------------------

EVAL_PYPI = (
    "name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\n"
    "requests\t1\t2024-01\t1\t\n"
    "cryptography\t1\t2024-01\t2\t\n"
    "boto\t1\t2024-01\t3\t\n"
    "boto3\t1\t2024-01\t4\t\n"
    "requestz\t1\t2024-01\t\tunranked neighbour (letter changed: RARE, rank 1 ok)\n"
    "cryptographyy\t1\t2024-01\t\tunranked neighbour (doubled)\n"
    "totally-unrelated\t1\t2024-01\t\t\n"
)
EVAL_NPM = (
    "name\tversion\tdownloads_a_month\tsummary\n"
    "lodash\t1\t400000000\t\n"
    "express\t1\t300000000\t\n"
    "lodash-es\t1\t100000000\t\n"
    "lodashh\t1\t700\tneighbour\n"
    "express-js\t0.0.1-security\t900\tsecurity holding package\n"
    "other-thing\t1\t800\t\n"
)
EVAL_KNOWN = (
    "# comment\n"
    "ecosystem\tname\tintended\tsource\n"
    "pypi\treqeusts\trequests\ttest\n"
    "pypi\tzzzzzz\trequests\ttest\n"
    "npm\tlodahs\tlodash\ttest\n"
)


def test_eval_script_numbers_on_a_constructed_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build, evaluate = _script("build_popularity_snapshot"), _script("eval_typosquat")
    pypi, npm, known = tmp_path / "pypi.tsv", tmp_path / "npm.tsv", tmp_path / "known.tsv"
    pypi.write_text(EVAL_PYPI)
    npm.write_text(EVAL_NPM)
    known.write_text(EVAL_KNOWN)
    build.main(["--pypi", str(pypi), "--npm", str(npm), "--out-dir", str(tmp_path / "snap"), "--date", "2026-01-01"])
    out_json = tmp_path / "r.json"
    args = ["--pypi", str(pypi), "--npm", str(npm), "--snapshot", str(tmp_path / "snap"), "--known", str(known),
            "--top", "2", "--sample", "50", "--json", str(out_json)]
    assert evaluate.main(args) == 0
    report = json.loads(out_json.read_text())
    assert "| pypi | all |" in capsys.readouterr().out
    p, n = report["pypi"], report["npm"]
    # Every mutant of these long, distinctive names is caught and attributed right.
    assert p["synthetic"]["all"]["recall_pct"] == 100.0 and p["synthetic"]["all"]["right_target_pct"] == 100.0
    assert n["synthetic"]["all"]["recall_pct"] == 100.0
    assert p["synthetic"]["all"]["mutants"] >= 10
    assert (p["known"]["total"], p["known"]["flagged"]) == (2, 1)
    miss = [r for r in p["known"]["rows"] if not r["flagged"]][0]
    assert miss["name"] == "zzzzzz" and "not a near miss" in miss["reason"]
    assert (n["known"]["total"], n["known"]["flagged"]) == (1, 1)
    assert (n["holding"]["total"], n["holding"]["flagged"]) == (1, 1)
    assert p["fp_top"] == {"checked": 2, "flagged": 0, "names": []} and p["fp_snapshot"] == 0
    assert (p["near_neighbours"]["neighbours_in_listing"], p["near_neighbours"]["flagged"]) == (2, 2)
    assert (n["near_neighbours"]["neighbours_in_listing"], n["near_neighbours"]["flagged"]) == (2, 2)
    assert p["popular_pairs"]["pairs"] == 1 and p["popular_pairs"]["flagged"] == 0  # boto / boto3
    assert n["popular_pairs"]["flagged"] == 0
    assert report["timings"]["npm_load_ms"] >= 0
