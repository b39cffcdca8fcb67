"""SARIF 2.1.0 reporter, shaped for GitHub code scanning and the VS Code SARIF viewer.

GitHub is the stricter consumer: it rejects a file that breaks the schema or
its size limits, wants non-empty rule descriptions, reads only
`primaryLocationLineHash`, and ignores `uriBaseId`. The VS Code viewer needs
`originalUriBaseIds` to map relative URIs back to files. Both constraints
shape the code below (see REFERENCE.md §H).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lambda_secrets_lint import fingerprints
from lambda_secrets_lint.model.findings import Finding, Fix, Level, Related, Suppression
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.model.results import RunResult
from lambda_secrets_lint.rule import RuleMeta

JSON = dict[str, Any]

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "lambda-secrets-lint"
DEFAULT_INFORMATION_URI = "https://github.com/lambda-secrets-lint/lambda-secrets-lint"
SRCROOT = "%SRCROOT%"

# GitHub limits: longer descriptions are truncated or rejected, and more than
# 20 tags or 1,000 locations per result rejects the whole upload.
MAX_DESCRIPTION_CHARS = 1024
MAX_NAME_CHARS = 255
MAX_TAGS = 20
MAX_RELATED_LOCATIONS = 1000

_PROBLEM_SEVERITY = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "recommendation"}
_SUPPRESSION_KINDS = ("inSource", "external")
# Used only if a Suppression carries a kind SARIF does not know: the schema
# would reject the whole file, so derive the kind from where it came from.
_KIND_BY_SOURCE = {"comment": "inSource", "metadata": "inSource", "baseline": "external", "config": "external"}


def render_sarif(
    result: RunResult,
    *,
    show_suppressed: bool = False,
    tool_version: str,
    information_uri: str = DEFAULT_INFORMATION_URI,
    category: str | None = None,
) -> str:
    """Render one run as a SARIF 2.1.0 log (a JSON string without a trailing newline).

    Suppressed findings are left out unless `show_suppressed`: GitHub ignores
    `suppressions` and would open alerts for them (RULES.md).
    `category` sets `automationDetails.id`; leave it None so that the
    `category:` input of github/codeql-action/upload-sarif still applies (it
    only fills automationDetails when the file has none).
    """
    log = build_sarif_log(
        result,
        show_suppressed=show_suppressed,
        tool_version=tool_version,
        information_uri=information_uri,
        category=category,
    )
    return json.dumps(log, indent=2, ensure_ascii=False)


def build_sarif_log(
    result: RunResult,
    *,
    show_suppressed: bool = False,
    tool_version: str,
    information_uri: str = DEFAULT_INFORMATION_URI,
    category: str | None = None,
) -> JSON:
    """The SARIF log as plain JSON data (what render_sarif serialises)."""
    rule_index = _rule_index(result.rules)
    notification_ids = _notification_rule_ids(result)
    run: JSON = {
        "tool": {
            "driver": _driver(result.rules, notification_ids, tool_version, information_uri),
        },
        "invocations": [_invocation(result, rule_index, notification_ids)],
        "originalUriBaseIds": {
            SRCROOT: {
                "uri": root_uri(result.root),
                "description": {"text": "The project root that result paths are relative to."},
            }
        },
        # An empty list (never a missing key) tells GitHub the scan ran and
        # found nothing, which closes previously open alerts.
        "results": [_result(f, rule_index) for f in _reported_findings(result, show_suppressed)],
        "columnKind": "unicodeCodePoints",
    }
    if category is not None:
        run["automationDetails"] = {"id": automation_id(category)}
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


# --- paths and URIs -----------------------------------------------------------


def artifact_uri(path: str) -> str:
    """A root-relative POSIX path as a relative URI reference.

    Everything but unreserved characters and `/` is percent-encoded: spaces,
    `%`, `#` and `?` would otherwise change the URI's meaning, and a `:` in the
    first segment would turn it into a scheme. Bytes that are not valid UTF-8
    (surrogate-escaped file names) are encoded as the original bytes.
    """
    posix = path.replace("\\", "/").removeprefix("./")
    return quote(posix.encode("utf-8", "surrogateescape"), safe="/")


def root_uri(root: Path) -> str:
    """`file:///abs/root/`: the VS Code viewer parses it strictly and joins
    relative URIs to it, so it must be absolute and end with a slash."""
    uri = Path(root).absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def automation_id(category: str) -> str:
    """GitHub reads the category as everything up to the LAST `/`; a trailing
    slash makes the whole value the category, as upload-sarif's `category:` does."""
    return category if category.endswith("/") else category + "/"


