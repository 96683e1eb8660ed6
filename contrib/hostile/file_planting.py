#!/usr/bin/env python3
"""What another OS user can reach of the files customerd makes, and what it can plant for them.

    sudo contrib/hostile/file_planting.py --customerd PATH --customerctl PATH [--uid 4521] [--other 4522]
                                          [--only modes|planting|restore ...]

Run as root (it switches users with setpriv). customerd runs as UID, the other local user is OTHER;
everything happens under a fresh directory in /tmp, removed at the end. Each case starts its own
server and stops it:

- modes: under umask 000 and 077, with TMPDIR pointing at a directory OTHER owns (mode 1777), the
  server creates its database, takes a customer, an import (spooled) and a backup, then stops.
  A finding is any file or directory it made with a group or other permission bit (the socket
  excepted: 0600 unless --socket-mode), anything it made owned by another user, or anything left
  in TMPDIR (spools go beside the database, never there).
- planting: OTHER prepares the database's place before the server's start: a database and
  write-ahead log of its own (mode 0666) in a shared sticky directory; `/tmp/customercard-UID`
  made by OTHER (mode 0777), where the default database goes with HOME and XDG_DATA_HOME unset;
  a database file of OTHER's in the server's own directory (root gives it away); a symbolic link
  at the write-ahead log's path. A finding is a server that starts (it would write customers into
  files OTHER reads) or a planted file that changed; each must be refused with exit code 3.
- restore: OTHER runs a customerd of its own (so it is that database's administrator) and backs it
  up; then puts that backup where UID keeps its own: into a backup folder UID made writable by
  others (mode 0777), and in place of a backup folder in a directory above it that others may
  write (mode 0777, not sticky). UID restores each (`customerd --restore`) into a fresh database.
  A finding is a restore that succeeds; the script then starts UID's server on the restored
  database (socket mode 0666) and reports what OTHER's `customerctl whoami` says there. Each must
  be refused with exit code 4 before anything at the database's place is made.

Exit status 0 without findings, 1 with.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time


def as_user(uid: int, argv: list[str], umask: int = 0o022, env: dict | None = None,
            timeout: float = 30) -> subprocess.CompletedProcess:
    def prepare() -> None:
        os.umask(umask)
    command = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"] + argv
    return subprocess.run(command, preexec_fn=prepare, env=env or {"PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=timeout)


def spawn(uid: int, argv: list[str], umask: int, env: dict, log: str) -> subprocess.Popen:
    def prepare() -> None:
        os.umask(umask)
    with open(log, "w") as output:
        return subprocess.Popen(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"] + argv,
                                preexec_fn=prepare, env=env, stdout=output, stderr=subprocess.STDOUT)


def wait_for(path: str, server: subprocess.Popen, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        if server.poll() is not None:
            return False
        time.sleep(0.1)
    return False


def owned_directory(path: str, uid: int, mode: int = 0o700) -> str:
    os.makedirs(path, exist_ok=True)
    os.chown(path, uid, uid)
    os.chmod(path, mode)
    return path


def modes(base: str, tools: argparse.Namespace, umask: int) -> list[str]:
    findings = []
    top = owned_directory(f"{base}/modes-{umask:03o}", tools.uid)
    spill = owned_directory(f"{base}/spill-{umask:03o}", tools.other, 0o1777)
    socket, database = f"{top}/run/s.sock", f"{top}/data/customers.sqlite"
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": spill, "HOME": top}
    server = spawn(tools.uid, [tools.customerd, "--socket", socket, "--database", database], umask, env,
                   f"{base}/modes-{umask:03o}.log")
    try:
        if not wait_for(socket, server):
            return [f"umask {umask:03o}: the server did not start: {open(f'{base}/modes-{umask:03o}.log').read()}"]
        ctl = [tools.customerctl, "--socket", socket]
        csv = f"{top}/rows.csv"
        with open(csv, "w") as rows:
            rows.write("name\n" + "".join(f"Planted Row {i} Oy\n" for i in range(2000)))
        os.chown(csv, tools.uid, tools.uid)
        for argv in (["customers", "create", "--name", "Modes Oy"], ["customers", "import", csv],
                     ["admin", "backup", "--to", f"{top}/backup"]):
            done = as_user(tools.uid, ctl + argv, umask, env)
            if done.returncode != 0:
                findings.append(f"umask {umask:03o}: {' '.join(argv[:2])} failed: {done.stderr.strip()}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    for directory, names, files in os.walk(top):
        for name in [os.path.join(directory, entry) for entry in names + files]:
            info = os.lstat(name)
            if name == csv:
                continue
            if info.st_uid != tools.uid:
                findings.append(f"umask {umask:03o}: {name} belongs to uid {info.st_uid}")
            if stat.S_IMODE(info.st_mode) & 0o077:
                findings.append(f"umask {umask:03o}: {name} has mode {stat.S_IMODE(info.st_mode):o}")
            print(f"  {stat.S_IMODE(info.st_mode):04o} {info.st_uid} {name[len(top):] or '/'}")
    if os.listdir(spill):
        findings.append(f"umask {umask:03o}: the server left {os.listdir(spill)} in TMPDIR {spill}")
    return findings


def refused(base: str, tools: argparse.Namespace, case: str, argv: list[str], env: dict,
            planted: list[str]) -> list[str]:
    """Starts the server; it must exit 3 at once and leave every planted file as it was."""
    before = {path: (os.lstat(path).st_size, os.lstat(path).st_mtime_ns) for path in planted}
    server = spawn(tools.uid, [tools.customerd] + argv, 0o022, env, f"{base}/{case}.log")
    try:
        status = server.wait(timeout=15)  # a refusal is at once; still running then, it serves
    except subprocess.TimeoutExpired:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        status = None
    message = open(f"{base}/{case}.log").read().strip()
    print(f"  {case}: exit {status}: {message[-220:]}")
    findings = []
    if status != 3:
        findings.append(f"{case}: the server did not refuse the planted files (exit {status}): {message}")
    for path, (size, mtime) in before.items():
        info = os.lstat(path)
        if (info.st_size, info.st_mtime_ns) != (size, mtime):
            findings.append(f"{case}: {path} was written ({size} -> {info.st_size} bytes)")
    return findings


def planting(base: str, tools: argparse.Namespace) -> list[str]:
    findings = []
    env = {"PATH": "/usr/bin:/bin", "HOME": base}
    socket_dir = owned_directory(f"{base}/sock", tools.uid)

    shared = owned_directory(f"{base}/shared", 0, 0o1777)
    planted = [f"{shared}/customers.sqlite", f"{shared}/customers.sqlite-wal"]
    for path in planted:
        as_user(tools.other, ["sh", "-c", f": > {path}"], umask=0)
    findings += refused(base, tools, "shared-sticky", ["--socket", f"{socket_dir}/a.sock", "--database", planted[0]],
                        env, planted)

    fallback = f"/tmp/customercard-{tools.uid}"
    if os.path.lexists(fallback):
        print(f"  fallback: skipped, {fallback} exists")
    else:
        owned_directory(fallback, tools.other, 0o777)
        squatted = f"{fallback}/customers.sqlite"
        as_user(tools.other, ["sh", "-c", f": > {squatted}"], umask=0)
        try:
            findings += refused(base, tools, "fallback-squatted", ["--socket", f"{socket_dir}/b.sock"],
                                {"PATH": "/usr/bin:/bin"}, [squatted])
        finally:
            shutil.rmtree(fallback, ignore_errors=True)

    own = owned_directory(f"{base}/own", tools.uid)
    given = f"{own}/customers.sqlite"
    open(given, "w").close()
    os.chown(given, tools.other, tools.other)
    os.chmod(given, 0o666)
    findings += refused(base, tools, "file-of-another", ["--socket", f"{socket_dir}/c.sock", "--database", given],
                        env, [given])

    linked = owned_directory(f"{base}/linked", tools.uid)
    victim = f"{base}/victim"
    with open(victim, "w") as target:
        target.write("keep me")
    os.symlink(victim, f"{linked}/customers.sqlite-wal")
    findings += refused(base, tools, "wal-symlink", ["--socket", f"{socket_dir}/d.sock", "--database",
                                                     f"{linked}/customers.sqlite"], env, [victim])
    return findings


def restore(base: str, tools: argparse.Namespace) -> list[str]:
    findings = []
    env = {"PATH": "/usr/bin:/bin", "HOME": base}
    mine = owned_directory(f"{base}/other-server", tools.other)
    socket = f"{mine}/s.sock"
    server = spawn(tools.other, [tools.customerd, "--socket", socket, "--database", f"{mine}/customers.sqlite"],
                   0o022, env, f"{base}/other-server.log")
    try:
        if not wait_for(socket, server):
            return [f"restore: OTHER's server did not start: {open(f'{base}/other-server.log').read()}"]
        made = as_user(tools.other, [tools.customerctl, "--socket", socket, "admin", "backup", "--to", f"{mine}/backup"],
                       env=env)
        if made.returncode != 0:
            return [f"restore: OTHER's backup failed: {made.stderr.strip()}"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    shared_folder = owned_directory(f"{base}/kept/nightly", tools.uid, 0o777)
    os.chmod(f"{base}/kept", 0o755)
    os.chown(f"{base}/kept", tools.uid, tools.uid)
    # OTHER's backup is its own (0700 and 0600): it lets UID read the copies it places.
    dropped = as_user(tools.other, ["sh", "-c", f"cp -r {mine}/backup/. {shared_folder} && "
                                                f"chmod -R go+rX {shared_folder}/*"], umask=0o022)
    open_parent = owned_directory(f"{base}/drop", tools.uid, 0o777)
    owned_directory(f"{open_parent}/nightly", tools.uid)
    swapped = as_user(tools.other, ["sh", "-c", f"mv {open_parent}/nightly {open_parent}/old && "
                                                f"cp -r {mine}/backup {open_parent}/nightly && "
                                                f"chmod -R go+rX {open_parent}/nightly"], umask=0o022)
    for case, folder, placed in (("restore-folder-0777", shared_folder, dropped),
                                 ("restore-parent-0777", f"{open_parent}/nightly", swapped)):
        if placed.returncode != 0:
            findings.append(f"{case}: OTHER could not place its backup: {placed.stderr.strip()}")
            continue
        target = owned_directory(f"{base}/{case}", tools.uid)
        database = f"{target}/data/customers.sqlite"
        done = as_user(tools.uid, [tools.customerd, "--database", database, "--restore", folder], env=env)
        print(f"  {case}: exit {done.returncode}: {(done.stdout + done.stderr).strip()[-300:]}")
        if done.returncode != 4:
            findings.append(f"{case}: the restore of OTHER's backup was not refused (exit {done.returncode})")
        if os.path.exists(f"{target}/data"):
            findings.append(f"{case}: the restore made {target}/data")
        if done.returncode == 0:
            socket = f"{target}/s.sock"
            server = spawn(tools.uid, [tools.customerd, "--socket", socket, "--socket-mode", "0666",
                                       "--database", database], 0o022, env, f"{base}/{case}.log")
            try:
                if wait_for(socket, server):
                    whoami = as_user(tools.other, [tools.customerctl, "--socket", socket, "whoami"], env=env)
                    said = " / ".join(line.split(None, 1)[-1] for line in whoami.stdout.splitlines()[:2])
                    print(f"    OTHER (uid {tools.other}) on UID's restored server: {said}{whoami.stderr.strip()}")
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=60)
    return findings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customerd", required=True)
    parser.add_argument("--customerctl", required=True)
    parser.add_argument("--uid", type=int, default=4521, help="the server's OS user")
    parser.add_argument("--other", type=int, default=4522, help="the other local user")
    parser.add_argument("--only", choices=["modes", "planting", "restore"], action="append",
                        help="run only these cases (repeatable; default: all)")
    tools = parser.parse_args()
    if os.geteuid() != 0:
        print("run as root: the script switches users", file=sys.stderr)
        return 2
    base = tempfile.mkdtemp(prefix="cc-planting-", dir="/tmp")
    os.chmod(base, 0o755)
    findings: list[str] = []
    try:
        cases = tools.only or ["modes", "planting", "restore"]
        if "modes" in cases:
            for umask in (0o000, 0o077):
                print(f"modes under umask {umask:03o}:")
                findings += modes(base, tools, umask)
        if "planting" in cases:
            print("planting:")
            findings += planting(base, tools)
        if "restore" in cases:
            print("restore:")
            findings += restore(base, tools)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    for finding in findings:
        print("FINDING:", finding)
    print(f"{len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
