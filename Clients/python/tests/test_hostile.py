"""contrib/hostile/replay.py against a real customerd: every attack it replays is refused as
docs/HARDENING.md says, and the server keeps serving."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import tempfile
import time
import unittest

from daemon import REPOSITORY, Daemon, customerd_path

REPLAY = REPOSITORY / "contrib" / "hostile" / "replay.py"
UNICODE_TEXT = REPOSITORY / "contrib" / "hostile" / "unicode_text.py"
TERMINAL_TEXT = REPOSITORY / "contrib" / "hostile" / "terminal_text.py"
WIRE_STATES = REPOSITORY / "contrib" / "hostile" / "wire_states.py"
COMMAND_LINES = REPOSITORY / "contrib" / "hostile" / "command_lines.py"
SCOPE_LEAKS = REPOSITORY / "contrib" / "hostile" / "scope_leaks.py"
CRASH_POINTS = REPOSITORY / "contrib" / "hostile" / "crash_points.py"
LOG_FLOOD = REPOSITORY / "contrib" / "hostile" / "log_flood.py"
FILE_PLANTING = REPOSITORY / "contrib" / "hostile" / "file_planting.py"
STANDARD_STREAMS = REPOSITORY / "contrib" / "hostile" / "standard_streams.py"
NESTED_SWEEP = REPOSITORY / "contrib" / "hostile" / "nested_sweep.py"
FAKE_SERVER = REPOSITORY / "contrib" / "hostile" / "fake_server.py"


def run_against_daemon(test: unittest.TestCase, script: pathlib.Path, arguments, *daemon_arguments: str,
                       timeout: float) -> str:
    """`script` run against a fresh customerd (started with `daemon_arguments`) with the
    arguments `arguments(daemon)` gives, bounded by `timeout` (a hung server fails the test instead
    of hanging the suite); its output, once its exit code said every check held."""
    daemon = Daemon(*daemon_arguments)
    test.addCleanup(daemon.remove)
    daemon.start()
    result = subprocess.run([sys.executable, str(script), *arguments(daemon)],
                            capture_output=True, text=True, timeout=timeout)
    test.assertEqual(result.returncode, 0, result.stdout + result.stderr)
    return result.stdout


class HostileReplayTest(unittest.TestCase):
    def test_every_attack_is_refused_and_the_server_keeps_serving(self) -> None:
        output = run_against_daemon(
            self, REPLAY, lambda daemon: ["--socket", daemon.socket, "--timeout", "120", "--flood", "12", "--slow"],
            "--max-connections-per-user", "8", timeout=1800)
        self.assertIn("flood of 12 connections", output)
        self.assertRegex(output, r"(\d+) of \1 attacks refused correctly")
        self.assertNotIn("FAILED", output)


class NestedSweepTest(unittest.TestCase):
    def test_every_entry_of_every_repeated_field_refused_by_name_as_every_role(self) -> None:
        """contrib/hostile/nested_sweep.py (redteam32): each field inside a repeated field's entries
        (and a map's), of every unary method's request and of an import's rows, taken from the
        reflection answer, set to hostile values as a Read-only user, a Consultant, a deactivated user
        and the administrator (`acting-for`, so no root): never INTERNAL, UNKNOWN, UNIMPLEMENTED or
        DATA_LOSS, every refusal naming the field, the server up, and a `Backup`'s dump unchanged by
        refused calls. About 1 500 calls; it found an 11-byte varint in a repeated field's second
        entry refused without the field's number."""
        def arguments(daemon: Daemon) -> list[str]:
            backups = daemon.directory / "nested-sweep-backups"
            backups.mkdir()
            return ["--socket", daemon.socket, "--backups", str(backups), "--timeout", "120"]

        output = run_against_daemon(self, NESTED_SWEEP, arguments, timeout=900)
        self.assertRegex(output, r"administrator: customer\.v1\.CustomerService/ImportCustomers: \d+ calls")
        self.assertRegex(output, r"\d+ calls, \d+ dumps, 0 findings")


class CommandLinesTest(unittest.TestCase):
    def test_every_odd_option_and_inherited_socket_ends_in_its_exit_code_and_message(self) -> None:
        """contrib/hostile/command_lines.py: customerd's numeric options at odd values, a socket path
        too long, and LISTEN_FDS naming what is no listening Unix stream socket (redteam26); each a
        customerd that refuses to start, about 10 s together for a debug build."""
        result = subprocess.run([sys.executable, str(COMMAND_LINES), "--customerd", customerd_path()],
                                capture_output=True, text=True, timeout=900)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"every case held \(\d+\)")


