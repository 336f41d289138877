#!/usr/bin/env bash
# The main job: installs what is missing, builds the release preset, and runs the tutorial
# tour on the bundled data (pictures land in build/release/tour-output/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target tour
mkdir -p build/release/tour-output
cd build/release/tour-output
../tutorials/tour --data ../../../data "$@"
