"""contrib/conformance/probe.py and field_sweep.py, the clients written from Protocol/*.md alone,
against the customerd these tests use: every promise of the documents they check holds, and the
server survives them. The field sweep runs --quick (a few methods of each kind, every seventh edge
and the faults found before, as each built-in profile when run as root); its whole run is manual
(contrib/conformance/README.md). replica.py, a copy of the customers kept from the change feed, runs
one short seeded round."""

from __future__ import annotations

import os
import subprocess
import sys
import unittest

from daemon import REPOSITORY, customerd_path

PROBE = REPOSITORY / "contrib" / "conformance" / "probe.py"
SWEEP = REPOSITORY / "contrib" / "conformance" / "field_sweep.py"
REPLICA = REPOSITORY / "contrib" / "conformance" / "replica.py"
# Each wait for an answer inside the probe is 10 to 30 s times this: minutes on a starved machine.
PATIENCE = "12"
# Each run's bound (--quick against a debug build under load: the probe about 30 s, the sweeps, the
# second round's waits for nothing and the grace period left out; the field sweep about 17 s).
RUN_LIMIT = 1800


class ConformanceProbeTest(unittest.TestCase):
    def run_quick(self, script) -> str:
        result = subprocess.run([sys.executable, str(script), "--customerd", customerd_path(), "--quick", "--patience", PATIENCE],
                                capture_output=True, text=True, timeout=RUN_LIMIT)
        summary = result.stdout[-6000:] + result.stderr[-3000:]
        self.assertEqual(result.returncode, 0, summary)
        return result.stdout

    def test_every_promise_the_probe_checks_holds(self) -> None:
        self.assertIn(" checks held, 0 failed", self.run_quick(PROBE))

    def test_every_field_edge_the_quick_sweep_sends_gets_what_the_documents_promise(self) -> None:
        self.assertRegex(self.run_quick(SWEEP), r"\n[1-9][0-9]* cases judged, 0 failed")

    def test_a_replica_from_the_documents_ends_equal_to_the_server(self) -> None:
        """Two server restarts and a resync under churn, the replicas restarted from their files: a
        few seconds on an idle machine; its own waits are bounded by --budget times --patience."""
        result = subprocess.run([sys.executable, str(REPLICA), "--customerd", customerd_path(), "--seed", "27",
                                 "--rounds", "2", "--ops", "80", "--budget", "120", "--patience", PATIENCE],
                                capture_output=True, text=True, timeout=RUN_LIMIT)
        self.assertEqual(result.returncode, 0, result.stdout[-6000:] + result.stderr[-3000:])
        self.assertRegex(result.stdout, r"administrator replica after a resync: .* 0 differences")
        if os.geteuid() == 0:
            self.assertRegex(result.stdout, r"consultant replica after the feed: .* 0 differences")
        self.assertIn(", 0 failed", result.stdout)


if __name__ == "__main__":
    unittest.main()
