#!/usr/bin/env bash
# Install the SARIF tooling the SARIF tests and .ci/validate-sarif.sh need, and
# print `export` lines for the caller to eval:
#
#   eval "$(.ci/sarif-tools.sh [CACHE_DIR])"
#
#   LSL_SARIF_SCHEMA     the SARIF 2.1.0 JSON schema(s), ':'-separated:
#                        first the final 2.1.0 schema (draft 2020-12; the same
#                        schema github/codeql-action's upload-sarif checks),
#                        then 2.1.0-rtm.5 (draft-04). tests/test_sarif_schema.py
#                        validates against each.
#   LSL_SARIF_MULTITOOL  the SARIF Multitool (Sarif.Multitool validate).
#
# Both come from pinned npm packages, so nothing is copied into the repo.
# CACHE_DIR defaults to $LSL_SARIF_CACHE or <repo>/.ci-cache/sarif (gitignored);
# an install there is reused while the pinned versions match.
# Only the export lines go to stdout; npm's output goes to stderr.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${1:-${LSL_SARIF_CACHE:-$repo/.ci-cache/sarif}}

multitool_pkg=@microsoft/sarif-multitool-linux
multitool_version=5.7.0
jest_sarif_pkg=@microsoft/jest-sarif
jest_sarif_version=1.0.0-beta.0

modules=$cache/node_modules
multitool_dir=$modules/$multitool_pkg
multitool=$multitool_dir/Sarif.Multitool
schema_final=$multitool_dir/sarif-2.1.0.json
schema_rtm5=$modules/$jest_sarif_pkg/lib/schemas/sarif-2.1.0-rtm.5.json

# True if package $1 is installed in the cache at exactly version $2.
installed() {
  local manifest=$modules/$1/package.json
  [[ -f $manifest ]] && grep -Eq "\"version\"[[:space:]]*:[[:space:]]*\"$2\"" "$manifest"
}

if ! installed "$multitool_pkg" "$multitool_version" || ! installed "$jest_sarif_pkg" "$jest_sarif_version" \
  || [[ ! -f $multitool || ! -f $schema_final || ! -f $schema_rtm5 ]]; then
  command -v npm >/dev/null || { echo "sarif-tools.sh: npm is required (install Node.js)" >&2; exit 2; }
  mkdir -p "$cache"
  # --ignore-scripts: the only install script is the Multitool's own
  # `chmod u+x`, done below; npm's install-scripts policy may block it anyway.
  npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$cache" \
    "$multitool_pkg@$multitool_version" "$jest_sarif_pkg@$jest_sarif_version" >&2
fi

chmod u+x "$multitool"
for f in "$multitool" "$schema_final" "$schema_rtm5"; do
  [[ -f $f ]] || { echo "sarif-tools.sh: expected $f after npm install" >&2; exit 1; }
done

# Single-quote for eval in any POSIX shell, even if the path has spaces or quotes.
shell_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

echo "export LSL_SARIF_SCHEMA=$(shell_quote "$schema_final:$schema_rtm5")"
echo "export LSL_SARIF_MULTITOOL=$(shell_quote "$multitool")"
