"""contrib/conformance/c, the C client written from Protocol/*.md alone, compiled with gcc into a
temporary directory and run against a fresh customerd: every frame and message it reads conforms,
every golden vector decodes and re-encodes byte for byte. Without gcc the test skips, saying so;
under CI (`CI` set, where .ci/run installs gcc) it fails instead."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import unittest

from daemon import REPOSITORY, Daemon, tool_missing

SOURCES = REPOSITORY / "contrib" / "conformance" / "c"
VECTORS = REPOSITORY / "Protocol" / "vectors"
# The flags of its Makefile: a warning is an error.
FLAGS = ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic"]
# Each wait inside the client is 30 s times this; the run itself takes about a second.
PATIENCE = "4"
RUN_LIMIT = 600


class CClientTest(unittest.TestCase):
    def setUp(self) -> None:
        self.gcc = shutil.which("gcc")
        if self.gcc is None:
            tool_missing(self, "gcc is not installed: the C client cannot be compiled")
        self.directory = tempfile.mkdtemp(prefix="customercard-c-client-")
        self.addCleanup(shutil.rmtree, self.directory, True)
        self.daemon = Daemon()
        self.addCleanup(self.daemon.remove)

    def test_the_c_client_finds_every_frame_and_vector_as_the_documents_say(self) -> None:
        binary = os.path.join(self.directory, "ccrp-conformance")
        sources = sorted(str(path) for path in SOURCES.glob("*.c"))
        built = subprocess.run([self.gcc, *FLAGS, "-o", binary, *sources], capture_output=True, text=True, timeout=RUN_LIMIT)
        self.assertEqual(built.returncode, 0, built.stderr)
        self.daemon.start()
        result = subprocess.run([binary, self.daemon.socket, str(VECTORS), "--patience", PATIENCE],
                                capture_output=True, text=True, timeout=RUN_LIMIT)
        summary = result.stdout[-6000:] + result.stderr[-2000:]
        self.assertEqual(result.returncode, 0, summary)
        self.assertRegex(result.stdout, r"\n[1-9][0-9]* checks held, 0 failed\n", summary)
        self.assertNotIn("FAIL", result.stdout, summary)


if __name__ == "__main__":
    unittest.main()
