"""Configuration: find it, validate it against the bundled JSON schema, merge
the command line over it."""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TOOL_KEY = "lambda-secrets-lint"
DOTFILE = ".lambda-secrets-lint.toml"
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024


class ConfigError(Exception):
    """A configuration problem; the CLI prints it on one line and exits 2."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: str = "warning"
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extra_secret_words: tuple[str, ...] = ()
    allowed_env_names: tuple[str, ...] = ()
    allowed_value_hashes: tuple[str, ...] = ()
    denylist: tuple[str, ...] = ()
    allowed_dependencies: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    respect_gitignore: bool = True
    source: Path | None = None  # the file it came from, if any

    def merged(self, **overrides: Any) -> "Config":
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _schema() -> dict[str, Any]:
    text = resources.files("lambda_secrets_lint").joinpath("data/config.schema.json").read_text("utf-8")
    return json.loads(text)


_SIZE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*([kKmMgG]i?[bB]?|[bB])?$")
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(value: int | str) -> int:
    if isinstance(value, int):
        return value
    m = _SIZE.match(value.strip())
    if not m:
        raise ConfigError(f"max-file-size: cannot read {value!r} as a size (use bytes or e.g. '5MB')")
    number, unit = m.groups()
    return int(float(number) * _UNITS[(unit or "")[:1].lower()])


def _describe(error: Any) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties" and not where:
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"unknown key {', '.join(repr(e) for e in extra)}"
    if error.validator == "additionalProperties":
        return f"{where}: unknown key"
    # The schema's own wording is long; name the key and what was expected.
    expected = error.schema.get("type") or error.schema.get("enum") or error.validator
    return f"key {where!r}: expected {expected}, got {json.dumps(error.instance)[:60]}"


def validate(data: dict[str, Any], origin: str) -> Config:
    import jsonschema  # deferred: only runs when a config file exists

    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise ConfigError(f"{origin}: {_describe(errors[0])}")
    pfi = data.get("per-file-ignores", {})
    return Config(
        select=tuple(data.get("select", ())),
        ignore=tuple(data.get("ignore", ())),
        exclude=tuple(data.get("exclude", ())),
        fail_on=data.get("fail-on", "warning"),
        per_file_ignores=tuple((k, tuple(v)) for k, v in pfi.items()),
        extra_secret_words=tuple(data.get("extra-secret-words", ())),
        allowed_env_names=tuple(data.get("allowed-env-names", ())),
        allowed_value_hashes=tuple(data.get("allowed-value-hashes", ())),
        denylist=tuple(data.get("denylist", ())),
        allowed_dependencies=tuple(data.get("allowed-dependencies", ())),
        max_file_size=parse_size(data.get("max-file-size", DEFAULT_MAX_FILE_SIZE)),
        respect_gitignore=bool(data.get("respect-gitignore", True)),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load_file(path: Path) -> Config:
    """Load an explicitly named config file (pyproject.toml or a dotfile)."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        section = data.get("tool", {}).get(TOOL_KEY)
        if section is None:
            raise ConfigError(f"{path}: has no [tool.{TOOL_KEY}] section")
        origin = f"{path} [tool.{TOOL_KEY}]"
    else:
        section, origin = data, str(path)
    if not isinstance(section, dict):
        raise ConfigError(f"{origin}: must be a table")
    return replace(validate(section, origin), source=path)


def discover(start: Path) -> Config:
    """The nearest config at or above `start`: in each directory a
    .lambda-secrets-lint.toml wins over pyproject.toml; a pyproject.toml
    without our section does not stop the search."""
    here = start if start.is_dir() else start.parent
    for directory in [here, *here.parents]:
        dotfile = directory / DOTFILE
        if dotfile.is_file():
            return load_file(dotfile)
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            data = _read_toml(pyproject)
            if TOOL_KEY in data.get("tool", {}):
                return load_file(pyproject)
    return Config()
