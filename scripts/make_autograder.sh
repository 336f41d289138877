#!/usr/bin/env bash
# Writes the Gradescope autograder bundle, ready to upload: setup.sh and run_autograder at the
# top, and source/ = a student copy of this tree (solutions replaced by stubs, checked) with the
# hidden tests. Usage: scripts/make_autograder.sh [--tasks 3.1,3.2 | --modules 3] [--out ZIP]
# (default build/autograder.zip). See docs/assignments.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/autograder.zip
choose=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --tasks|--modules) choose+=("$1" "$2"); shift 2 ;;
    *) echo "make_autograder: unknown option $1 (use --tasks, --modules, --out)" >&2; exit 2 ;;
  esac
done
stage=build/autograder
rm -rf "$stage"
mkdir -p "$stage"
python3 assignments/make_student_copy.py --out "$stage/source" --keep-hidden "${choose[@]}"
cp assignments/gradescope/setup.sh assignments/gradescope/run_autograder "$stage/"
python3 - "$stage" "$out" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
partial = out + ".partial"
with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
    for folder, _, files in os.walk(stage):
        for name in sorted(files):
            path = os.path.join(folder, name)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, stage))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                archive.writestr(info, f.read())  # keeps the executable bits
os.replace(partial, out)
PY
echo "autograder bundle: $out ($(du -h "$out" | cut -f1)); upload it as it is to Gradescope"
