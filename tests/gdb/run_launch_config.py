#!/usr/bin/env python3
"""Runs gdb with exactly the setupCommands that .vscode/launch.json gives it, then checks what a
learner sees in VS Code: the skip recipe is active, `step` from the chapter's line
`embed->forward(ids)` lands in Embedding::forward, and its argument prints as a tensor.

Usage: run_launch_config.py --gdb GDB --workspace REPO --program CH04_BINARY --line N
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile


def substitute(text, workspace, chapter):
    """VS Code's variables, as it would expand them with the chapter's source file open."""
    return (text.replace("${workspaceFolder}", workspace)
            .replace("${fileBasenameNoExtension}", chapter)
            .replace("${input:chapter}", chapter))


def gdb_arguments(command):
    """One setupCommand as a gdb -ex argument; MI commands (leading '-') go through the MI
    interpreter, as VS Code sends them."""
    if command.startswith("-"):
        return ["-ex", 'interpreter-exec mi "%s"' % command]
    return ["-ex", command]


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gdb", required=True)
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--program", required=True)
    parser.add_argument("--line", required=True, type=int)
    options = parser.parse_args()
    chapter = "ch04_embedding_layer"

    with open(options.workspace + "/.vscode/launch.json", encoding="utf-8") as file:
        launch = json.load(file)
    with open(options.workspace + "/.vscode/tasks.json", encoding="utf-8") as file:
        tasks = {task["label"]: task for task in json.load(file)["tasks"]}

    configurations = launch["configurations"]
    if not configurations:
        fail("launch.json has no configuration")
    for configuration in configurations:
        name = configuration["name"]
        program = substitute(configuration["program"], options.workspace, chapter)
        expected = options.workspace + "/build/debug/tutorials/" + chapter
        if program != expected:
            fail("%s: program is %s, expected %s" % (name, program, expected))
        task = configuration.get("preLaunchTask")
        if task not in tasks:
            fail("%s: preLaunchTask '%s' is not in tasks.json (%s)" % (name, task, ", ".join(tasks)))
        if "--preset debug" not in tasks[task]["command"]:
            fail("%s: task '%s' does not build the debug preset: %s" % (name, task, tasks[task]["command"]))

        arguments = [options.gdb, "-q", "-batch", "-nx"]
        for setup in configuration["setupCommands"]:
            arguments += gdb_arguments(substitute(setup["text"], options.workspace, chapter))
        arguments += ["-ex", "info skip", "-ex", "break ch04_embedding_layer.cpp:%d" % options.line,
                      "-ex", "run", "-ex", "step", "-ex", "echo FRAME-AFTER-STEP: ",
                      "-ex", "frame 0"]
        with tempfile.TemporaryDirectory() as out:
            arguments += ["--args", options.program, "--out", out]
            result = subprocess.run(arguments, capture_output=True, text=True, timeout=120,
                                    cwd=substitute(configuration["cwd"], options.workspace, chapter))
        text = result.stdout + result.stderr
        print("==== %s: gdb %s" % (name, " ".join(arguments[1:])))
        print(text[-3000:])
        if not re.search(r"\^std::", text):
            fail("%s: the skip recipe is not loaded (no ^std:: in `info skip`)" % name)
        if not re.search(r"FRAME-AFTER-STEP: *#0 +embedlab::nn::Embedding::forward \(this=[^\n]*"
                         r"ids=tensor\(shape \(4\), int64\) \[1, 3, 1, 4\]\)", text):
            fail("%s: `step` did not land in Embedding::forward with a printed tensor" % name)
    print("PASS: %d launch configurations" % len(configurations))


if __name__ == "__main__":
    main()
