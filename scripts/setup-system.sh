#!/usr/bin/env bash
# The system packages the self-tests use, from Debian: chromium (the HTML reports' browser tests),
# bubblewrap (the sandbox around submissions) and zip/unzip (the Gradescope package). Idempotent;
# run by `npm test` before the tests (the `pretest` script). Without root or apt-get it says what to install and leaves the decision
# to the tests: the browser tests then fail with instructions, grading runs with Node's layers only.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

need=()
[ -x /usr/bin/chromium ] || need+=(chromium fonts-dejavu-core)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v zip >/dev/null 2>&1 || need+=(zip)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: missing ${need[*]}; install them as root (apt-get install -y ${need[*]})" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "setup-system: installing ${need[*]}" >&2
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
if [ -x /usr/bin/chromium ]; then bash "$here/install-browser.sh" >/dev/null; fi
echo "setup-system: done" >&2
