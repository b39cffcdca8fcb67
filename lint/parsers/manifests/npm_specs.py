"""What an npm dependency spec says about where the code comes from.

Shared by package.json, the npm lockfiles and yarn.lock: a semver range or
dist-tag is the registry under the dependency's own name; `npm:real@range`
is the registry under another name (an alias); git, tarball URLs, paths and
the workspace/link/file/portal/patch protocols are not the registry.
"""
from __future__ import annotations

import re

__all__ = ["is_registry_spec", "is_registry_tarball", "split_name_range", "is_valid_npm_name"]

_NOT_REGISTRY_PREFIXES = (
    "git+", "git:", "git@", "github:", "gitlab:", "bitbucket:", "gist:",
    "http:", "https:", "file:", "link:", "workspace:", "portal:", "patch:", "exec:",
    "./", "../", "~/", "/", ".\\", "..\\",
)  # fmt: skip
# One optional @scope/ then a name: no whitespace, no further "/" or "@".
_NAME = re.compile(r"(?:@[^\s/@]+/)?[^\s/@]+")


def is_registry_spec(spec: str) -> bool:
    text = spec.strip().lower()
    if text.startswith(_NOT_REGISTRY_PREFIXES) or text in (".", ".."):
        return False
    # "user/repo" GitHub shorthand: a semver range or a dist-tag never has a "/".
    return "/" not in text


def is_registry_tarball(resolved: object) -> bool:
    """A lockfile's `resolved`: registry tarballs have the `<name>/-/<file>` shape.

    Absent means unknown, which counts as the registry; git, file: and other
    URLs (a GitHub codeload tarball, say) do not.
    """
    if not isinstance(resolved, str):
        return True
    text = resolved.lower()
    return text.startswith(("https://", "http://")) and "/-/" in text


def split_name_range(descriptor: str) -> tuple[str, str] | None:
    """"name@range" -> (name, range); "@scope/name@range" too; None without a name."""
    at = descriptor.find("@", 1)
    if at < 0:
        return (descriptor, "") if descriptor else None
    return descriptor[:at], descriptor[at + 1 :]


def is_valid_npm_name(name: str) -> bool:
    return 0 < len(name) <= 214 and _NAME.fullmatch(name) is not None
