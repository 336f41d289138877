#!/usr/bin/env python3
"""The offline grader of the course assignment (docs/assignments.md); scripts/grade.sh runs it.

Usage: scripts/grade.sh [--task 3.2 ...] [--submission DIR|ZIP] [--preset debug|asan]
                        [--build-dir DIR] [--results FILE] [--lean] [--no-build]
                        [--task-timeout S] [--test-timeout S] [--jobs N]

1. With --submission, copies the graded tasks' files (assignments/tasks.txt names them) from a
   folder or a zip into this tree: only those files, so tests cannot be edited. It refuses to
   do so in the instructor's tree, whose solutions it would overwrite.
2. Builds the report tool, then the test programs of the graded tasks (and the hidden tests
   when the tree has them) with the preset (asan adds the sanitizers). A build failure costs
   the tasks whose tests could not be built, and the report quotes the compiler.
3. Runs each task's tests (CTest label task<id>) in its own ctest run: each test case is a
   separate process with --test-timeout seconds, and the whole task gets --task-timeout
   seconds, so an infinite loop or a crash costs that task only.
4. Writes the per-task report and a Gradescope results.json (build/grade/results.json unless
   --results) with embedlab_grade_report, which uses nlohmann-json.

Python 3 standard library only. Exit status 0 when the report was written, 2 when it could
not be.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_tasks():
    tasks = {}
    for line in (ROOT / "assignments/tasks.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            fields = [f.strip() for f in line.split(" | ")]
            tasks[fields[0]] = {"id": fields[0], "points": float(fields[1]), "file": fields[3],
                                "function": fields[4], "targets": fields[5].split()}
    return tasks


def run(cmd, timeout=None, **kwargs):
    """Runs cmd in its own process group; on timeout kills the whole group. -> (code, output)"""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace", start_new_session=True, **kwargs)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def find_in(folder, rel):
    """The submitted copy of rel: at rel, or the one file whose path ends with rel or its name."""
    direct = folder / rel
    if direct.is_file():
        return direct
    files = [p for p in folder.rglob("*") if p.is_file()]
    for candidates in ([p for p in files if p.as_posix().endswith("/" + rel)],
                       [p for p in files if p.name == Path(rel).name]):
        if len(candidates) == 1:
            return candidates[0]
    return None


def take_submission(submission, tasks, notes):
    if (ROOT / "assignments/make_student_copy.py").exists():
        raise SystemExit("grade: --submission would overwrite the solutions of this instructor "
                         "tree; grade submissions in a student copy or the Gradescope bundle")
    source = Path(submission)
    with tempfile.TemporaryDirectory() as unpacked:
        if source.is_file():
            with zipfile.ZipFile(source) as archive:
                for member in archive.namelist():
                    if member.startswith("/") or ".." in Path(member).parts:
                        raise SystemExit(f"grade: unsafe path {member} in {source}")
                archive.extractall(unpacked)
            source = Path(unpacked)
        elif not source.is_dir():
            raise SystemExit(f"grade: submission {submission} is neither a folder nor a zip")
        for rel in sorted({t["file"] for t in tasks.values()}):
            found = find_in(source, rel)
            if found is None:
                notes.append(f"submission: no {rel}; its tasks keep the stub")
                continue
            shutil.copyfile(found, ROOT / rel)
            notes.append(f"submission: took {rel} from {found.relative_to(source)}")


def build(args, tasks, notes):
    """Configures if needed and builds; returns {target: error text or None}."""
    build_dir = Path(args.build_dir)
    if not (build_dir / "CMakeCache.txt").exists():
        cmd = ["cmake", "--preset", args.preset, "-B", str(build_dir)]
        if args.lean:
            # Only what grading needs; and a compiler warning in a submission costs no points.
            cmd += ["-DEMBEDLAB_BUILD_BENCHMARKS=OFF", "-DEMBEDLAB_BUILD_TUTORIALS=OFF",
                    "-DEMBEDLAB_BUILD_DOCS=OFF", "-DEMBEDLAB_WERROR=OFF"]
        code, out = run(cmd, cwd=ROOT)
        if code != 0:
            raise SystemExit(f"grade: cmake configure failed:\n{out[-3000:]}")
    targets = sorted({t for task in tasks.values() for t in task["targets"]})
    if (ROOT / "assignments/hidden/CMakeLists.txt").exists():
        targets.append("test_hidden")
    # One make run for everything (fast when it works); on failure, one run per target to
    # tell which tasks the error costs.
    code, out = run(["cmake", "--build", str(build_dir), "-j", str(args.jobs), "--target",
                     "embedlab_grade_report", *targets], cwd=ROOT)
    if code == 0:
        return {}
    code, out = run(["cmake", "--build", str(build_dir), "-j", str(args.jobs), "--target",
                     "embedlab_grade_report"], cwd=ROOT)
    if code != 0:
        raise SystemExit(f"grade: the report tool does not build:\n{out[-3000:]}")
    errors = {}
    for target in targets:
        code, out = run(["cmake", "--build", str(build_dir), "-j", str(args.jobs), "--target",
                         target], cwd=ROOT)
        errors[target] = None if code == 0 else compiler_excerpt(out)
        if code != 0:
            notes.append(f"build of {target} failed:\n{errors[target]}")
    return errors


def compiler_excerpt(out):
    lines = out.splitlines()
    first = next((i for i, l in enumerate(lines) if re.search(r"error|Error", l)), len(lines) - 20)
    return "\n".join(lines[max(first - 2, 0):first + 18])


def list_tests(build_dir):
    """{test name: set of labels} from ctest --show-only=json-v1."""
    code, out = run(["ctest", "--test-dir", str(build_dir), "--show-only=json-v1"])
    if code != 0:
        raise SystemExit(f"grade: ctest cannot list the tests:\n{out[-2000:]}")
    tests = {}
    for test in json.loads(out[out.index("{"):])["tests"]:
        labels = set()
        for prop in test.get("properties", []):
            if prop["name"] == "LABELS":
                labels.update(prop["value"])
        tests[test["name"]] = labels
    return tests


def failure_message(output):
    """The first failure in a test's output: from the first FAILED line, a dozen lines."""
    lines = output.splitlines()
    start = next((i for i, l in enumerate(lines) if "FAILED" in l), None)
    if start is None:
        return "\n".join(lines[-12:])
    keep = []
    for line in lines[start:start + 14]:
        if line.startswith("=====") or line.startswith("-----"):
            break
        keep.append(line)
    return "\n".join(keep).strip()