class StandardStreamsTest(unittest.TestCase):
    def test_closed_standard_descriptors_and_an_unread_stderr_cost_neither_files_nor_service(self) -> None:
        """contrib/hostile/standard_streams.py (redteam29): customerd started with descriptors 0-2
        closed, or 2 alone (its log went into the database's lock file), and with its standard error
        a pipe nobody reads (the first thread to log past the pipe's size blocked: accepts, calls and
        SIGTERM with it). The script runs its own customerds, since it sets their descriptors."""
        result = subprocess.run([sys.executable, str(STANDARD_STREAMS), "--customerd", customerd_path()],
                                capture_output=True, text=True, timeout=900)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("\n0 failed\n", result.stdout)


class CrashPointsTest(unittest.TestCase):
    def test_a_write_a_kill_cuts_is_whole_or_absent_and_an_acknowledged_one_stays(self) -> None:
        """contrib/hostile/crash_points.py, its short run: customerd killed (SIGKILL) 3 times under
        writes of every kind (registry refreshes from a fake registry too) from 4 connections as 3
        users, seed 1; after each restart the database, every write, the keyed writes sent again
        and the change feed checked (crash27). The script runs its own customerd, since it kills it
        (not `run_against_daemon`)."""
        result = subprocess.run([sys.executable, str(CRASH_POINTS), "--customerd", customerd_path(), "--rounds", "3",
                                 "--seed", "1"], capture_output=True, text=True, timeout=900)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("\n0 findings\n", result.stdout)


class UnicodeTextTest(unittest.TestCase):
    def test_every_unicode_text_check_holds(self) -> None:
        """contrib/hostile/unicode_text.py: canonical forms, invisible and bidi characters, case
        beyond ASCII in search and in unique names (unicode22, unicode23)."""
        output = run_against_daemon(self, UNICODE_TEXT, lambda daemon: ["--socket", daemon.socket], timeout=600)
        self.assertIn("a keyword 'ecole' (no accent: another word) is taken", output)
        self.assertIn("\n0 failed\n", output)


class LogFloodTest(unittest.TestCase):
    def test_refused_calls_in_a_loop_write_only_their_users_lines(self) -> None:
        """contrib/hostile/log_flood.py: 2 000 calls of each cheap kind a signed-in user can send
        (refusals as a Read-only user and as a trusted service naming nobody, NOT_FOUND,
        INVALID_ARGUMENT): the refusals write at most 100 lines a minute of that OS user (redteam27;
        before, one line a call, 162 to 1 160 bytes). A few seconds for a debug build."""
        output = run_against_daemon(
            self, LOG_FLOOD, lambda daemon: ["--socket", daemon.socket, "--log", str(daemon.log), "--calls", "2000"],
            "--log-level", "notice", timeout=600)  # the refusals' lines are notices
        self.assertIn("held   all kinds together", output)
        self.assertIn("\n0 failed\n", output)


class TerminalTextTest(unittest.TestCase):
    def test_text_someone_else_wrote_reaches_the_administrator_escaped(self) -> None:
        """contrib/hostile/terminal_text.py: stored bidirectional controls through customerctl's
        outputs, terminal controls in `acting-for` through the log, and a hostile server's answer
        fields (redteam25); customer-bench's error line of a hostile server's message (redteam32)."""
        customerctl = pathlib.Path(customerd_path()).with_name("customerctl")
        if not customerctl.exists():
            self.skipTest(f"no customerctl beside customerd ({customerctl})")
        bench = customerctl.with_name("customer-bench")  # redteam32: its error line, escaped too
        bench_arguments = ["--customer-bench", str(bench)] if bench.exists() else []
        output = run_against_daemon(
            self, TERMINAL_TEXT,
            lambda daemon: ["--customerctl", str(customerctl), *bench_arguments, "--socket", daemon.socket,
                            "--log", str(daemon.log)],
            "--log-level", "notice", timeout=300)  # the refusals' lines are notices
        self.assertIn("held   no log line holds a raw control", output)
        self.assertIn("\n0 failed\n", output)


