#!/usr/bin/env bash
# Installs the Debian 12 packages embedlab needs, and nothing when they are all present.
# Uses sudo when not run as root.
# Usage: scripts/setup.sh [--tour] [--with-reference]
#   (default)         everything scripts/test.sh uses: the tour's packages plus the test,
#                     benchmark, docs, fuzzing and debugger tools.
#   --tour            only what scripts/tour.sh builds and runs (compiler, CMake, the libraries
#                     the chapters link, the CJK font their pictures name).
#   --with-reference  also the performance and word2vec references (libtorch-dev,
#                     python3-gensim), the real corpora's sources (bible-kjv-text and
#                     bible-kjv; diatheke and sword-text-web for prepare_large_corpus.sh, which
#                     also needs npm) and opencc, which scripts/make_chinese_corpus.sh needs to
#                     rebuild data/chinese_poems.txt; large, optional.
set -euo pipefail

# One package per line, so that adding one is a one-line change.
tour_packages=(
  build-essential
  cmake
  ninja-build         # the tour preset's generator
  libfmt-dev
  nlohmann-json3-dev
  libcli11-dev
  libicu-dev          # the tokenizer's Unicode word breaks (Chinese text)
  fonts-wqy-microhei  # CJK font named by the SVG pictures and the docs' stylesheet
)
test_packages=(
  git
  catch2
  libbenchmark-dev
  doxygen
  graphviz
  doxygen-awesome-css  # the docs' theme (sidebar, dark mode)
  chromium             # tests/docs opens the generated pages headless
  gdb                  # tests/gdb: pretty-printers, skip recipe, walk-through, VS Code commands
  clang                # the fuzzers
  libclang-rt-14-dev
)
reference_packages=(
  libtorch-dev
  python3-gensim
  bible-kjv-text
  bible-kjv
  diatheke
  sword-text-web
  opencc
)

packages=("${tour_packages[@]}")
with_tests=1
for arg in "$@"; do
  case "$arg" in
    --tour) with_tests=0 ;;
    --with-reference) packages+=("${reference_packages[@]}") ;;
    *) echo "setup: unknown option '$arg' (expected --tour or --with-reference)" >&2; exit 2 ;;
  esac
done
if [[ $with_tests -eq 1 ]]; then packages+=("${test_packages[@]}"); fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
