"""contrib/hostile/replay.py against a real customerd: every attack it replays is refused as
docs/HARDENING.md says, and the server keeps serving."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import unittest

from daemon import REPOSITORY, Daemon

REPLAY = REPOSITORY / "contrib" / "hostile" / "replay.py"
UNICODE_TEXT = REPOSITORY / "contrib" / "hostile" / "unicode_text.py"


class HostileReplayTest(unittest.TestCase):
    def test_every_attack_is_refused_and_the_server_keeps_serving(self) -> None:
        daemon = Daemon("--max-connections-per-user", "8")
        self.addCleanup(daemon.remove)
        daemon.start()
        # Bounded: a hung server fails the test instead of hanging the suite.
        result = subprocess.run(
            [sys.executable, str(REPLAY), "--socket", daemon.socket, "--timeout", "120", "--flood", "12", "--slow"],
            capture_output=True, text=True, timeout=1800)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("flood of 12 connections", result.stdout)
        self.assertRegex(result.stdout, r"(\d+) of \1 attacks refused correctly")
        self.assertNotIn("FAILED", result.stdout)


class UnicodeTextTest(unittest.TestCase):
    def test_every_unicode_text_check_holds(self) -> None:
        """contrib/hostile/unicode_text.py: canonical forms, invisible and bidi characters, case
        beyond ASCII in search and in unique names (unicode22, unicode23)."""
        daemon = Daemon()
        self.addCleanup(daemon.remove)
        daemon.start()
        result = subprocess.run([sys.executable, str(UNICODE_TEXT), "--socket", daemon.socket],
                                capture_output=True, text=True, timeout=600)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("a keyword 'ecole' (no accent: another word) is taken", result.stdout)
        self.assertIn("\n0 failed\n", result.stdout)


if __name__ == "__main__":
    unittest.main()
