#!/bin/sh
# The browser test (tests/web/browser.mjs): a `lemma serve` on a free loopback
# port with a fresh progress database, driven by headless Chromium. Screenshots
# land in web-artifacts/ beside the lemma binary (the build folder).
# Usage: web_browser.sh PATH/TO/lemma
set -u
LEMMA=${1:?usage: web_browser.sh PATH/TO/lemma}
root=$(cd "$(dirname "$0")/../.." && pwd)
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
    echo "SKIPPED: the browser test needs Debian's chromium, which is not installed (scripts/install-deps installs it)" >&2
    exit 77 # ctest shows it as skipped (SKIP_RETURN_CODE), and run-all counts it
fi
command -v node >/dev/null || { echo "web_browser.sh: node is missing (scripts/install-deps installs it)"; exit 1; }
[ -d "$root/node_modules/playwright-core" ] || { echo "web_browser.sh: node_modules/playwright-core is missing: run scripts/install-deps"; exit 1; }

tmp=$(mktemp -d)
out=$(cd "$(dirname "$LEMMA")" && pwd)/web-artifacts
rm -rf "$out"
. "$root/tests/lib/serve.sh"
trap 'stop_server; rm -rf "$tmp"' EXIT
start_server "$LEMMA" "$tmp" --db "$tmp/progress.db" || exit 1
# HOME for chromium's profile: never the learner's own
HOME=$tmp timeout 120 node "$root/tests/web/browser.mjs" "$base" "$out" "$chromium"
