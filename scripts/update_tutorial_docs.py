#!/usr/bin/env python3
"""Rewrites the output blocks of docs/tutorials/chNN_name.md from the chapter programs.

Usage:
    scripts/update_tutorial_docs.py BUILD_DIR            # rewrite stale blocks and pictures
    scripts/update_tutorial_docs.py --check BUILD_DIR    # fail, naming the stale pages
    scripts/update_tutorial_docs.py build/debug --timings-from build/release

BUILD_DIR is a configured and built preset, e.g. build/debug: the programs are looked up in
BUILD_DIR/tutorials. Each page holds one block

    <!-- BEGIN OUTPUT chNN_name -->
    ...the program's output in a code block...
    <!-- END OUTPUT -->

which this script fills with what the program prints when run with its default options (from a
scratch working directory, pictures to a scratch folder). The pictures it writes are copied to
docs/images/ and must be linked from the page (as ../images/NAME, which works both on a
code-hosting site and in Doxygen, whose docs target copies docs/images next to its html/).

Timings: a line that starts with the stopwatch mark (U+23F1) or ends with "[timing]" carries a
measured time and changes from run to run, so it is left out when an old block is compared with a new one: a page is stale
only when some other line differs. An unchanged page is not rewritten, so its timings stay those
of the run that wrote it. The test checks the pages against the debug build (the pictures'
coordinates differ in their last digits under -march=native), while the times worth reading
come from the release build: `--timings-from build/release` runs each chapter there too and puts
its timing lines into the page, after checking that every other line is the same in both builds.

Chapters that are not built are skipped with a note. Python 3 standard library only.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "docs" / "tutorials"
IMAGES = REPO / "docs" / "images"
TIMING_MARK = "\u23f1"
TIMING_SUFFIX = "[timing]"
PICTURE_SUFFIXES = (".svg", ".png")
# The chapters in course order; chapter N mirrors section N of the course.
CHAPTERS = [
    "ch01_what_is_an_embedding",
    "ch02_properties",
    "ch03_fingerprint",
    "ch04_embedding_layer",
    "ch05_tensors",
    "ch06_vectorisation",
    "ch07_happy_or_sad",
    "ch08_dimensionality_reduction",
    "ch09_generalisation",
    "ch10_similarity",
    "ch11_efficiency",
    "ch12_counting_parameters",
    "ch13_beyond_words",
]
TIMEOUT_SECONDS = 120


def begin_marker(name):
    return f"<!-- BEGIN OUTPUT {name} -->"


END_MARKER = "<!-- END OUTPUT -->"


def is_timing(line):
    """Tells whether a line carries a measured time (and so differs from run to run)."""
    return line.lstrip().startswith(TIMING_MARK) or line.rstrip().endswith(TIMING_SUFFIX)


def comparable(text):
    """The lines of a block that must match: everything but the timing lines."""
    return [line for line in text.splitlines() if not is_timing(line)]


def split_page(page, name):
    """Returns (before, block, after) of a page around its output block, or raises."""
    text = page.read_text(encoding="utf-8")
    begin = begin_marker(name)
    start = text.find(begin)
    if start < 0:
        raise ValueError(f"{page.relative_to(REPO)}: no '{begin}' line")
    end = text.find(END_MARKER, start)
    if end < 0:
        raise ValueError(f"{page.relative_to(REPO)}: '{begin}' has no '{END_MARKER}' after it")
    body_start = start + len(begin)
    return text[:body_start], text[body_start:end], text[end:]


def block_for(output):
    """The text between the markers for a program's output."""
    if "```" in output:
        raise ValueError("the output contains ``` and would end the code block early")
    return "\n```\n" + output.rstrip("\n") + "\n```\n"


def output_of(block):
    """The program output held in a block (inside its code fence), or '' when empty."""
    lines = block.strip("\n").splitlines()
    if len(lines) >= 2 and lines[0].startswith("```") and lines[-1] == "```":
        return "\n".join(lines[1:-1])
    return ""


