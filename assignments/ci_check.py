#!/usr/bin/env python3
"""CI proof that the assignment mechanism works (scripts/test.sh runs it after the debug suite).

1. Grades the instructor tree (build/debug, already built): every task must score full points.
2. Writes a student copy with every task blanked (build/student-copy), builds its Catch2 test
   programs (ccache is used when present) and runs every test: exactly the tests tagged with a
   task must fail, each with its own task's NotImplementedError message, and all others pass.
3. Runs one tutorial chapter of the copy that needs a task: it must say which task to finish.
4. Grades the student copy: every task must score 0.
5. Validates both results.json files against Gradescope's format (embedlab_grade_report).
Usage: assignments/ci_check.py [--jobs N]. Instructor-only: the student copy leaves it out.
"""
import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPY = ROOT / "build" / "student-copy"
COPY_BUILD = ROOT / "build" / "student-copy-build"  # outside the copy, which is rewritten
# The chapter run in the copy: it uses a task (abs, task 1.2) and reports errors through
# tutorial::Chapter::fail.
CHAPTER = "ch04_embedding_layer"


def step(text):
    print(f"\n-- {text}", flush=True)


def sh(cmd, **kwargs):
    result = subprocess.run(cmd, text=True, capture_output=True, errors="replace", **kwargs)
    if result.returncode != 0 and not kwargs.get("check") is False:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
        raise SystemExit(f"ci_check: failed: {' '.join(map(str, cmd))}")
    return result


def task_ids(tree):
    return [l.split(" | ")[0].strip() for l in (tree / "assignments/tasks.txt").read_text()
            .splitlines() if l.strip() and not l.startswith("#")]


def points(tree):
    return sum(float(l.split(" | ")[1]) for l in (tree / "assignments/tasks.txt").read_text()
               .splitlines() if l.strip() and not l.startswith("#"))


