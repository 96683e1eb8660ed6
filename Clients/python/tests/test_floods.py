"""contrib/hostile/floods.py against a real customerd (docs/HARDENING.md, floods23): one user's
ordered streams past its id-file budget are refused naming the limit, window-update and tiny-message
floods leave the server serving. Kept small: it runs in CI beside busy cores."""

from __future__ import annotations

import subprocess
import sys
import unittest

from daemon import REPOSITORY, Daemon

FLOODS = REPOSITORY / "contrib" / "hostile" / "floods.py"


class FloodsTest(unittest.TestCase):
    def test_a_users_streams_past_its_id_budget_are_refused_and_floods_leave_the_server_serving(self) -> None:
        # 1 MiB: one stream's id file (4 097 customers are one more than a stream keeps in memory).
        daemon = Daemon("--max-stream-ids-per-user", "1")
        self.addCleanup(daemon.remove)
        daemon.start()

        def floods(*arguments: str) -> str:
            # Bounded: a hung server fails the test instead of hanging the suite.
            result = subprocess.run([sys.executable, str(FLOODS), "--socket", daemon.socket, *arguments],
                                    capture_output=True, text=True, timeout=600)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            return result.stdout

        self.assertIn("seed: OK", floods("seed", "--customers", "4097"))
        windows = floods("windows", "--updates", "1000")
        self.assertIn("4097 records, then OK", windows)
        self.assertIn("GetCustomer on the same connection: OK", windows)
        tiny = floods("tiny", "--messages", "10000")
        self.assertIn("empty messages: OK", tiny)
        self.assertIn("GetCustomer on another connection after it: OK", tiny)
        # Last: the windows' export ended (its id file given back) before its STATUS came, while a
        # stream whose connection was closed gives its file back once the server sees the close.
        held = floods("id-files", "--connections", "1", "--streams", "3", "--hold", "0")
        self.assertIn("1 began (paused, each holding its id file), 2 refused", held)
        self.assertIn("the server's limit of 1048576 bytes of customer ids on disk at once (--max-stream-ids-per-user", held)


if __name__ == "__main__":
    unittest.main()
