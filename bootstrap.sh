#!/usr/bin/env bash
# Set up coursekit on a fresh Linux machine and show it doing its main job.
#   bash bootstrap.sh            # set up, then build every assignment and grade the examples
#   bash bootstrap.sh --no-demo  # set up only (what CI uses)
# Installs: bubblewrap (the grading sandbox) and libseccomp2 (its system-call filter, used through
# the pyseccomp binding) from Debian/Ubuntu packages when missing (needs root or sudo; without
# them grading still works, with a loud warning), a virtual environment in .venv, and the kit
# with its dependencies from PyPI.
set -euo pipefail
cd "$(dirname "$0")"

demo=1
[ "${1:-}" = "--no-demo" ] && demo=0

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

if ! command -v bwrap >/dev/null 2>&1; then
  echo "== installing bubblewrap (grading sandbox)"
  if command -v apt-get >/dev/null 2>&1; then
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap \
      || echo "!! could not install bubblewrap: grading will run without isolation (see README)"
  else
    echo "!! no apt-get: install bubblewrap with your package manager for sandboxed grading"
  fi
fi

if ! ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2'; then
  echo "== installing libseccomp2 (the grading sandbox's system-call filter)"
  if command -v apt-get >/dev/null 2>&1; then
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libseccomp2 \
      || echo "!! could not install libseccomp2: grading will run without a seccomp filter (see README)"
  else
    echo "!! no apt-get: install libseccomp with your package manager for the sandbox's seccomp filter"
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  python3 -m venv .venv
fi
echo "== installing coursekit and its dependencies (first time: several minutes, torch is large)"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"

# A local data mirror beside the checkout (as on the course machines) is used when present.
if [ -z "${COURSEKIT_MIRROR:-}" ] && [ -d ../shared/datasets ]; then
  export COURSEKIT_MIRROR="$(cd ../shared/datasets && pwd)"
fi

if [ "$demo" = 1 ]; then
  echo "== coursekit demo: build every assignment, prove it, grade the bundled example submissions"
  .venv/bin/coursekit demo
fi
