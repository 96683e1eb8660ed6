"""contrib/conformance/probe.py, the client written from Protocol/*.md alone, against the customerd
these tests use: every promise of the documents it checks holds, and the server survives them."""

from __future__ import annotations

import subprocess
import sys
import unittest

from daemon import REPOSITORY, customerd_path

PROBE = REPOSITORY / "contrib" / "conformance" / "probe.py"
# Each wait for an answer inside the probe is 10 to 30 s times this: minutes on a starved machine.
PATIENCE = "12"
# The whole run's bound (--quick: about 30 s against a debug build under load; the sweeps, the
# second round's waits for nothing and the grace period are left out).
RUN_LIMIT = 1800


class ConformanceProbeTest(unittest.TestCase):
    def test_every_promise_the_probe_checks_holds(self) -> None:
        result = subprocess.run([sys.executable, str(PROBE), "--customerd", customerd_path(), "--quick", "--patience", PATIENCE],
                                capture_output=True, text=True, timeout=RUN_LIMIT)
        summary = result.stdout[-6000:] + result.stderr[-3000:]
        self.assertEqual(result.returncode, 0, summary)
        self.assertIn(" checks held, 0 failed", result.stdout, summary)


if __name__ == "__main__":
    unittest.main()
