#!/usr/bin/env bash
# One command for a new user: install missing dependencies, build rtcascade (Release) into
# build/, and run the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)"
echo "=== main job: the default study (hand-picked influencers vs broadcast audiences) ==="
build/rtcascade run --force
