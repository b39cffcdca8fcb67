#!/usr/bin/env bash
# Validate SARIF files with the SARIF Multitool's SARIF and GitHub rules:
#
#   eval "$(.ci/sarif-tools.sh)"; .ci/validate-sarif.sh out.sarif [more.sarif ...]
#
# Prints every validation result. Exits 1 if any file has an error-level
# result, or a warning from a GitHub (GH*) rule, since those predict a
# rejected or mangled upload to code scanning; notes and other warnings are
# printed but not fatal. Exits 2 on usage errors or if the Multitool fails.
#
# SARIF2006 (UrisShouldBeReachable) is disabled: it makes HTTP requests for
# every URI in the log (helpUri, $schema), which makes CI depend on the
# network and on docs pages that may not be published yet.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 FILE.sarif..." >&2
  exit 2
fi
if [[ -z ${LSL_SARIF_MULTITOOL:-} || ! -x $LSL_SARIF_MULTITOOL ]]; then
  echo "validate-sarif.sh: LSL_SARIF_MULTITOOL is not set or not executable; run: eval \"\$(.ci/sarif-tools.sh)\"" >&2
  exit 2
fi

# The Multitool is a .NET app; without ICU installed it aborts unless
# globalization runs in invariant mode (harmless for validation).
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1}
export DOTNET_CLI_TELEMETRY_OPTOUT=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/config.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
XML

status=0
for file in "$@"; do
  if [[ ! -f $file ]]; then
    echo "validate-sarif.sh: no such file: $file" >&2
    exit 2
  fi
  out=$tmp/validation.sarif
  rm -f "$out"
  # A non-zero exit alone is not fatal (the Multitool may flag findings that
  # way); the verdict comes from the log, so only a missing log is an error.
  "$LSL_SARIF_MULTITOOL" validate --rule-kind "Sarif;Gh" --level "Error;Warning;Note" \
    --config "$tmp/config.xml" --log ForceOverwrite --output "$out" "$file" \
    >"$tmp/console.txt" 2>&1 || true
  if [[ ! -s $out ]]; then
    cat "$tmp/console.txt" >&2
    echo "validate-sarif.sh: the Multitool wrote no validation log for $file" >&2
    exit 2
  fi
  python3 - "$file" "$out" <<'PY' || status=1
"""Print the Multitool's validation results; exit 1 if any is fatal."""
import json
import re
import sys

target, log_path = sys.argv[1], sys.argv[2]
with open(log_path, encoding="utf-8-sig") as fh:
    log = json.load(fh)


def message_text(message, rule):
    # Multitool results use message.id + arguments, resolved via the rule's messageStrings.
    if message.get("text"):
        return message["text"]
    template = (rule or {}).get("messageStrings", {}).get(message.get("id", ""), {}).get("text", "")
    args = message.get("arguments", [])
    return re.sub(r"\{(\d+)\}", lambda m: args[int(m.group(1))] if int(m.group(1)) < len(args) else m.group(0), template)


counts = {"error": 0, "warning": 0, "note": 0}
fatal = 0
for run in log.get("runs", []):
    rules = run.get("tool", {}).get("driver", {}).get("rules", [])
    by_id = {r.get("id"): r for r in rules}
    for result in run.get("results", []):
        rule_id = result.get("ruleId", "?")
        rule = rules[result["ruleIndex"]] if 0 <= result.get("ruleIndex", -1) < len(rules) else by_id.get(rule_id)
        level = result.get("level") or (rule or {}).get("defaultConfiguration", {}).get("level", "warning")
        counts[level] = counts.get(level, 0) + 1
        is_fatal = level == "error" or (level == "warning" and rule_id.startswith("GH"))
        fatal += is_fatal
        region = (result.get("locations") or [{}])[0].get("physicalLocation", {}).get("region", {})
        where = f"{target}:{region.get('startLine', '?')}:{region.get('startColumn', '?')}"
        name = (rule or {}).get("name", "")
        print(f"{where}: {level.upper()}{' (fatal)' if is_fatal else ''} {rule_id} {name}: {message_text(result.get('message', {}), rule)}")
    # Tool errors (e.g. the file is not JSON) are notifications, not results.
    for inv in run.get("invocations", []):
        for note in inv.get("toolExecutionNotifications", []) + inv.get("toolConfigurationNotifications", []):
            if note.get("level", "warning") == "error":
                fatal += 1
                print(f"{target}: ERROR (tool) {note.get('message', {}).get('text', '')}")
        if inv.get("executionSuccessful") is False:
            fatal += 1
            print(f"{target}: ERROR (tool) the Multitool did not run successfully")

summary = ", ".join(f"{n} {lvl}(s)" for lvl, n in counts.items())
print(f"{target}: {summary}; {'FAILED' if fatal else 'OK'}")
sys.exit(1 if fatal else 0)
PY
done
exit "$status"
