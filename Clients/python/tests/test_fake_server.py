"""What the client does on the wire where a real server cannot be made to misbehave on cue: a
scripted server on a real socket reads the client's frames and answers as each test needs."""

import os
import pathlib
import socket
import tempfile
import threading
import unittest
from unittest import mock

from customercard import Channel, RPCError, StatusCode
from customercard import frames
from customercard.schema import MethodSchema, Schema
from customercard.wire import Reader, string_bytes

WRITE = "test.v1.Test/Write"


def test_schema() -> Schema:
    schema = Schema()
    schema.add_message("Empty")
    schema.add_method(MethodSchema("test.v1.Test", "Write", "unary", "Empty", "Empty",
                                   "Takes an `idempotency-key`."))
    schema.add_method(MethodSchema("test.v1.Test", "Upload", "client_streaming", "Empty", "Empty"))
    return schema


class FakeConnection:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = b""

    def read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def frame(self) -> tuple[int, int, int, bytes]:
        length, frame_type, flags, stream_id = frames.HEADER.unpack(self.read(frames.HEADER_SIZE))
        return frame_type, flags, stream_id, self.read(length)

    def call_start(self) -> tuple[int, int, str, dict]:
        """The next frame, a CALL_START: (stream id, timeout µs, method, metadata)."""
        frame_type, _, stream_id, payload = self.frame()
        assert frame_type == frames.CALL_START, frame_type
        reader = Reader(payload)
        timeout = reader.varint()
        method = reader.string("method")
        return stream_id, timeout, method, dict(frames.read_metadata(reader))

    def answer(self, stream_id: int, code: int = 0, message: str = "") -> None:
        payload = bytes((code,)) + string_bytes(message) + b"\0\0"
        self.sock.sendall(frames.frame(frames.STATUS, frames.HAS_MESSAGE if code == 0 else 0, stream_id, payload))


class FakeServer:
    """Accepts connections on a socket in a temporary directory; `script(number, connection)`
    runs for each after the handshake."""

    def __init__(self, test: unittest.TestCase, script, initial_window: int = 1 << 18, path: str | None = None,
                 listening_uid: int | None = None):
        if path is None:
            directory = tempfile.TemporaryDirectory()
            test.addCleanup(directory.cleanup)
            path = str(pathlib.Path(directory.name) / "fake.sock")
        self.path = path
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.path)
        if listening_uid is None:
            self.listener.listen()
        else:
            listen_as(self.listener, listening_uid)
        self.script = script
        self.initial_window = initial_window
        self.failures: list[BaseException] = []
        self.connections = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()
        test.addCleanup(self.listener.close)

    def serve(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.run, args=(self.connections, sock), daemon=True).start()

    def run(self, number: int, sock: socket.socket) -> None:
        connection = FakeConnection(sock)
        try:
            assert connection.read(4) == frames.MAGIC
            assert connection.frame()[0] == frames.HELLO
            hello = (frames.PROTOCOL_VERSION.to_bytes(2, "big") + (1 << 20).to_bytes(4, "big")
                     + (10).to_bytes(4, "big") + self.initial_window.to_bytes(4, "big") + string_bytes("fake")
                     + string_bytes("0"))
            sock.sendall(frames.frame(frames.HELLO, 0, 0, hello))
            self.script(number, connection)
        except EOFError:
            pass
        except BaseException as error:  # reported by the test through `failures`
            self.failures.append(error)
        finally:
            sock.close()


