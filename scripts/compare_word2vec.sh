#!/bin/sh
# compare_word2vec.sh: one command for the embedlab-vs-gensim word2vec comparison.
#   1. builds embedlab-word2vec in Release with -march=native (the release preset, or the
#      directory in $BUILD_DIR, configured the same way if it does not exist yet);
#   2. prepares the corpora it needs if they are missing: build/corpora/kjv.txt
#      (scripts/prepare_kjv_corpus.sh, 0.8M words) and build/corpora/large.txt
#      (scripts/prepare_large_corpus.sh, 3.5M words of public-domain English);
#   3. runs scripts/compare_gensim.py with Debian's python3 (which has python3-gensim) for every
#      corpus x model x thread count, embedlab and gensim back to back, passing on any arguments
#      (e.g. --quality), and ends with one table of all the runs (the "ROW |" lines).
# What runs is set by the environment: CORPORA (default "kjv large"), MODELS (default
# "sg cbow"), THREADS (default "1 2"); all of it takes about 15 minutes on an idle 2-core machine.
# Usage: [CORPORA=kjv] [MODELS=sg] [THREADS=1] scripts/compare_word2vec.sh [compare_gensim.py options]
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

python=/usr/bin/python3
[ -x "$python" ] || python=python3
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for name in ${CORPORA:-kjv large}; do
  corpus=build/corpora/$name.txt
  if [ ! -f "$corpus" ]; then
    case $name in
      kjv) scripts/prepare_kjv_corpus.sh "$corpus" ;;
      large) scripts/prepare_large_corpus.sh "$corpus" ;;
      *) echo "compare_word2vec.sh: no script makes corpus '$name'" >&2; exit 2 ;;
    esac
  fi
  for model in ${MODELS:-sg cbow}; do
    for threads in ${THREADS:-1 2}; do
      echo "=== $name, $model, $threads thread(s) ==="
      "$python" scripts/compare_gensim.py "$corpus" --binary "$build/word2vec/embedlab-word2vec" \
        --model "$model" --threads "$threads" "$@" | tee -a "$rows"
      echo
    done
  done
done
echo "| corpus | model | threads | embedlab words/s | gensim words/s | speed-up (wall) | speed-up (CPU) | overlap@10, Spearman vs gensim | load average |"
echo "|---|---|---:|---:|---:|---:|---:|---|---|"
grep '^ROW |' "$rows" | sed 's/^ROW //' | sed 's/$/ |/'
