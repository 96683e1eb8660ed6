#!/usr/bin/env python3
"""Runs a test command with a watchdog, so a hanging test fails CI with its name and stacks.

A test that waits forever would otherwise run into CI's own time limit and take the whole run's
output with it. The watchdog streams the command's output as it comes, tracks which Swift Testing
tests started and never finished, and when the output has been silent for --stall seconds (or
the run exceeds --limit seconds) prints those tests, every thread's stack of the test processes
(gdb, when installed), kills the command's process group, writes the unfinished tests' names to
--unfinished and exits 124. Otherwise it exits with the command's status.
"""
import argparse
import os
import re
import select
import signal
import subprocess
import sys
import time

STARTED = re.compile(r"^\S+ Test (.+?) started\.")
ENDED = re.compile(r"^\S+ Test (.+?) (?:passed|failed|skipped|recorded an issue)")


def descendants(root):
    """Every process below `root`, found through /proc (no psutil on a fresh machine)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        for child in children.get(pid, []):
            found.append(child)
            queue.append(child)
    return found


def command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def dump_stacks(root):
    for pid in descendants(root):
        line = command_line(pid)
        if "xctest" not in line and "PackageTests" not in line:
            continue
        print(f"\n--- stacks of {pid}: {line[:200]}", flush=True)
        try:
            result = subprocess.run(
                ["gdb", "-p", str(pid), "-batch", "-nx", "-ex", "set pagination off",
                 "-ex", "thread apply all bt 25"],
                capture_output=True, text=True, timeout=300)
            lines = [l for l in result.stdout.splitlines() if l.startswith(("Thread", "#"))]
            print("\n".join(lines[:1500]), flush=True)
        except FileNotFoundError:
            print("(gdb is not installed: no stacks)", flush=True)
        except subprocess.TimeoutExpired:
            print("(gdb did not finish within 300 s)", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stall", type=float, default=600)
    parser.add_argument("--limit", type=float, default=3000)
    parser.add_argument("--unfinished", default=None)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    running = {}
    started_at = last_output = time.monotonic()
    pending = b""
    reason = None
    while True:
        ready, _, _ = select.select([process.stdout], [], [], 5)
        now = time.monotonic()
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            last_output = now
            sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                line = raw.decode(errors="replace")
                if match := STARTED.match(line):
                    running[match.group(1)] = now
                elif match := ENDED.match(line):
                    running.pop(match.group(1), None)
        if now - last_output > options.stall:
            reason = f"no output for {options.stall:.0f} s"
        elif now - started_at > options.limit:
            reason = f"still running after {options.limit:.0f} s"
        if reason:
            break

    if reason is None:
        sys.exit(process.wait())

    print(f"\n=== WATCHDOG: the test run is stuck ({reason}). Tests started and not finished:", flush=True)
    for name, since in sorted(running.items(), key=lambda item: item[1]):
        print(f"    {name}   (started {time.monotonic() - since:.0f} s ago)", flush=True)
    dump_stacks(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if options.unfinished:
        with open(options.unfinished, "w") as out:
            out.write("\n".join(running) + ("\n" if running else ""))
    sys.exit(124)


if __name__ == "__main__":
    main()
