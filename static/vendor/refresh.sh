#!/bin/sh
# refresh.sh downloads htmx from the npm registry and vendors its minified
# build as static/vendor/htmx.min.js. Run it from anywhere; it needs npm and tar.
#
# Pinned to htmx 2.x on purpose: the registry's latest is 4.x, a rewrite with
# breaking changes, and the app's markup (hx-get, hx-trigger="every 5s",
# hx-headers, the htmx-config meta tag) is written for 2.x.
#
# Vendored version: htmx.org 2.0.11
set -eu
VERSION="${1:-2}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "htmx.org@$VERSION" >/dev/null
tar xzf htmx.org-*.tgz
cp package/dist/htmx.min.js "$here/htmx.min.js"
cp package/LICENSE "$here/htmx.LICENSE" 2>/dev/null || true
got="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' package/package.json | head -n1)"
echo "vendored htmx.org $got into $here/htmx.min.js; update the version in this script's header comment"
