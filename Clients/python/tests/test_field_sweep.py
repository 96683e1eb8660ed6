"""contrib/conformance/field_sweep.py --quick, the third outside client: fields of a few methods of
each kind at their edges (from CUSTOMER-API.md), as each built-in profile when run as root, against
the customerd these tests use. The whole sweep is left to a manual run (contrib/conformance/README.md)."""

from __future__ import annotations

import subprocess
import sys
import unittest

from daemon import REPOSITORY, customerd_path

SWEEP = REPOSITORY / "contrib" / "conformance" / "field_sweep.py"
# Each wait for an answer inside the sweep is 20 to 30 s times this: minutes on a starved machine.
PATIENCE = "12"
# The run's bound (--quick: about 17 s against a debug build under load).
RUN_LIMIT = 1200


class FieldSweepTest(unittest.TestCase):
    def test_every_field_edge_the_quick_sweep_sends_gets_what_the_documents_promise(self) -> None:
        result = subprocess.run([sys.executable, str(SWEEP), "--customerd", customerd_path(), "--quick", "--patience", PATIENCE],
                                capture_output=True, text=True, timeout=RUN_LIMIT)
        summary = result.stdout[-6000:] + result.stderr[-3000:]
        self.assertEqual(result.returncode, 0, summary)
        self.assertRegex(result.stdout, r"\n[1-9][0-9]* cases judged, 0 failed", summary)


if __name__ == "__main__":
    unittest.main()
