#!/usr/bin/env bash
# Builds and runs every test: the full suite under the debug preset, again under the asan
# preset (AddressSanitizer + UndefinedBehaviorSanitizer), the threaded tests (CTest label
# `threads`) under the tsan preset (ThreadSanitizer), the docs with warnings as errors, the
# course assignment's check (a student copy with every task blanked fails exactly its task
# tests; the grader gives full and zero marks), and the libFuzzer targets for a bounded time.
# This is the command the README gives and the one .ci/run calls.
# Usage: scripts/test.sh [--quick]   (--quick: debug suite only)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

jobs=$(nproc)
step() { printf '\n==== %s ====\n' "$*"; }

step "debug build and tests"
cmake --preset debug >/dev/null
cmake --build --preset debug -j "$jobs"
ctest --preset debug -j "$jobs"

[[ "${1:-}" == "--quick" ]] && exit 0

step "documentation (Doxygen, warnings are errors)"
cmake --build --preset debug --target docs

step "course assignments: a student copy fails exactly its task tests; grading (docs/assignments.md)"
python3 assignments/ci_check.py --jobs "$jobs"

step "asan + ubsan build and tests"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"

step "tsan build and the threaded tests (ThreadSanitizer, label threads)"
# The build preset builds only the programs with [threads] test cases (target threaded_tests).
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs"
ctest --preset tsan -j "$jobs" -L threads

step "fuzzers (bounded time each)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs" --target fuzz_tokenizer fuzz_safetensors fuzz_word2vec
ctest --test-dir build/fuzz -j "$jobs" --output-on-failure

step "all tests passed"