# --- tool.driver ---------------------------------------------------------------


def _driver(
    rules: tuple[RuleMeta, ...],
    notification_ids: tuple[str, ...],
    tool_version: str,
    information_uri: str,
) -> JSON:
    driver: JSON = {"name": TOOL_NAME}
    if tool_version:
        driver["version"] = tool_version
        driver["semanticVersion"] = tool_version
    driver["informationUri"] = information_uri
    # ALL registered rules in registry order, so a ruleIndex means the same
    # rule in every run regardless of what fired.
    driver["rules"] = [rule_descriptor(meta, information_uri) for meta in rules]
    if notification_ids:
        by_id = {meta.id: meta for meta in rules}
        driver["notifications"] = [
            _notification_descriptor(i, by_id.get(i), information_uri) for i in notification_ids
        ]
    return driver


def rule_descriptor(meta: RuleMeta, information_uri: str = DEFAULT_INFORMATION_URI) -> JSON:
    """One `reportingDescriptor`; every text GitHub requires is non-empty."""
    summary = _limit(_one_line(meta.summary) or meta.name or meta.id)
    help_text = plain_text(meta.doc) or summary
    return {
        "id": meta.id,
        "name": _limit(meta.name or meta.id, MAX_NAME_CHARS),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _limit(full_description(meta.doc) or summary)},
        "help": {"text": help_text, "markdown": meta.doc.strip() or summary},
        "helpUri": help_uri(meta.id, information_uri),
        "defaultConfiguration": {"level": Level(meta.level).value},
        "properties": _rule_properties(meta),
    }


def help_uri(rule_id: str, information_uri: str = DEFAULT_INFORMATION_URI) -> str:
    return f"{information_uri.rstrip('/')}/blob/main/docs/rules/{quote(rule_id)}.md"


def _rule_properties(meta: RuleMeta) -> JSON:
    level = Level(meta.level)
    props: JSON = {"tags": rule_tags(meta), "precision": meta.precision}
    # security-severity makes GitHub file the rule under "security" with a
    # critical/high/medium/low badge. Engine-level rules (parse errors, unused
    # suppressions) are not security problems, so they keep the plain level.
    if not meta.tool_level:
        props["security-severity"] = str(meta.security_severity)
    props["problem.severity"] = _PROBLEM_SEVERITY[level]
    return props


def rule_tags(meta: RuleMeta) -> list[str]:
    """Tags with `security` and the CWE tags first: GitHub shows only the
    first 10 of at most 20 tags, and the CWE tags drive its CWE filters."""
    base = [] if meta.tool_level else ["security"]
    candidates = [*base, *(cwe_tag(c) for c in meta.cwe), *meta.tags]
    return _unique(t.strip() for t in candidates if t and t.strip())[:MAX_TAGS]


_CWE = re.compile(r"^\s*(?:cwe)?[-_ /]*(\d+)\s*$", re.IGNORECASE)


def cwe_tag(cwe: str) -> str:
    """`CWE-798` -> `external/cwe/cwe-798`, the form CodeQL and GitHub use."""
    m = _CWE.match(cwe)
    return f"external/cwe/cwe-{int(m.group(1))}" if m else f"external/cwe/{cwe.strip().lower()}"


def _notification_descriptor(rule_id: str, meta: RuleMeta | None, information_uri: str) -> JSON:
    """A notification's `descriptor.index` indexes driver.notifications, not
    driver.rules (that is `associatedRule`), so each notification id needs a
    descriptor of its own. GitHub requires the same texts on these as on rules
    (Multitool GH2012), so it is the full rule descriptor."""
    if meta is not None:
        return rule_descriptor(meta, information_uri)
    text = f"Tool notification {rule_id}."
    return {
        "id": rule_id,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": text},
    }


