"""contrib/conformance/node, the JavaScript client written from Protocol/*.md alone, run with
Node (20 or later, no packages) against a fresh customerd: the handshake and its refusals, unary
and streaming calls with flow control, cancellation, deadlines, PING, GOAWAY, the status codes the
documents promise, every connection and stream error of PROTOCOL.md §10.1, every golden vector
both ways, and last a graceful shutdown of that customerd. Nothing is built. Without `node` the
test skips, saying so; under CI (`CI` set; the machines CI runs on come with Node 20) it fails
instead."""

from __future__ import annotations

import re
import shutil
import subprocess
import unittest

from daemon import REPOSITORY, Daemon, tool_missing

CHECK = REPOSITORY / "contrib" / "conformance" / "node" / "check.js"
VECTORS = REPOSITORY / "Protocol" / "vectors"
# Each wait inside the client is 30 s times this; the run itself takes some seconds.
PATIENCE = "4"
RUN_LIMIT = 900


class NodeClientTest(unittest.TestCase):
    def setUp(self) -> None:
        self.node = shutil.which("node")
        if self.node is None:
            tool_missing(self, "node is not installed: the JavaScript client cannot run")
        version = subprocess.run([self.node, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
        major = re.match(r"v(\d+)\.", version)
        if major is None or int(major.group(1)) < 20:
            tool_missing(self, f"node {version} is older than 20")
        self.daemon = Daemon()
        self.addCleanup(self.daemon.remove)

    def test_the_node_client_finds_what_the_documents_promise(self) -> None:
        self.daemon.start()
        assert self.daemon.process is not None
        result = subprocess.run(
            [self.node, str(CHECK), self.daemon.socket, "--vectors", str(VECTORS), "--patience", PATIENCE,
             "--shutdown-pid", str(self.daemon.process.pid)],
            capture_output=True, text=True, timeout=RUN_LIMIT)
        summary = result.stdout[-6000:] + result.stderr[-2000:]
        self.assertEqual(result.returncode, 0, summary)
        match = re.search(r"\n(\d+) of (\d+) checks passed\n", result.stdout)
        self.assertIsNotNone(match, summary)
        assert match is not None
        self.assertEqual(match.group(1), match.group(2), summary)
        self.assertNotRegex(result.stdout, r"(?m)^FAIL ", summary)
        self.assertIn("a shutdown ends a watch", result.stdout, summary)
        # The shutdown check stopped this customerd: it exits cleanly.
        self.assertEqual(self.daemon.process.wait(timeout=RUN_LIMIT), 0, self.daemon.log.read_text())


if __name__ == "__main__":
    unittest.main()
