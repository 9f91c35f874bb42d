#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for the leaderboard browser test.
# Usage (as root, on Debian): bash .ci/browser.sh
# The test drives /usr/bin/chromium with the Python Playwright package from the venv;
# it never runs `playwright install` (no browser download from outside Debian).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || true)"
    exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation
echo "installed: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
