#!/usr/bin/env sh
# The Debian packages the tests talk to (`npm test` runs this first, as does .ci/run): the feed
# readers (python3-feedparser, newsboat), the XML checker (libxml2-utils), the browser (chromium)
# and its font (fonts-dejavu-core). Installs what is missing when it can (root, or sudo without a
# password); otherwise stops with the one command to run. Silent when nothing is missing.
set -u
missing=""
need() { missing="$missing $1"; }
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import feedparser' 2>/dev/null; } || need python3-feedparser
command -v newsboat >/dev/null 2>&1 || need newsboat
command -v xmllint >/dev/null 2>&1 || need libxml2-utils
[ -x /usr/bin/chromium ] || need chromium
[ -d /usr/share/fonts/truetype/dejavu ] || need fonts-dejavu-core
[ -z "$missing" ] && exit 0

missing="${missing# }"
command="apt-get install -y --no-install-recommends $missing"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these Debian packages, and this system has no apt-get: $missing" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "The tests need Debian packages that are not installed. Run, then try again:" >&2
  echo "  sudo apt-get update && sudo $command" >&2
  exit 1
fi
echo "installing Debian packages the tests need: $missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq && $sudo $command -qq >/dev/null || {
  echo "installing failed; run: sudo apt-get update && sudo $command" >&2
  exit 1
}