def grade_task(args, task, tests, junit):
    """-> list of (visibility, status, name, message); a name of '' is a task-level failure."""
    label = "task" + task["id"]
    names = {n: "hidden" if "hidden" in labels else "visible"
             for n, labels in tests.items() if label in labels}
    if not names:
        return [("visible", "failed", "", f"no test carries the tag [{label}]; was it built?")]
    code, out = run(["ctest", "--test-dir", args.build_dir, "-L", "^" + re.escape(label) + "$",
                     "--timeout", str(args.test_timeout), "-j", str(args.jobs),
                     "--output-junit", str(junit)], timeout=args.task_timeout)
    if code is None:
        stopped = (f"the tests of task {task['id']} exceeded the task's time limit of "
                   f"{args.task_timeout:g} s (an infinite loop?) and were stopped")
        return [("visible", "failed", "", stopped)] + [
            (visibility, "failed", name, "stopped with the task") for name, visibility in
            sorted(names.items())]
    results = {}
    try:
        for case in ET.parse(junit).getroot().iter("testcase"):
            output = case.findtext("system-out") or ""
            if case.get("status") == "run":
                results[case.get("name")] = ("passed", "")
                continue
            message = failure_message(output)
            if float(case.get("time") or 0) >= args.test_timeout - 0.05:
                message = (f"stopped at the time limit of {args.test_timeout:g} s for one test "
                           f"(an infinite loop?)\n" + message).strip()
            results[case.get("name")] = ("failed", message or "failed without output "
                                         "(a crash that killed the test program?)")
    except (ET.ParseError, OSError) as error:
        return [("visible", "failed", "", f"ctest wrote no readable report ({error}):\n"
                 f"{out[-1500:]}")]
    rows = []
    for name, visibility in sorted(names.items()):
        status, message = results.get(name, ("failed", "did not run"))
        rows.append((visibility, status, name, message))
    return rows


