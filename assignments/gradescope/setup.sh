#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image; the bundle's source/
# folder (a student copy of embedlab with the hidden tests, no solutions) is /autograder/source.
# Use a Debian 12 image (Gradescope's manual Docker configuration) or the Ubuntu 22.04 base
# image: embedlab needs CMake >= 3.25 (pip provides it on Ubuntu 22.04) and Catch2 2.x.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
root="${AUTOGRADER_ROOT:-/autograder}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends build-essential cmake python3 libfmt-dev \
  catch2 nlohmann-json3-dev libcli11-dev
catch2_version=$(dpkg-query -W -f='${Version}' catch2)
if [[ "$catch2_version" != 2.* ]]; then
  echo "setup.sh: this image has Catch2 $catch2_version; embedlab's tests need Catch2 2.x" \
       "(Debian 12 or Ubuntu 22.04)" >&2
  exit 1
fi
if ! cmake --version | awk 'NR == 1 { split($3, v, "."); exit !(v[1] > 3 || v[2] >= 25) }'; then
  apt-get install -y -qq --no-install-recommends python3-pip
  pip3 install --quiet 'cmake>=3.25' || pip3 install --quiet --break-system-packages 'cmake>=3.25'
  hash -r
fi
# Build once now (framework, tests, report tool), so grading recompiles only submitted files.
cd "$root/source"
python3 assignments/grade.py --lean --task-timeout 600 --results /tmp/warm-up.json >/dev/null
