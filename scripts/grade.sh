#!/usr/bin/env bash
# Grades the course assignment: builds, runs each task's tests under a time limit (one task's
# infinite loop or crash costs that task only) and writes a per-task report and a Gradescope
# results.json. See docs/assignments.md. Python 3 standard library only.
# Usage: scripts/grade.sh [--task 3.2 ...] [--submission DIR|ZIP] [--preset debug|asan] [--help]
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 assignments/grade.py "$@"
