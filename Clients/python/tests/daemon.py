"""A real customerd in a temporary directory, as the Swift end-to-end tests start it."""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

from customercard import CustomerCardClient, RPCError

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]
START_ATTEMPTS = 6000  # 20 ms apart: start-up on a loaded machine takes what it takes


def tool_missing(test, reason: str) -> None:
    """Skips `test` saying `reason` (a tool it runs is not installed here), or fails it under CI
    (`CI` set), whose machines have every tool the tests run (.ci/run installs what they lack)."""
    if os.environ.get("CI"):
        test.fail(f"{reason}: CI's machines must have it (.ci/run)")
    test.skipTest(reason)


def customerd_path() -> str:
    """`CUSTOMERD` if set, else the debug build's (`swift build --product customerd`)."""
    explicit = os.environ.get("CUSTOMERD")
    if explicit:
        return explicit
    built = REPOSITORY / ".build" / "debug" / "customerd"
    if built.exists():
        return str(built)
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPOSITORY, check=True,
                              capture_output=True, text=True).stdout.strip()
    return str(pathlib.Path(bin_path) / "customerd")


class Daemon:
    def __init__(self, *arguments: str) -> None:
        """`arguments` are passed to customerd after the socket, database and log level."""
        self.arguments = list(arguments)
        self.directory = pathlib.Path(tempfile.mkdtemp(prefix="customercard-python-"))
        self.socket = str(self.directory / "customerd.sock")
        self.database = str(self.directory / "customers.sqlite")
        self.log = self.directory / "customerd.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [customerd_path(), "--socket", self.socket, "--database", self.database, "--log-level", "warning",
                 *self.arguments],
                stdout=log, stderr=log)
        probe = CustomerCardClient(self.socket, timeout=60)
        try:
            for _ in range(START_ATTEMPTS):
                if self.process.poll() is not None:
                    raise RuntimeError(f"customerd exited with {self.process.returncode}: {self.log.read_text()}")
                try:
                    if probe.health() == "SERVING":
                        return
                except RPCError:
                    pass
                time.sleep(0.02)
            raise RuntimeError(f"customerd did not start serving: {self.log.read_text()}")
        finally:
            probe.close()

    def stop(self) -> None:
        """SIGTERM: the server says GOAWAY, lets calls finish and exits."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=300)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