def listen_as(listener: socket.socket, uid: int) -> None:
    """listen(2) on `listener` by a child process running as `uid` (root only): SO_PEERCRED names
    whoever called listen, so clients see another OS user's server while this process accepts."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            listener.listen()
            os._exit(0)
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, status


class DefaultSocketTests(unittest.TestCase):
    """The default socket is the user's own (redteam26): another OS user who made
    /tmp/customercard-UID first and listens there must receive nothing."""

    @unittest.skipUnless(os.geteuid() == 0, "needs root to listen as another OS user")
    def test_a_server_of_another_user_at_the_default_socket_is_refused_before_anything_is_sent(self):
        runtime = tempfile.TemporaryDirectory()
        self.addCleanup(runtime.cleanup)
        os.mkdir(os.path.join(runtime.name, "customercard"), 0o700)
        received = []
        server = FakeServer(self, lambda number, connection: received.append(connection.call_start()),
                            path=os.path.join(runtime.name, "customercard", "customerd.sock"), listening_uid=4703)
        environment = {key: value for key, value in os.environ.items() if key != "CUSTOMER_SOCKET"}
        environment["XDG_RUNTIME_DIR"] = runtime.name
        with mock.patch.dict(os.environ, environment, clear=True):
            channel = Channel(schema=test_schema(), timeout=10)
        self.addCleanup(channel.close)
        self.assertEqual(channel.socket_path, server.path)
        with self.assertRaises(RPCError) as raised:
            channel.call(WRITE, {})
        self.assertEqual(raised.exception.code, StatusCode.UNAVAILABLE)
        self.assertIn(f"refusing the server at {server.path}: it runs as uid 4703 (pid ", raised.exception.message)
        self.assertEqual(received, [])
        self.assertEqual(server.failures, [])

        # Named, the socket is the caller's choice: the call reaches that server.
        named = Channel(server.path, schema=test_schema(), timeout=1)
        self.addCleanup(named.close)
        with self.assertRaises(RPCError):
            named.call(WRITE, {})
        # (sent again on new connections: the script closes each without an answer)
        self.assertTrue(received)
        self.assertEqual({method for _, _, method, _ in received}, {WRITE})


def bare_listener(test: unittest.TestCase, name: str) -> tuple[str, socket.socket]:
    """A listening socket in a temporary directory that no script serves: the test accepts (or
    not) and writes what it needs itself."""
    directory = tempfile.TemporaryDirectory()
    test.addCleanup(directory.cleanup)
    path = str(pathlib.Path(directory.name) / name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen()
    test.addCleanup(listener.close)
    return path, listener


class WireBehaviourTests(unittest.TestCase):
    def channel(self, server: FakeServer, **options) -> Channel:
        channel = Channel(server.path, schema=test_schema(), **options)
        self.addCleanup(channel.close)
        return channel

    def test_a_keyed_write_lost_with_its_connection_is_sent_again_with_the_same_key(self):
        keys = []

        def script(number, connection):
            stream_id, _, method, metadata = connection.call_start()
            keys.append(metadata.get("idempotency-key"))
            if number == 2:
                connection.answer(stream_id)
            # the first connection closes without an answer, as a crashed server's would

        server = FakeServer(self, script)
        self.assertEqual(self.channel(server, timeout=60).call(WRITE, {}), {})
        self.assertEqual(server.failures, [])
        self.assertEqual(len(keys), 2)
        self.assertTrue(keys[0])
        self.assertEqual(keys[1], keys[0])

    def test_an_explicit_key_is_sent_as_given(self):
        keys = []

        def script(number, connection):
            stream_id, _, _, metadata = connection.call_start()
            keys.append(metadata.get("idempotency-key"))
            connection.answer(stream_id)

        server = FakeServer(self, script)
        self.channel(server).call(WRITE, {}, idempotency_key="order-42:attempt")
        self.assertEqual(keys, ["order-42:attempt"])

    def test_after_goaway_the_next_call_opens_a_new_connection(self):
        def script(number, connection):
            stream_id, _, _, _ = connection.call_start()
            if number == 1:
                connection.sock.sendall(frames.goaway(0, "shutting down", stream_id))
            connection.answer(stream_id)
            connection.frame()  # until the client closes the connection

        server = FakeServer(self, script)
        channel = self.channel(server, timeout=60)
        channel.call(WRITE, {})
        channel.call(WRITE, {})
        self.assertEqual(server.failures, [])
        self.assertEqual(server.connections, 2)

    def test_a_call_in_flight_at_a_goaway_ok_completes_while_the_next_call_uses_a_new_connection(self):
        goaway_seen, second_done = threading.Event(), threading.Event()

        def script(number, connection):
            stream_id, _, _, _ = connection.call_start()
            if number == 2:
                connection.answer(stream_id)
                return
            connection.sock.sendall(frames.goaway(0, "shutting down", stream_id) + frames.frame(frames.PING, 0, 0, b"barrier!"))
            assert connection.frame()[0] == frames.PONG  # the client has read the GOAWAY before the PING
            goaway_seen.set()
            assert second_done.wait(timeout=600)
            connection.answer(stream_id)

        server = FakeServer(self, script)
        channel = self.channel(server, timeout=600)
        outcome = []
        first = threading.Thread(target=lambda: outcome.append(channel.call(WRITE, {})))
        first.start()
        self.assertTrue(goaway_seen.wait(timeout=600))
        channel.call(WRITE, {})
        second_done.set()
        first.join()
        self.assertEqual((outcome, server.failures, server.connections), ([{}], [], 2))

    def test_a_call_the_servers_goaway_says_it_never_started_is_sent_again(self):
        started = []

        def script(number, connection):
            stream_id, _, _, _ = connection.call_start()
            started.append((number, stream_id))
            if number == 1:
                # An idle close racing the call: the GOAWAY names the calls before it as the last started.
                connection.sock.sendall(frames.goaway(0, "idle timeout", stream_id - 1))
                return
            connection.answer(stream_id)

        server = FakeServer(self, script)
        self.assertEqual(self.channel(server, timeout=60).unary_bytes(WRITE, b""), b"")
        self.assertEqual((server.failures, started), ([], [(1, 1), (2, 1)]))

    def test_a_ping_is_answered_with_its_bytes(self):
        pongs = []

        def script(number, connection):
            connection.sock.sendall(frames.frame(frames.PING, 0, 0, b"12345678"))
            call = None
            while not pongs:
                frame = connection.frame()
                if frame[0] == frames.CALL_START:
                    call = frame  # the call may be on its way before the PONG
                else:
                    pongs.append(frame)
            connection.answer(call[2] if call else connection.call_start()[0])

        server = FakeServer(self, script)
        self.channel(server, timeout=60).call(WRITE, {})
        self.assertEqual(pongs, [(frames.PONG, 0, 0, b"12345678")])

    # The call timed out comes second, on a connection a first call opened: on a busy machine the
    # handshake alone can outlast its 0.2 s deadline, which then ends the call before any CALL_START
    # (the client closes instead of cancelling, and the script met EOF: this test waited 600 s).
    def test_at_its_deadline_the_client_raises_deadline_exceeded_and_sends_cancel(self):
        seen = []
        read = threading.Event()

        def script(number, connection):
            try:
                connection.answer(connection.call_start()[0])
                stream_id, timeout, _, _ = connection.call_start()
                seen.append(timeout)
                seen.append(connection.frame())  # never answered: the next frame is the client's CANCEL
            finally:
                read.set()

        server = FakeServer(self, script)
        channel = self.channel(server)
        channel.call(WRITE, {})
        with self.assertRaises(RPCError) as caught:
            channel.call(WRITE, {}, timeout=0.2)
        self.assertEqual(caught.exception.code, StatusCode.DEADLINE_EXCEEDED)
        self.assertTrue(read.wait(timeout=600), "the fake server's script did not end")
        self.assertEqual(server.failures, [])
        self.assertTrue(0 < seen[0] <= 200_000, seen)
        self.assertEqual(seen[1], (frames.CANCEL, 0, 2, b""))

    def test_a_client_stream_without_credit_ends_at_its_deadline_with_cancel(self):
        frames_after_start = []
        read = threading.Event()

        def script(number, connection):
            try:
                connection.answer(connection.call_start()[0])  # the first call opened the connection
                connection.call_start()
                # A 1-byte window and no WINDOW_UPDATE: the client may send one message, not two.
                frames_after_start.append(connection.frame())
                frames_after_start.append(connection.frame())
            finally:
                read.set()

        server = FakeServer(self, script, initial_window=1)
        channel = self.channel(server)
        channel.call(WRITE, {})
        with self.assertRaises(RPCError) as caught:
            channel.client_stream("test.v1.Test/Upload", [{}, {}], timeout=0.2)
        self.assertEqual(caught.exception.code, StatusCode.DEADLINE_EXCEEDED)
        self.assertTrue(read.wait(timeout=600), "the fake server's script did not end")
        self.assertEqual(server.failures, [])
        self.assertEqual(frames_after_start, [(frames.MESSAGE, frames.HAS_MESSAGE, 2, b""), (frames.CANCEL, 0, 2, b"")])

    def test_a_server_error_keeps_its_code_message_and_details(self):
        def script(number, connection):
            stream_id, _, _, _ = connection.call_start()
            details = bytes.fromhex("0a 0f 0a 05 65 6d 61 69 6c 12 06 66 6f 72 6d 61 74")  # email: format
            payload = bytes((3,)) + string_bytes("bad email") + bytes((len(details),)) + details + b"\0"
            connection.sock.sendall(frames.frame(frames.STATUS, 0, stream_id, payload))

        server = FakeServer(self, script)
        with self.assertRaises(RPCError) as caught:
            self.channel(server, timeout=60).call(WRITE, {})
        error = caught.exception
        self.assertEqual((error.code, error.message, error.fields), (StatusCode.INVALID_ARGUMENT, "bad email", ["email"]))
        self.assertEqual(error.details[0].reason, "format")

    def test_a_refusal_goaway_in_the_handshake_raises_its_code(self):
        path, listener = bare_listener(self, "busy.sock")

        def refuse():
            sock, _ = listener.accept()
            sock.sendall(frames.goaway(StatusCode.RESOURCE_EXHAUSTED, "too many connections"))
            sock.close()

        thread = threading.Thread(target=refuse, daemon=True)
        thread.start()
        with self.assertRaises(RPCError) as caught:
            Channel(path, schema=test_schema(), timeout=60).call(WRITE, {}, idempotency_key="k")
        self.assertEqual(caught.exception.code, StatusCode.RESOURCE_EXHAUSTED)
        self.assertIn("too many connections", caught.exception.message)


    def test_a_server_that_never_finishes_its_hello_is_given_up_at_the_connect_timeout(self):
        # A call without a deadline: only the channel's connect timeout bounds the handshake (the
        # Swift client's connectTimeout). Before it, the call waited for good.
        path, listener = bare_listener(self, "mute.sock")
        accepted: list[socket.socket] = []

        def half_hello():
            sock, _ = listener.accept()
            accepted.append(sock)
            sock.sendall(frames.frame(frames.HELLO, 0, 0, bytes(30))[:12])

        threading.Thread(target=half_hello, daemon=True).start()
        self.addCleanup(lambda: [sock.close() for sock in accepted])
        outcome: list[BaseException] = []

        def call():
            try:
                Channel(path, schema=test_schema(), connect_timeout=0.5).call(WRITE, {}, idempotency_key="k")
            except BaseException as error:  # the test reads it below
                outcome.append(error)

        caller = threading.Thread(target=call, daemon=True)
        caller.start()
        caller.join(timeout=60)
        self.assertFalse(caller.is_alive(), "the call still waits for the rest of the HELLO")
        self.assertEqual(len(outcome), 1)
        self.assertIsInstance(outcome[0], RPCError)
        self.assertEqual(outcome[0].code, StatusCode.UNAVAILABLE)
        self.assertIn("timed out", outcome[0].message)

    def test_a_call_deadline_before_the_connect_timeout_is_the_calls(self):
        path, _ = bare_listener(self, "mute.sock")
        with self.assertRaises(RPCError) as caught:
            Channel(path, schema=test_schema(), timeout=0.3, connect_timeout=60).call(WRITE, {}, idempotency_key="k")
        self.assertEqual(caught.exception.code, StatusCode.DEADLINE_EXCEEDED)


if __name__ == "__main__":
    unittest.main()
