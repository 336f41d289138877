#!/bin/sh
# count_instructions.sh: instructions per step of bench_embedlab's small workloads, counted by
# valgrind's callgrind. Counts are exact and repeat to the instruction, where timings on a shared
# 2-core machine move by 10% from run to run; they tell whether a change made a step do more work.
#   1. builds this checkout's libraries in Release without -march=native (valgrind does not
#      know AVX-512) in build/instructions, and with --against DIR also DIR's (another checkout,
#      e.g. `git worktree add /tmp/old <commit>`) in DIR/build/instructions;
#   2. compiles bench/step_instructions.cpp (of this checkout) against each;
#   3. runs each workload for N and for 3N steps under callgrind: (count(3N) - count(N)) / 2N is
#      one step, setup excluded.
# Usage: scripts/count_instructions.sh [--against DIR] [WORKLOAD...]
#   (workloads: see bench/step_instructions.cpp; default: all but the 1,000,000-row step, which
#   takes minutes under valgrind to fill its table)
set -eu
cd "$(dirname "$0")/.."
here=$(pwd)
against=
if [ "${1:-}" = --against ]; then
  [ $# -ge 2 ] || { echo "count_instructions.sh: --against needs a directory" >&2; exit 2; }
  against=$(cd "$2" && pwd)
  shift 2
fi
workloads=${*:-add mul_add_sum_backward tiny_mlp toy_sgd toy_adam toy_adam_lazy embedding_step_10000}
command -v valgrind >/dev/null || { echo "count_instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }

# build_driver SOURCE_DIR -> prints the driver's path
build_driver() {
  build="$1/build/instructions"
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$1" -B "$build" -DCMAKE_BUILD_TYPE=Release -DEMBEDLAB_NATIVE=OFF \
      -DEMBEDLAB_BUILD_TESTS=OFF -DEMBEDLAB_BUILD_BENCHMARKS=OFF -DEMBEDLAB_BUILD_DOCS=OFF \
      -DEMBEDLAB_BUILD_TUTORIALS=OFF -DEMBEDLAB_BUILD_FUZZERS=OFF >/dev/null
  fi
  cmake --build "$build" -j "$(nproc)" --target embedlab_nn embedlab_optim >/dev/null
  g++ -std=c++20 -O2 -DNDEBUG -I"$1" -I"$build" "$here/bench/step_instructions.cpp" \
    -o "$build/step_instructions" "$build/nn/libembedlab_nn.a" "$build/optim/libembedlab_optim.a" \
    "$build/autograd/libembedlab_autograd.a" "$build/tensor/libembedlab_tensor.a" -lfmt
  echo "$build/step_instructions"
}

# per_step DRIVER WORKLOAD -> instructions of one step
per_step() {
  case $2 in
    add | mul_add_sum_backward | tiny_mlp) n=1000 ;;
    *) n=10 ;;
  esac
  out=$(mktemp)
  counts=
  for steps in $n $((3 * n)); do
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" "$steps" >/dev/null 2>"$out"
    counts="$counts $(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out")"
  done
  rm -f "$out"
  set -- $counts
  echo $((($2 - $1) / (2 * n)))
}

now=$(build_driver "$here")
[ -z "$against" ] || before=$(build_driver "$against")
if [ -z "$against" ]; then
  echo "| workload | instructions per step |"
  echo "|---|---:|"
else
  echo "| workload | $against | this checkout | ratio |"
  echo "|---|---:|---:|---:|"
fi
for w in $workloads; do
  b=$(per_step "$now" "$w")
  if [ -z "$against" ]; then
    echo "| $w | $b |"
  else
    a=$(per_step "$before" "$w")
    echo "| $w | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }') |"
  fi
done
