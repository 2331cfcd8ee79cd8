#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report browser tests (test/reports/browser.test.ts), if it
# is missing. Idempotent: does nothing when /usr/bin/chromium is already there. Needs root (or sudo).
#   tools/install-browser.sh          CI calls this before `npm test`
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  echo "install-browser: $("$CHROMIUM" --version 2>/dev/null || echo chromium) already installed at $CHROMIUM"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-browser: chromium is missing and installing it needs root: run 'apt-get update && apt-get install -y chromium' as root" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no apt-get here; install Chromium with your package manager so that $CHROMIUM exists" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium) at $CHROMIUM"
