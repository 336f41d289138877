#!/usr/bin/env bash
# Installs the Debian 12 packages embedlab needs, and nothing when they are all present.
# Uses sudo when not run as root. Usage: scripts/setup.sh [--with-reference]
#   --with-reference  also installs the performance and word2vec references (libtorch-dev,
#                     python3-gensim), the real corpora's sources (bible-kjv-text and
#                     bible-kjv; diatheke and sword-text-web for prepare_large_corpus.sh, which
#                     also needs npm) and opencc, which scripts/make_chinese_corpus.sh needs to
#                     rebuild data/chinese_poems.txt; large, optional.
set -euo pipefail

packages=(build-essential cmake git libfmt-dev catch2 libbenchmark-dev
          nlohmann-json3-dev libcli11-dev doxygen graphviz clang libclang-rt-14-dev
          libicu-dev fonts-wqy-microhei)  # ICU cuts Chinese into words; the font draws it in SVGs
if [[ "${1:-}" == "--with-reference" ]]; then
  packages+=(libtorch-dev python3-gensim bible-kjv-text bible-kjv diatheke sword-text-web opencc)
fi

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
