#!/usr/bin/env python3
"""Writes the student copy of embedlab: every chosen task's solution replaced by a stub.

Usage: assignments/make_student_copy.py --out DIR [--tasks 3.1,3.2 | --modules 3,4]
                                        [--keep-hidden] [--force]

Reads assignments/tasks.txt (the task list) and every file git knows in this repository. In
each file, a region

    // BEGIN SOLUTION task 3.2
    ...the solution...
    // END SOLUTION

of a chosen task becomes a TODO line and a `throw embedlab::NotImplementedError(...)` naming the
task, the function, the file and the chapter; lines `// STUB: code` inside the region are the
code the stub keeps (such as `(void)grad_out;`, so an unused parameter does not break -Werror).
Regions of tasks not chosen keep their code and lose their marker lines.

Left out of the copy: this generator, the CI check, hidden tests (assignments/hidden/, unless
--keep-hidden, which the Gradescope bundle uses; its solutions are still removed), instructor
notes (assignments/instructor/) and any Markdown between <!-- BEGIN INSTRUCTOR --> and
<!-- END INSTRUCTOR -->. The copy's tasks.txt lists only the chosen tasks.

Finally a check proves that no solution line survives: every line of a removed solution that
appears nowhere else in the instructor tree must appear nowhere in the copy. The copy is
written to DIR.partial and renamed to DIR only when everything passed, so a failed run never
leaves a half-written copy. Python 3 standard library only.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN = re.compile(r"^(\s*)// BEGIN SOLUTION task (\d+\.\d+)\s*$")
END = re.compile(r"^\s*// END SOLUTION\s*$")
STUB = re.compile(r"^\s*// STUB: (.*)$")
INSTRUCTOR_BEGIN = "<!-- BEGIN INSTRUCTOR -->"
INSTRUCTOR_END = "<!-- END INSTRUCTOR -->"
CODE_SUFFIXES = (".cpp", ".h")  # where solution regions may be; .md files may show markers
TEXT_SUFFIXES = CODE_SUFFIXES + (".md", ".txt")


class Task:
    def __init__(self, fields, line_no):
        if len(fields) != 7:
            raise SystemExit(f"tasks.txt line {line_no}: expected 7 fields separated by ' | ', "
                             f"got {len(fields)}: {' | '.join(fields)}")
        self.id, points, chapter, self.file, self.function, targets, self.title = fields
        if not re.fullmatch(r"\d+\.\d+", self.id):
            raise SystemExit(f"tasks.txt line {line_no}: task id '{self.id}' is not N.M")
        try:
            self.points, self.chapter = float(points), int(chapter)
        except ValueError:
            raise SystemExit(f"tasks.txt line {line_no}: points '{points}' and chapter "
                             f"'{chapter}' must be numbers")
        self.targets = targets.split()
        self.line = " | ".join(fields)


def read_tasks(path):
    tasks = {}
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        task = Task([f.strip() for f in line.split(" | ")], line_no)
        if task.id in tasks:
            raise SystemExit(f"tasks.txt line {line_no}: task {task.id} is listed twice")
        tasks[task.id] = task
    return tasks


def list_files():
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                             check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"make_student_copy: needs a git checkout of embedlab at {ROOT}: {error}")
    return sorted(p for p in out.decode().split("\0") if p and (ROOT / p).is_file())


def split_regions(path, lines, tasks):
    """Yields ('code', line) and ('region', task_id, begin_indent, body_lines) items."""
    items, region = [], None
    for no, line in enumerate(lines, 1):
        begin = BEGIN.match(line)
        if begin:
            if region:
                raise SystemExit(f"{path}:{no}: BEGIN SOLUTION inside the region of task "
                                 f"{region[1]} opened at line {region[3]}")
            if begin.group(2) not in tasks:
                raise SystemExit(f"{path}:{no}: task {begin.group(2)} is not in "
                                 f"assignments/tasks.txt")
            region = [begin.group(1), begin.group(2), [], no]
        elif END.match(line):
            if not region:
                raise SystemExit(f"{path}:{no}: END SOLUTION without a BEGIN SOLUTION")
            items.append(("region", region[1], region[0], region[2]))
            region = None
        elif region:
            region[2].append(line)
        else:
            items.append(("code", line))
    if region:
        raise SystemExit(f"{path}:{region[3]}: the region of task {region[1]} has no END SOLUTION")
    return items


def stub_lines(task, indent, body):
    kept = [indent + STUB.match(line).group(1) for line in body if STUB.match(line)]
    return ([f"{indent}// TODO task {task.id}: {task.title} (chapter {task.chapter}).",
             f"{indent}// Replace the throw with your code; scripts/grade.sh --task {task.id} "
             f"checks it."] + kept +
            [f'{indent}throw embedlab::NotImplementedError("{task.id}", "{task.function}",',
             f'{indent}                                    "{task.file}", {task.chapter});'])


def strip_instructor_notes(path, text):
    out, inside = [], False
    for no, line in enumerate(text.split("\n"), 1):
        if line.strip() == INSTRUCTOR_BEGIN:
            if inside:
                raise SystemExit(f"{path}:{no}: nested {INSTRUCTOR_BEGIN}")
            inside = True
        elif line.strip() == INSTRUCTOR_END:
            if not inside:
                raise SystemExit(f"{path}:{no}: {INSTRUCTOR_END} without a begin")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise SystemExit(f"{path}: {INSTRUCTOR_BEGIN} is never closed")
    return "\n".join(out)


def normal(line):
    return " ".join(line.split())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="folder to create (must not exist)")
    parser.add_argument("--tasks", help="comma-separated task ids to blank (default: all)")
    parser.add_argument("--modules", help="comma-separated modules to blank, e.g. 3,4")
    parser.add_argument("--keep-hidden", action="store_true",
                        help="keep assignments/hidden/ (for the Gradescope bundle)")
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    args = parser.parse_args()

    tasks = read_tasks(ROOT / "assignments/tasks.txt")
    chosen = set(tasks)
    if args.tasks:
        chosen = {t.strip() for t in args.tasks.split(",") if t.strip()}
    if args.modules:
        modules = {m.strip() for m in args.modules.split(",") if m.strip()}
        chosen = {t for t in tasks if t.split(".")[0] in modules} & chosen
    unknown = sorted(chosen - set(tasks))
    if unknown or not chosen:
        raise SystemExit(f"make_student_copy: unknown or no tasks {unknown or '(none chosen)'}; "
                         f"the tasks are {', '.join(tasks)}")

    out = Path(args.out).resolve()
    if out == ROOT or ROOT in out.parents and not str(out).startswith(str(ROOT / "build")):
        raise SystemExit(f"make_student_copy: --out {out} lies inside the source tree; use a "
                         f"folder outside it or under build/")
    if out.exists() and not args.force:
        raise SystemExit(f"make_student_copy: {out} exists; pass --force to replace it")
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)

    secrets = ("assignments/make_student_copy.py", "assignments/ci_check.py",
               "assignments/instructor/") + (() if args.keep_hidden else ("assignments/hidden/",))
    public, solution = set(), {}  # normalised lines outside regions / inside chosen regions
    regions_of = {t: 0 for t in tasks}
    written = []
    for rel in list_files():
        src = ROOT / rel
        if rel.startswith(secrets):
            continue
        dst = partial / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = src.read_bytes().decode("utf-8") if rel.endswith(TEXT_SUFFIXES) else None
        except UnicodeDecodeError:  # test data such as invalid UTF-8 on purpose: no markers
            text = None
        if text is None:
            shutil.copy2(src, dst)
            continue
        if rel.endswith(".md"):
            text = strip_instructor_notes(rel, text)
        lines = []
        items = (split_regions(rel, text.split("\n"), tasks) if rel.endswith(CODE_SUFFIXES)
                 else [("code", line) for line in text.split("\n")])
        for item in items:
            if item[0] == "code":
                lines.append(item[1])
                public.add(normal(item[1]))
                continue
            _, task_id, indent, body = item
            regions_of[task_id] += 1
            if tasks[task_id].file != rel and task_id in chosen:
                print(f"note: task {task_id} has a region in {rel}, besides "
                      f"{tasks[task_id].file}", file=sys.stderr)
            if task_id in chosen:
                lines += stub_lines(tasks[task_id], indent, body)
                for line in body:
                    if not STUB.match(line):
                        solution.setdefault(normal(line), f"{rel} (task {task_id})")
            else:
                lines += [line for line in body if not STUB.match(line)]
                public.update(normal(line) for line in body)
        if rel == "assignments/tasks.txt":
            lines = [l for l in lines
                     if not l.strip() or l.startswith("#") or l.split(" | ")[0].strip() in chosen]
        dst.write_bytes("\n".join(lines).encode("utf-8"))
        shutil.copymode(src, dst)
        written.append(rel)

    missing = sorted(t for t in chosen if regions_of[t] == 0)
    if missing:
        shutil.rmtree(partial)
        raise SystemExit(f"make_student_copy: no solution region for task(s) {missing}; "
                         f"mark them with // BEGIN SOLUTION task N.M")

    # The check: no solution line that is not also public elsewhere survives in the copy.
    secret = {line: where for line, where in solution.items()
              if len(line) >= 4 and line not in public and line not in ("{", "}", "};")}
    leaks = []
    for rel in written:
        for no, line in enumerate((partial / rel).read_bytes().decode("utf-8").split("\n"), 1):
            n = normal(line)
            if n in secret:
                leaks.append(f"{rel}:{no}: solution line of {secret[n]}: {n}")
            if rel.endswith(CODE_SUFFIXES) and (BEGIN.match(line) or END.match(line) or
                                                STUB.match(line)):
                leaks.append(f"{rel}:{no}: a marker survived: {n}")
    leaked_paths = [p for p in written if p.startswith(secrets)]
    if leaks or leaked_paths:
        shutil.rmtree(partial)
        raise SystemExit("make_student_copy: the copy would leak solutions:\n  " +
                         "\n  ".join(leaks + leaked_paths))

    if out.exists():
        # A file that did not change keeps its old time, so a build of the copy stays
        # incremental when the copy is made again.
        for rel in written:
            old = out / rel
            if old.is_file() and old.read_bytes() == (partial / rel).read_bytes():
                stat = old.stat()
                os.utime(partial / rel, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        shutil.rmtree(out)
    os.replace(partial, out)
    total = sum(tasks[t].points for t in chosen)
    print(f"student copy: {out}")
    print(f"  {len(chosen)} task(s) blanked ({', '.join(sorted(chosen, key=task_key))}), "
          f"{total:g} points; {len(written)} text files written")
    print(f"  checked: none of the {len(secret)} solution lines unique to the solutions "
          f"survives; no marker or instructor note is left, and "
          f"{'the hidden tests are kept (for the grader)' if args.keep_hidden else 'no hidden test'}")


def task_key(task_id):
    return tuple(int(part) for part in task_id.split("."))


if __name__ == "__main__":
    main()
