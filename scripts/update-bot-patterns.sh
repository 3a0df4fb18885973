#!/usr/bin/env bash
# Refreshes experiments/isbot_patterns.json, the bot patterns copylab flags
# user agents with, from the isbot package on the npm registry (the most
# used bot detector there, kept up to date by its community; Unlicense).
# copylab reads the list only: the matching is Go (experiments/bots.go).
#
#   scripts/update-bot-patterns.sh          # the version pinned below
#   scripts/update-bot-patterns.sh 5.3.0    # another version
#
# Needs npm and node; the build and the tests need neither. Review the diff
# and run the tests before committing the new list.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${1:-5.2.3}
out=experiments/isbot_patterns.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "isbot@$VERSION" >/dev/null && tar xzf isbot-*.tgz)
node -e '
const pkg = require(process.argv[1] + "/package.json");
const { list } = require(process.argv[1]);
if (!Array.isArray(list) || list.length < 50) throw new Error("isbot exports no pattern list");
const head = { package: pkg.name, version: pkg.version, license: pkg.license };
const lines = list.map((p) => "    " + JSON.stringify(p));
process.stdout.write(JSON.stringify(head, null, 2).replace(/\n}$/, ",\n  \"patterns\": [\n" + lines.join(",\n") + "\n  ]\n}\n"));
' "$tmp/package" >"$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out from isbot $VERSION ($(grep -c '^    "' "$out") patterns)"
go test ./experiments -run 'IsBot|BotPatterns' -count 1