def main():
    parser = argparse.ArgumentParser(description="Grade the course assignment's tasks.")
    parser.add_argument("--task", action="append", help="grade only this task (repeatable)")
    parser.add_argument("--submission", help="a student's tree or zip: its task files are used")
    parser.add_argument("--preset", default="debug", choices=["debug", "asan", "release"])
    parser.add_argument("--build-dir", help="build folder (default: build/<preset>)")
    parser.add_argument("--results", default=None, help="results.json to write")
    parser.add_argument("--lean", action="store_true",
                        help="when configuring, leave out benchmarks, tutorials and docs, and "
                             "do not turn warnings into errors (the Gradescope bundle uses it)")
    parser.add_argument("--no-build", action="store_true", help="use the programs as built")
    parser.add_argument("--task-timeout", type=float, default=120.0)
    parser.add_argument("--test-timeout", type=float, default=20.0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    args.build_dir = str(Path(args.build_dir or ROOT / "build" / args.preset).resolve())
    started = time.monotonic()

    tasks = read_tasks()
    if args.task:
        unknown = [t for t in args.task if t not in tasks]
        if unknown:
            raise SystemExit(f"grade: unknown task(s) {unknown}; this tree's tasks are "
                             f"{', '.join(tasks)}")
        tasks = {k: v for k, v in tasks.items() if k in args.task}
    out_dir = Path(args.build_dir) / "grade"
    out_dir.mkdir(parents=True, exist_ok=True)
    results = Path(args.results or out_dir / "results.json").resolve()
    notes = []
    if args.submission:
        take_submission(args.submission, tasks, notes)
    errors = {} if args.no_build else build(args, tasks, notes)
    tests = list_tests(args.build_dir)

    rows = []
    for task in tasks.values():
        broken = [t for t in task["targets"] if errors.get(t)]
        if broken:
            rows.append((task["id"], "visible", "failed", "",
                         f"{', '.join(broken)} did not build:\n{errors[broken[0]]}"))
            continue
        junit = out_dir / f"task{task['id']}.junit.xml"
        for row in grade_task(args, task, tests, junit):
            rows.append((task["id"],) + row)

    outcomes = out_dir / "outcomes.tsv"
    outcomes.write_text("".join("\t".join(escape(str(f)) for f in row) + "\n" for row in rows),
                        encoding="utf-8")
    graded_tasks = out_dir / "tasks.txt"
    graded_tasks.write_text("".join(
        line + "\n" for line in (ROOT / "assignments/tasks.txt").read_text().splitlines()
        if line.split(" | ")[0].strip() in tasks), encoding="utf-8")
    note_file = out_dir / "notes.txt"
    note_file.write_text("\n".join(notes) + ("\n" if notes else ""), encoding="utf-8")
    tool = Path(args.build_dir) / "assignments" / "embedlab_grade_report"
    code, out = run([str(tool), "--tasks", str(graded_tasks), "--outcomes", str(outcomes),
                     "--results", str(results), "--report", str(out_dir / "report.txt"),
                     "--output", str(note_file),
                     "--seconds", f"{time.monotonic() - started:.1f}"])
    print("\n".join(notes + [out.rstrip()]))
    if code != 0:
        raise SystemExit(2)
    print(f"results: {results}")


if __name__ == "__main__":
    main()