class BenchDeadlineTest(unittest.TestCase):
    def expect_deadline_against_silent_servers(self, command: list[str]) -> None:
        """customer-bench `command` (its socket added) against fake_server.py servers that say
        nothing after their HELLO: one DEADLINE_EXCEEDED line and exit 1 within --timeout 2."""
        bench = pathlib.Path(customerd_path()).with_name("customer-bench")
        if not bench.exists():
            self.skipTest(f"no customer-bench beside customerd ({bench})")
        directory = tempfile.TemporaryDirectory(prefix="bench-deadline-")
        self.addCleanup(directory.cleanup)
        for scenario in ["silent", "hello-zeros", "ping-flood", "msg-deep-nesting"]:
            with self.subTest(scenario=scenario):
                socket = os.path.join(directory.name, scenario + ".sock")
                server = subprocess.Popen([sys.executable, str(FAKE_SERVER), socket, scenario])
                try:
                    for _ in range(1500):  # up to 30 s for the fake server to listen
                        if os.path.exists(socket):
                            break
                        time.sleep(0.02)
                    result = subprocess.run(
                        [str(bench)] + command + ["--socket", socket, "--no-floor", "--timeout", "2"],
                        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
                finally:
                    server.kill()
                    server.wait()
                self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
                errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
                self.assertEqual(len(errors), 1, result.stderr)
                self.assertIn("DEADLINE_EXCEEDED", errors[0])
                self.assertIn("did not answer within 2.0 seconds", errors[0])

    def test_customer_bench_ends_at_its_deadline_when_the_server_goes_silent(self) -> None:
        """`customer-bench run` (redteam32b). Before `run --timeout`, it waited until the fake
        server closed (40 to 60 s), past this test's bound of 30 s a run."""
        self.expect_deadline_against_silent_servers(
            ["run", "get", "--customers", "10", "--calls", "5", "--warmup", "0"])

    def test_customer_bench_ping_ends_at_its_deadline_when_the_server_goes_silent(self) -> None:
        """`customer-bench ping` (redteam33, with `run`'s --timeout). Before, it had no deadline
        and waited until the fake server closed, past this test's bound of 30 s a run."""
        self.expect_deadline_against_silent_servers(
            ["ping", "--connections", "2", "--duration", "1", "--runs", "1"])


class WireStatesTest(unittest.TestCase):
    def test_frames_out_of_state_are_answered_and_leave_nothing_behind(self) -> None:
        """contrib/hostile/wire_states.py: every frame type in stream states it does not belong to,
        then the threads, descriptors and budgets counted (redteam25)."""
        def arguments(daemon: Daemon) -> list[str]:
            assert daemon.process is not None
            return ["--socket", daemon.socket, "--pid", str(daemon.process.pid), "--rounds", "1", "--streams", "20"]

        output = run_against_daemon(self, WIRE_STATES, arguments, timeout=300)
        self.assertIn("held   threads and descriptors (but the database's) back where they were", output)
        self.assertIn("\n0 failed\n", output)


class ScopeLeaksTest(unittest.TestCase):
    def test_own_scope_learns_nothing_of_customers_it_may_not_read(self) -> None:
        """contrib/hostile/scope_leaks.py: a Consultant of another OS uid asks every way it may not
        be told of the administrator's customer, page tokens edited and forged, its projects, and
        the administrator's idempotency keys raced (redteam20, redteam26b); a few seconds."""
        if os.geteuid() != 0:
            self.skipTest("scope_leaks.py switches to another OS uid: run as root")
        output = run_against_daemon(self, SCOPE_LEAKS, lambda daemon: ["--socket", daemon.socket, "--rounds", "5"],
                                    "--socket-mode", "0666", timeout=300)
        self.assertRegex(output, r"held    \d+ edited and forged page tokens")
        self.assertIn("held    5 rounds of the same keys from both users at once: 10 of 10 customers", output)
        self.assertIn("\n0 findings; the server serves\n", output)


class FilePlantingTest(unittest.TestCase):
    def test_files_another_user_planted_are_neither_served_nor_restored(self) -> None:
        """contrib/hostile/file_planting.py's `planting` and `restore` cases: another OS uid's
        database files where the server's would go (redteam20b), and its own backup where the
        server's user keeps one, then restored (redteam28); a few seconds. Each is a customerd the
        script starts, as two other uids, so the binaries must be theirs to run."""
        if os.geteuid() != 0:
            self.skipTest("file_planting.py switches to other OS uids: run as root")
        customerd = pathlib.Path(customerd_path()).resolve()
        customerctl = customerd.parent / "customerctl"
        if not customerctl.exists():
            self.skipTest(f"no customerctl beside {customerd}")
        if any(not directory.stat().st_mode & 0o001 for directory in customerd.parents):
            self.skipTest(f"{customerd} is in a folder other users may not enter")
        result = subprocess.run([sys.executable, str(FILE_PLANTING), "--customerd", str(customerd), "--customerctl",
                                 str(customerctl), "--only", "planting", "--only", "restore"],
                                capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("restore-folder-0777: exit 4", result.stdout)
        self.assertIn("\n0 finding(s)\n", result.stdout)


if __name__ == "__main__":
    unittest.main()
