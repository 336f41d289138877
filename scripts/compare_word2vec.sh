#!/bin/sh
# compare_word2vec.sh: one command for the embedlab-vs-gensim word2vec comparison.
#   1. builds embedlab-word2vec in Release with -march=native (the release preset, or the
#      directory in $BUILD_DIR, configured the same way if it does not exist yet);
#   2. prepares build/corpora/kjv.txt (scripts/prepare_kjv_corpus.sh) if it is missing;
#   3. runs scripts/compare_gensim.py with Debian's python3 (which has python3-gensim), passing
#      on any arguments, e.g. --quality or --model cbow.
# Usage: scripts/compare_word2vec.sh [compare_gensim.py options]
set -eu
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build/release}
if [ ! -f "$build/CMakeCache.txt" ]; then
  if [ "$build" = build/release ]; then
    cmake --preset release >/dev/null
  else
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DEMBEDLAB_NATIVE=ON \
      -DEMBEDLAB_BUILD_TESTS=OFF -DEMBEDLAB_BUILD_BENCHMARKS=OFF -DEMBEDLAB_BUILD_DOCS=OFF \
      -DEMBEDLAB_BUILD_TUTORIALS=OFF >/dev/null
  fi
fi
cmake --build "$build" --target embedlab-word2vec -j "$(nproc)" >/dev/null

corpus=build/corpora/kjv.txt
[ -f "$corpus" ] || scripts/prepare_kjv_corpus.sh "$corpus"

python=/usr/bin/python3
[ -x "$python" ] || python=python3
exec "$python" scripts/compare_gensim.py "$corpus" --binary "$build/word2vec/embedlab-word2vec" "$@"