def with_timings_of(output, timed):
    """`output` with its timing lines replaced, in order, by those of `timed`, or raises."""
    if comparable(output) != comparable(timed):
        raise RuntimeError("the two builds print different non-timing lines")
    timings = [line for line in timed.splitlines() if is_timing(line)]
    lines = output.splitlines()
    slots = [i for i, line in enumerate(lines) if is_timing(line)]
    if len(slots) != len(timings):
        raise RuntimeError(f"{len(slots)} timing lines in one build, {len(timings)} in the other")
    for i, line in zip(slots, timings):
        lines[i] = line
    return "\n".join(lines) + "\n"


def run_chapter(program, out_dir, work_dir):
    """Runs a chapter with its defaults; returns its standard output, or raises."""
    result = subprocess.run(
        [str(program), "--out", str(out_dir)],
        cwd=work_dir,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{program.name} exited with code {result.returncode}: {result.stderr.strip()}"
        )
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build_dir", type=Path, help="a built preset, e.g. build/debug")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; fail naming the stale pages"
    )
    parser.add_argument(
        "--timings-from",
        type=Path,
        metavar="BUILD_DIR",
        help="take the timing lines from this build's programs (e.g. build/release)",
    )
    args = parser.parse_args()
    if args.check and args.timings_from:
        parser.error("--timings-from changes pages, so it cannot go with --check")
    programs = args.build_dir.resolve() / "tutorials"
    if not programs.is_dir():
        print(f"error: {programs} does not exist: build the tutorials first", file=sys.stderr)
        return 2

    stale, problems, skipped = [], [], []
    for name in CHAPTERS:
        page = PAGES / f"{name}.md"
        program = programs / name
        if not page.is_file():
            problems.append(f"{page.relative_to(REPO)}: missing (chapter {name} has no page)")
            continue
        if not (program.is_file() and os.access(program, os.X_OK)):
            skipped.append(name)
            continue
        try:
            before, block, after = split_page(page, name)
            with tempfile.TemporaryDirectory() as out_dir, tempfile.TemporaryDirectory() as work:
                output = run_chapter(program, Path(out_dir), work)
                if args.timings_from:
                    timed_program = args.timings_from.resolve() / "tutorials" / name
                    with tempfile.TemporaryDirectory() as timed_out:
                        output = with_timings_of(
                            output, run_chapter(timed_program, Path(timed_out), work)
                        )
                pictures = sorted(
                    p for p in Path(out_dir).iterdir() if p.suffix in PICTURE_SUFFIXES
                )
                page_text = before + block + after
                reasons = []
                if comparable(output_of(block)) != comparable(output):
                    reasons.append("output block differs from the program's output")
                elif args.timings_from and output_of(block) != output.rstrip("\n"):
                    reasons.append("timings taken from " + str(args.timings_from))
                for picture in pictures:
                    kept = IMAGES / picture.name
                    if not kept.is_file() or kept.read_bytes() != picture.read_bytes():
                        reasons.append(f"docs/images/{picture.name} is missing or out of date")
                        if not args.check:
                            IMAGES.mkdir(parents=True, exist_ok=True)
                            shutil.copyfile(picture, kept)
                    if f"](../images/{picture.name})" not in page_text:
                        problems.append(
                            f"{page.relative_to(REPO)}: does not show its picture "
                            f"{picture.name} (add ![caption](../images/{picture.name}))"
                        )
                if reasons:
                    stale.append(f"{page.relative_to(REPO)}: " + "; ".join(reasons))
                    if not args.check and output_of(block) != output.rstrip("\n"):
                        page.write_text(before + block_for(output) + after, encoding="utf-8")
        except (ValueError, RuntimeError, subprocess.TimeoutExpired, OSError) as error:
            problems.append(f"{page.relative_to(REPO)}: {error}")

    for name in skipped:
        print(f"note: {name} is not built in {programs}: its page was not checked")
    if args.check:
        for line in stale:
            print(f"stale: {line}", file=sys.stderr)
        if stale:
            print(
                f"run: scripts/update_tutorial_docs.py {args.build_dir} (then commit the pages)",
                file=sys.stderr,
            )
    else:
        for line in stale:
            print(f"updated: {line}")
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    if problems or (args.check and stale):
        return 1
    checked = len(CHAPTERS) - len(skipped)
    print(f"{checked} chapter pages {'up to date' if args.check else 'written'}"
          f" ({len(skipped)} chapters not built)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