# --- rule docs (markdown) ------------------------------------------------------

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def full_description(doc: str) -> str:
    """The first paragraph of the doc's "What it does" section, as plain text
    (GitHub shows fullDescription verbatim); the doc's first paragraph if the
    section is missing."""
    lines = _section_lines(doc, "What it does")
    if lines is None:
        lines = [ln for ln in doc.splitlines() if not _HEADING.match(ln)]
    return plain_text(" ".join(_first_paragraph(lines)))


def _section_lines(doc: str, title: str) -> list[str] | None:
    lines = doc.splitlines()
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m and m.group(2).strip().lower() == title.lower():
            level = len(m.group(1))
            body: list[str] = []
            for following in lines[i + 1 :]:
                h = _HEADING.match(following)
                if h and len(h.group(1)) <= level:
                    break
                body.append(following)
            return body
    return None


_LIST_MARKER = re.compile(r"^(?:[-*+]|\d+[.)])\s+")


def _first_paragraph(lines: list[str]) -> list[str]:
    """Lines up to the first blank line. List markers are dropped because the
    lines get joined into one line of text, and doc authors already end list
    items with `;` or `,`."""
    para: list[str] = []
    for line in lines:
        if not line.strip():
            if para:
                break
            continue
        para.append(_LIST_MARKER.sub("", line.strip()))
    return para


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_CODE = re.compile(r"`+([^`]+?)`+")


def plain_text(markdown: str) -> str:
    """Markdown -> readable plain text for `help.text` (consumers that do not
    render `help.markdown` show this). Keeps code blocks, drops markup.
    Single underscores are left alone: env var names such as API_KEY use them."""
    out: list[str] = []
    in_fence = False
    for line in markdown.strip().splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append("    " + line)
            continue
        heading = _HEADING.match(line)
        out.append(heading.group(2) if heading else _inline_plain(line))
    return "\n".join(out).strip()


