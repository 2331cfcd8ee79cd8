#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu base image):
# Node 24 LTS (20 and 22 work too), bubblewrap (the sandbox, where the image allows it), unzip, and the harness's packages
# without the optional native tfjs backends (they would download libtensorflow).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl gnupg bubblewrap unzip util-linux
if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  curl -fsSL https://deb.nodesource.com/setup_24.x | bash -
  apt-get install -y -qq nodejs
fi
cd "$(dirname "$0")"
npm ci --omit=optional --no-audit --no-fund
chmod -R go-rwx hidden 2>/dev/null || true
