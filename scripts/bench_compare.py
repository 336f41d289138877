#!/usr/bin/env python3
"""Runs bench_embedlab and bench_torch and prints a side-by-side markdown table of medians.

The two programs (bench/bench_embedlab.cpp, bench/bench_torch.cpp) run the same workloads under
the same benchmark names. This script builds nothing: it takes the two binaries' paths, or finds
them in <build>/bench (default build/release). Both run on one thread: OPENBLAS_NUM_THREADS=1 is
set for both (bench_torch also calls torch::set_num_threads(1)). Times are CPU times (the
machine is shared; CPU time leaves out the time the process waited for a core), medians of
--repetitions runs. The output is what docs/performance.md shows: the table, the targets of the
performance issue checked one by one, the machine and the exact commands.

    python3 scripts/bench_compare.py                      # build/release/bench/bench_*
    python3 scripts/bench_compare.py --build build/h-perf --blas-dir DIR --out table.md

    python3 scripts/bench_compare.py --before OLD/bench/bench_embedlab   # + a before/now table

--before runs an older build's bench_embedlab and this one in turn (--rounds each) and adds a
table of both with the ratio, to check that a change made no step slower.
--blas-dir puts DIR first on bench_torch's LD_LIBRARY_PATH, to pick the libblas.so.3 that
Debian's libtorch calls for matmul (an OpenBLAS folder; the default link may be the reference
BLAS). Python 3 standard library only.
"""
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Benchmarks that libtorch runs in a second way (sparse gradients) which embedlab has no
# separate version of: each is compared with the embedlab benchmark named here.
EMBEDLAB_COUNTERPART = {
    "BM_EmbeddingStepSparse": "BM_EmbeddingStep",
}
# Extra comparisons across names: (embedlab benchmark, libtorch benchmark, what it shows).
CROSS_ROWS = [
    ("BM_ToyStepAdamLazy", "BM_ToyStepAdam", "embedlab lazy Adam vs libtorch's default dense Adam"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build/release", help="build folder with bench/ inside")
    parser.add_argument("--embedlab", help="path of bench_embedlab (default <build>/bench/...)")
    parser.add_argument("--torch", help="path of bench_torch (default <build>/bench/...)")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--min-time", default="0.1", help="--benchmark_min_time, in seconds")
    parser.add_argument("--filter", default="", help="--benchmark_filter regex for both programs")
    parser.add_argument("--blas-dir", help="folder with the libblas.so.3 bench_torch should load")
    parser.add_argument("--out", help="also write the report (markdown) to this file")
    parser.add_argument("--json-dir", help="keep the raw JSON output of both programs here")
    parser.add_argument("--before", help="an older build's bench_embedlab: it and this one run "
                        "in turn, --rounds times each, and a before/now table is added")
    parser.add_argument("--rounds", type=int, default=2,
                        help="with --before: how many times each of the two programs runs")
    parser.add_argument("--memory-limits", help="path of memory_limits (default <build>/bench/...;"
                        " its table is printed and held against the embedding step)")
    return parser.parse_args()


def run_command(text):
    return subprocess.run(text, shell=True, capture_output=True, text=True).stdout.strip()


def machine_info():
    model = re.search(r"Model name:\s*(.+)", run_command("lscpu"))
    return {
        "cpu": model.group(1).strip() if model else "unknown",
        "nproc": run_command("nproc"),
        "kernel": run_command("uname -r"),
        "compiler": run_command("c++ --version").split("\n")[0],
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }


def run_benchmarks(binary, args, extra_env):
    """Runs one benchmark program; returns (command line, parsed JSON)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env.update(extra_env)
    argv = [str(binary), "--benchmark_format=json",
            f"--benchmark_repetitions={args.repetitions}",
            "--benchmark_report_aggregates_only=true",
            f"--benchmark_min_time={args.min_time}"]
    if args.filter:
        argv.append(f"--benchmark_filter={args.filter}")
    shown_env = {"OPENBLAS_NUM_THREADS": "1", **extra_env}
    command = " ".join(f"{k}={shlex.quote(v)}" for k, v in shown_env.items())
    command += " " + " ".join(shlex.quote(a) for a in argv)
    print(f"running: {command}", file=sys.stderr, flush=True)
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    return command, json.loads(result.stdout)


def normalize_name(run_name):
    """Drops the settings Google Benchmark appends to a name (/iterations:5, /min_time:...)."""
    return re.sub(r"/(iterations|min_time|repeats|real_time|threads)(:[^/]*)?", "", run_name)


def medians(report):
    """Maps each benchmark name to its median entry (times in ns)."""
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    table = {}
    for entry in report.get("benchmarks", []):
        if entry.get("aggregate_name") != "median":
            continue
        unit = scale[entry.get("time_unit", "ns")]
        table[normalize_name(entry["run_name"])] = {
            "cpu_ns": entry["cpu_time"] * unit,
            "gbps": entry.get("bytes_per_second", 0.0) / 1e9,
            "gflops": entry.get("FLOP/s", 0.0) / 1e9,
        }
    return table


def format_time(ns):
    if ns is None:
        return "—"
    for unit, size in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= size:
            return f"{ns / size:.3g} {unit}"
    return f"{ns:.3g} ns"


def rate(entry):
    if entry is None:
        return ""
    if entry["gflops"]:
        return f"{entry['gflops']:.1f} GFLOP/s"
    if entry["gbps"]:
        return f"{entry['gbps']:.1f} GB/s"
    return ""


def comparison_rows(ours, theirs):
    """(label, embedlab entry, libtorch entry) for every row of the table, in run order."""
    rows, seen = [], set()
    for name in list(ours) + [n for n in theirs if n not in ours]:
        if name in seen:
            continue
        seen.add(name)
        base = name.split("/")[0]
        if base in EMBEDLAB_COUNTERPART:  # a libtorch-only variant: compare with embedlab's
            ours_name = name.replace(base, EMBEDLAB_COUNTERPART[base], 1)
            rows.append((f"{name} (embedlab: {ours_name})", ours.get(ours_name), theirs[name]))
        else:
            rows.append((name, ours.get(name), theirs.get(name)))
    for ours_name, theirs_name, what in CROSS_ROWS:
        if ours_name in ours and theirs_name in theirs:
            rows.append((f"{ours_name} vs {theirs_name} ({what})", ours[ours_name],
                         theirs[theirs_name]))
    return rows


def markdown_table(rows):
    lines = ["| benchmark | embedlab | libtorch | speed-up (libtorch time / embedlab time) |"
             " embedlab rate | libtorch rate |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, a, b in rows:
        speedup = f"{b['cpu_ns'] / a['cpu_ns']:.2f}x" if a and b else "—"
        lines.append(f"| {label} | {format_time(a and a['cpu_ns'])} | "
                     f"{format_time(b and b['cpu_ns'])} | {speedup} | {rate(a)} | {rate(b)} |")
    return "\n".join(lines)


def before_after_table(before_runs, now_runs):
    """Each benchmark's median CPU time in every round of the older program and of this one, and
    the ratio of the medians over the rounds (above 1: this build is slower)."""
    lines = ["| benchmark | before (each round) | now (each round) | now / before |",
             "|---|---:|---:|---:|"]
    for name in now_runs[0]:
        before = [run[name]["cpu_ns"] for run in before_runs if name in run]
        now = [run[name]["cpu_ns"] for run in now_runs if name in run]
        ratio = (f"{statistics.median(now) / statistics.median(before):.2f}"
                 if before and now else "—")
        lines.append(f"| {name} | {', '.join(format_time(t) for t in before) or '—'} | "
                     f"{', '.join(format_time(t) for t in now)} | {ratio} |")
    return "\n".join(lines)


def cpu(table, name):
    entry = table.get(name)
    return entry["cpu_ns"] if entry else None


def target_checks(ours, theirs):
    """The performance issue's targets, each as (target, measured, met or not / None)."""
    checks = []

    def check(target, measured, met):
        checks.append((target, measured, None if met is None else bool(met)))

    def ratio(a, b):
        return b / a if a and b else None

    add = cpu(ours, "BM_RecordedAdd")
    check("recorded one-element add <= 0.3 us", format_time(add), add and add <= 300)
    mlp = ratio(cpu(ours, "BM_TinyMlpStep"), cpu(theirs, "BM_TinyMlpStep"))
    check("tiny MLP step >= 2x faster than libtorch", f"{mlp:.1f}x" if mlp else "—",
          mlp and mlp >= 2)
    for V in ("10000", "1000000"):
        name = f"BM_EmbeddingForward/{V}"
        a, b = ours.get(name), theirs.get(name)
        measured = f"{a['gbps']:.1f} vs {b['gbps']:.1f} GB/s" if a and b else "—"
        check(f"embedding forward V={V}: GB/s >= libtorch's", measured,
              a and b and a["gbps"] >= b["gbps"])
    small, large = cpu(ours, "BM_EmbeddingStep/10000"), cpu(ours, "BM_EmbeddingStep/1000000")
    growth = ratio(small, large)
    check("embedding step: time at V=1e6 <= 1.3x time at V=1e4",
          f"{growth:.2f}x" if growth else "—", growth and growth <= 1.3)
    torch_growth = ratio(cpu(theirs, "BM_EmbeddingStep/10000"),
                         cpu(theirs, "BM_EmbeddingStep/1000000"))
    check("(for reference) libtorch dense step growth V=1e4 -> 1e6",
          f"{torch_growth:.0f}x" if torch_growth else "—", None)
    for V in ("10000", "100000", "1000000"):
        s = ratio(cpu(ours, f"BM_EmbeddingStep/{V}"), cpu(theirs, f"BM_EmbeddingStepSparse/{V}"))
        check(f"embedding step V={V}: no slower than libtorch sparse=true",
              f"{s:.2f}x" if s else "—", s and s >= 1.0)
    for name, need, what in (("BM_ToyStepSGD", 5, "SGD vs libtorch dense"),
                             ("BM_ToyStepAdam", 1.5, "Adam, dense semantics"),
                             ("BM_ToyStepAdamLazy", 20, "Adam lazy vs libtorch dense Adam")):
        torch_name = "BM_ToyStepAdam" if name == "BM_ToyStepAdamLazy" else name
        s = ratio(cpu(ours, name), cpu(theirs, torch_name))
        check(f"toy step, {what}: >= {need}x faster", f"{s:.1f}x" if s else "—", s and s >= need)
    s = ratio(cpu(ours, "BM_ToyStepAdamLazy"), cpu(theirs, "BM_ToyStepAdamLazy"))
    check("(for reference) Adam lazy vs libtorch sparse=true + SparseAdam",
          f"{s:.1f}x" if s else "—", None)
    for n in ("256", "512", "1024"):
        a, b = ours.get(f"BM_Matmul/{n}"), theirs.get(f"BM_Matmul/{n}")
        share = a["gflops"] / b["gflops"] if a and b and b["gflops"] else None
        check(f"matmul n={n}: >= 0.5x libtorch's GFLOP/s",
              f"{share:.2f}x ({a['gflops']:.0f} vs {b['gflops']:.0f})" if share else "—",
              share and share >= 0.5)
    return checks


def run_memory_limits(binary):
    """Runs memory_limits; returns (its output, {pages: {column: ns per row}})."""
    print(f"running: {binary} 5", file=sys.stderr, flush=True)
    text = subprocess.run([str(binary), "5"], capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 8 and cells[0].startswith(("4 KB", "2 MB")):
            rows[cells[0][:4]] = {"chase": float(cells[1]), "gather": float(cells[2]),
                                  "gather8": float(cells[3]), "update": float(cells[5])}
    return text, rows


def memory_check(ours, limits):
    """The embedding step's extra time per random row at V=1e6, against the machine's cost."""
    small, large = cpu(ours, "BM_EmbeddingStep/10000"), cpu(ours, "BM_EmbeddingStep/1000000")
    huge = limits.get("2 MB")
    if not (small and large and huge):
        return None
    extra = (large - small) / 4096  # ns per looked-up row, for its two random visits
    floor = huge["gather8"] + huge["update"]
    allowed = 0.3 * small / 4096
    return (f"| embedding step V=1e6 minus V=1e4, per row (lookup + update) | {extra:.0f} ns |\n"
            f"| the same two visits from memory_limits (2 MB pages, prefetched gather + update) "
            f"| {floor:.0f} ns |\n"
            f"| what the 1.3x target allows per row | {allowed:.0f} ns |")


def targets_table(checks):
    lines = ["| target | measured | met |", "|---|---:|:---:|"]
    for target, measured, met in checks:
        mark = "" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {target} | {measured} | {mark} |")
    return "\n".join(lines)


def find_binary(given, build, name):
    path = Path(given) if given else Path(build) / "bench" / name
    return path if path.is_file() else None


def main():
    args = parse_args()
    embedlab_bin = find_binary(args.embedlab, args.build, "bench_embedlab")
    torch_bin = find_binary(args.torch, args.build, "bench_torch")
    if embedlab_bin is None:
        sys.exit(f"bench_embedlab not found (looked in {args.build}/bench); build it first")
    info = machine_info()
    started = time.time()
    commands, reports = [], {}
    before_runs, now_runs = [], []
    if args.before:
        # Alternating (before, now, before, now...) so that a change in the machine's load or
        # memory state falls on both programs alike.
        for _ in range(max(1, args.rounds)):
            for runs, binary in ((before_runs, args.before), (now_runs, embedlab_bin)):
                command, report = run_benchmarks(binary, args, {})
                runs.append(medians(report))
                if command not in commands:
                    commands.append(command)
    for key, binary, env in (("embedlab", embedlab_bin, {}),
                             ("torch", torch_bin,
                              {"LD_LIBRARY_PATH": args.blas_dir} if args.blas_dir else {})):
        if binary is None:
            print(f"note: bench_{key} not found; its column stays empty", file=sys.stderr)
            continue
        command, reports[key] = run_benchmarks(binary, args, env)
        commands.append(command)
        if args.json_dir:
            Path(args.json_dir).mkdir(parents=True, exist_ok=True)
            Path(args.json_dir, f"bench_{key}.json").write_text(json.dumps(reports[key], indent=1))
    limits_bin = find_binary(args.memory_limits, args.build, "memory_limits")
    limits_text, limits = run_memory_limits(limits_bin) if limits_bin else ("", {})
    ours = medians(reports.get("embedlab", {}))
    theirs = medians(reports.get("torch", {}))
    blas = reports.get("torch", {}).get("context", {}).get("blas", "—")
    load_after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    report = "\n\n".join([
        f"Medians of {args.repetitions} repetitions, CPU time, one thread.",
        markdown_table(comparison_rows(ours, theirs)),
        targets_table(target_checks(ours, theirs)),
        *([f"This build against an older one ({args.before}), run in turn, "
           f"{max(1, args.rounds)} rounds each (median CPU time of each run):",
           before_after_table(before_runs, now_runs)] if args.before else []),
        ("Random rows against this machine's memory (bench/memory_limits):\n\n```\n"
         + limits_text.strip() + "\n```\n\n| per looked-up row | ns |\n|---|---:|\n"
         + (memory_check(ours, limits) or "| (needs BM_EmbeddingStep and memory_limits) | |"))
        if limits_text else "(memory_limits not found: build it for the memory rows)",
        "\n".join([
            f"- CPU: {info['cpu']}, nproc {info['nproc']}, kernel {info['kernel']}",
            f"- compiler: {info['compiler']}",
            f"- load average (1, 5, 15 min): {info['load']} before, {load_after} after",
            f"- libtorch's BLAS: {blas}",
            f"- run took {time.time() - started:.0f} s",
        ]),
        "Commands:\n\n```\n" + "\n".join(commands) + "\n```",
    ])
    print(report)
    if args.out:
        Path(args.out).write_text(report + "\n")


if __name__ == "__main__":
    main()