def _inline_plain(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _BOLD.sub(r"\2", line)
    line = _EMPHASIS.sub(r"\1", line)
    return _CODE.sub(r"\1", line)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _limit(text: str, limit: int = MAX_DESCRIPTION_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # prefer a word boundary unless it loses too much
        cut = cut[:space]
    return cut.rstrip() + "…"


# --- results -------------------------------------------------------------------


def _reported_findings(result: RunResult, show_suppressed: bool) -> list[Finding]:
    """Findings plus LSL000 notifications as results: users see unreadable
    files in code scanning. RunResult may or may not already list the
    notifications among its findings, so merge without duplicates."""
    findings = list(result.findings)
    known = set(findings)
    findings.extend(n for n in result.notifications if n not in known)
    # Stable sort: the engine's (path, line, column, rule) order is kept.
    findings.sort(key=Finding.sort_key)
    return [f for f in findings if show_suppressed or f.suppression is None]


def _rule_index(rules: tuple[RuleMeta, ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, meta in enumerate(rules):
        index.setdefault(meta.id, i)
    return index


def _result(finding: Finding, rule_index: dict[str, int]) -> JSON:
    out: JSON = {"ruleId": finding.rule_id}
    if finding.rule_id in rule_index:
        out["ruleIndex"] = rule_index[finding.rule_id]
    out["level"] = Level(finding.level).value
    out["message"] = {"text": finding.message or finding.rule_name or finding.rule_id}
    out["locations"] = [{"physicalLocation": physical_location(finding.location)}]
    if finding.related:
        out["relatedLocations"] = _related_locations(finding.related)
    out["partialFingerprints"] = {"primaryLocationLineHash": fingerprint(finding)}
    fix = _fix(finding.fix) if finding.fix is not None else None
    if fix is not None:
        out["fixes"] = [fix]
    if finding.suppression is not None:
        out["suppressions"] = [_suppression(finding.suppression)]
    return out


def fingerprint(finding: Finding) -> str:
    """The engine's line-independent fingerprint, so alerts survive unrelated
    edits. GitHub only reads `primaryLocationLineHash` and expects `<hex>:<n>`.
    A finding the engine did not number (a hand-built RunResult) gets the
    digest the engine would give it, as occurrence 1, so it still matches
    the baseline."""
    if finding.fingerprint:
        return finding.fingerprint
    key = " ".join(finding.fingerprint_key.split())  # normalised as fingerprints.assign does
    return f"{fingerprints.digest(finding.rule_id, finding.location.path, key)}:1"


def physical_location(location: Location) -> JSON:
    return {"artifactLocation": _artifact_location(location.path), "region": region(location.span)}


def _artifact_location(path: str) -> JSON:
    # GitHub ignores uriBaseId and resolves the uri against the checkout root;
    # the VS Code viewer resolves it through originalUriBaseIds.
    return {"uri": artifact_uri(path), "uriBaseId": SRCROOT}


def region(span: Span) -> JSON:
    """SARIF rejects (and viewers mis-draw) a region that ends before it starts;
    clamp rather than emit an invalid file. end_col is already exclusive."""
    start_line = max(1, span.line)
    start_col = max(1, span.col)
    end_line = max(start_line, span.end_line)
    end_col = max(1, span.end_col)
    if end_line == start_line and end_col < start_col:
        end_col = start_col
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}


def _related_locations(related: tuple[Related, ...]) -> list[JSON]:
    # ids start at 1 so messages can link them as "[text](1)"; ids must be
    # unique within the result.
    return [
        {
            "id": i,
            "physicalLocation": physical_location(r.location),
            "message": {"text": r.message or "Related location."},
        }
        for i, r in enumerate(related[:MAX_RELATED_LOCATIONS], start=1)
    ]


def _fix(fix: Fix) -> JSON | None:
    """`fixes` live on the result; each artifactChange groups one file's
    replacements (SARIF §3.55-3.57). A fix without replacements is not valid
    SARIF (artifactChanges needs at least one item), so it is dropped."""
    by_path: dict[str, list[JSON]] = {}
    for rep in fix.replacements:
        by_path.setdefault(rep.location.path, []).append(
            {"deletedRegion": region(rep.location.span), "insertedContent": {"text": rep.new_text}}
        )
    if not by_path:
        return None
    out: JSON = {}
    if fix.description:
        out["description"] = {"text": fix.description}
    out["artifactChanges"] = [
        {"artifactLocation": _artifact_location(path), "replacements": reps} for path, reps in by_path.items()
    ]
    return out


def _suppression(s: Suppression) -> JSON:
    kind = s.kind if s.kind in _SUPPRESSION_KINDS else _KIND_BY_SOURCE.get(s.source, "external")
    out: JSON = {"kind": kind, "status": "accepted"}
    if s.justification:
        out["justification"] = s.justification
    if s.source:
        out["properties"] = {"source": s.source}
    return out


# --- invocation and notifications ----------------------------------------------


def _notification_rule_ids(result: RunResult) -> tuple[str, ...]:
    """Rule ids used by notifications, in rules[] order (unknown ids last)."""
    used = {n.rule_id for n in result.notifications}
    ordered = [meta.id for meta in result.rules if meta.id in used]
    return tuple(_unique([*ordered, *sorted(used - set(ordered))]))


def _invocation(result: RunResult, rule_index: dict[str, int], notification_ids: tuple[str, ...]) -> JSON:
    descriptor_index = {rule_id: i for i, rule_id in enumerate(notification_ids)}
    return {
        "executionSuccessful": result.execution_successful,
        "toolExecutionNotifications": [
            _notification(n, rule_index, descriptor_index) for n in result.notifications
        ],
    }


def _notification(finding: Finding, rule_index: dict[str, int], descriptor_index: dict[str, int]) -> JSON:
    out: JSON = {
        "level": Level(finding.level).value,
        "message": {"text": finding.message or finding.rule_name or finding.rule_id},
        "locations": [{"physicalLocation": physical_location(finding.location)}],
        "descriptor": {"id": finding.rule_id, "index": descriptor_index[finding.rule_id]},
    }
    associated: JSON = {"id": finding.rule_id}
    if finding.rule_id in rule_index:
        associated["index"] = rule_index[finding.rule_id]
    out["associatedRule"] = associated
    return out


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