def grade(tree, build_dir, results, jobs):
    sh([sys.executable, str(tree / "assignments/grade.py"), "--no-build", "--build-dir",
        str(build_dir), "--results", str(results), "--jobs", str(jobs)])
    sh([str(build_dir / "assignments/embedlab_grade_report"), "--validate", str(results)])
    return json.loads(results.read_text())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--tasks", help="blank only these tasks (default: all, as CI does)")
    args = parser.parse_args()
    started = time.monotonic()
    timings = []

    cpu = [0.0]

    def lap(name, since):
        # Wall time and the CPU time of the programs run (compilers included): on a shared
        # machine the second says what the step costs on two free cores.
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = usage.ru_utime + usage.ru_stime
        timings.append((name, time.monotonic() - since, spent - cpu[0]))
        cpu[0] = spent
        return time.monotonic()

    t = time.monotonic()
    step("grade the instructor tree (build/debug): every task at full points")
    debug = ROOT / "build" / "debug"
    sh(["cmake", "--build", str(debug), "-j", str(args.jobs), "--target",
        "embedlab_grade_report"])
    full = grade(ROOT, debug, debug / "grade" / "instructor-results.json", args.jobs)
    if args.tasks:
        print("(only some tasks: the instructor's total is not checked)")
    elif abs(full["score"] - points(ROOT)) > 0.01:
        raise SystemExit(f"ci_check: the instructor tree scores {full['score']} of "
                         f"{points(ROOT)}; every task's tests must pass there")
    print(f"instructor tree: {full['score']:g} / {points(ROOT):g} points")
    t = lap("grade instructor tree", t)

    step("write the student copy with every task blanked")
    print(sh([sys.executable, str(ROOT / "assignments/make_student_copy.py"), "--out", str(COPY),
              "--force"] + (["--tasks", args.tasks] if args.tasks else [])).stdout.rstrip())
    t = lap("make student copy", t)

    step("build the student copy's test programs and one chapter")
    build = COPY_BUILD
    configure = ["cmake", "--preset", "debug", "-B", str(build), "-DEMBEDLAB_BUILD_BENCHMARKS=OFF",
                 "-DEMBEDLAB_BUILD_DOCS=OFF"]
    if shutil.which("ccache"):
        configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
    sh(configure, cwd=COPY)
    programs = sorted(set(re.findall(r"embedlab_add_test\((\w+)", "".join(
        p.read_text() for p in (COPY / "tests").glob("*/CMakeLists.txt")))))
    sh(["cmake", "--build", str(build), "-j", str(args.jobs), "--target", *programs, CHAPTER,
        "embedlab_grade_report"])
    t = lap(f"build student copy ({len(programs)} test programs, {CHAPTER})", t)

    step("run every test of the copy: exactly the task tests fail, each with its own stub")
    listing = json.loads(sh(["ctest", "--test-dir", str(build), "--show-only=json-v1"]).stdout)
    labels = {}
    for test in listing["tests"]:
        if test["name"].split(":")[0] in programs:
            props = {p["name"]: p["value"] for p in test.get("properties", [])}
            labels[test["name"]] = [l[4:] for l in props.get("LABELS", []) if l.startswith("task")]
    junit = build / "student-copy-tests.xml"
    sh(["ctest", "--test-dir", str(build), "-j", str(args.jobs), "-R",
        "^(" + "|".join(programs) + "):", "--timeout", "120", "--output-junit", str(junit)],
       check=False)
    problems, failed_tasks = [], {}
    seen = set()
    for case in ET.parse(junit).getroot().iter("testcase"):
        name, passed = case.get("name"), case.get("status") == "run"
        seen.add(name)
        output = case.findtext("system-out") or ""
        tasks = labels.get(name, [])
        if not tasks and not passed:
            problems.append(f"{name}: fails, but carries no task tag:\n    " +
                            "\n    ".join(output.splitlines()[-8:]))
        elif tasks and passed:
            problems.append(f"{name}: tagged task {tasks[0]} yet passes with the task blanked")
        elif tasks:
            own = [f"task {task}: implement" in output for task in tasks]
            if not any(own):
                stub = re.search(r"task \d+\.\d+: implement [^\n]*", output)
                problems.append(f"{name}: tagged task {', '.join(tasks)} but fails with "
                                f"{stub.group(0) if stub else 'no stub message'}")
            for task in tasks:
                failed_tasks[task] = failed_tasks.get(task, 0) + 1
    missing = sorted(set(labels) - seen)
    if missing:
        problems.append(f"{len(missing)} tests did not run, such as {missing[0]}")
    no_tests = [task for task in task_ids(COPY) if task not in failed_tasks]
    if no_tests:
        problems.append(f"task(s) {', '.join(no_tests)} have no failing test in the copy")
    if problems:
        raise SystemExit("ci_check: the student copy breaks isolation:\n  " +
                         "\n  ".join(problems))
    print(f"{len(seen)} tests: {sum(failed_tasks.values())} task tests fail, each with its own "
          f"task's stub ({', '.join(f'{k}: {v}' for k, v in sorted(failed_tasks.items()))}); "
          f"the other {len(seen) - sum(failed_tasks.values())} pass")
    t = lap("run student copy's tests", t)

    step(f"the copy's {CHAPTER} says which task to finish first")
    chapter = subprocess.run([str(build / "tutorials" / CHAPTER)], capture_output=True,
                             text=True, cwd=COPY)
    wanted = r"needs task \d+\.\d+ of the course assignment"
    if chapter.returncode != 1 or not re.search(wanted, chapter.stderr):
        raise SystemExit(f"ci_check: {CHAPTER} exited {chapter.returncode}, expected 1 and "
                         f"'{wanted}'; stderr:\n{chapter.stderr}")
    print(chapter.stderr.rstrip())
    t = lap("run the chapter", t)

    step("grade the student copy: every task at 0")
    blank = grade(COPY, build, build / "grade" / "student-results.json", args.jobs)
    scored = [test["name"] for test in blank["tests"] if test["score"] > 0]
    if scored or blank["score"] != 0:
        raise SystemExit(f"ci_check: the student copy scores {blank['score']}: {scored}")
    print(f"student copy: {blank['score']:g} / {points(COPY):g} points; both results.json valid")
    lap("grade student copy", t)

    print("\nassignment check passed in {:.0f} s wall, {:.0f} s CPU:".format(
        time.monotonic() - started, sum(c for _, _, c in timings)))
    for name, wall, spent in timings:
        print(f"  {name}: {wall:.0f} s wall, {spent:.0f} s CPU")


if __name__ == "__main__":
    main()
