"""One connection to the server: handshake, multiplexed calls, flow control, GOAWAY (PROTOCOL.md).

A reader thread per connection reads every frame and hands each call's frames to the thread that
waits for them; calling threads write their own frames. Calls from many threads share the
connection. When the server ends it (GOAWAY, closed socket), calls in flight fail UNAVAILABLE and
the connection stops taking calls: `Channel` then opens a new one.
"""

from __future__ import annotations

import queue
import socket
import struct
import threading
import time

from . import frames
from .frames import (CANCEL, END_STREAM, GOAWAY, HAS_MESSAGE, HEADER, HEADER_SIZE, HELLO, MESSAGE, PING, PONG,
                     STATUS, WINDOW_UPDATE, ServerHello)
from .status import CallNotStarted, RPCError, StatusCode
from .wire import WireError

RECEIVE_CHUNK = 256 * 1024


class ProtocolViolation(Exception):
    """A frame the server should not have sent; the connection ends (PROTOCOL.md §10)."""


class Stream:
    """One call's state on its connection: what arrived for it and its send credit."""

    __slots__ = ("id", "connection", "events", "credit", "consumed", "ended")

    def __init__(self, stream_id: int, connection: "Connection"):
        self.id = stream_id
        self.connection = connection
        self.events: queue.SimpleQueue = queue.SimpleQueue()  # ("message", bytes, size) | ("status", Status) | ("error", RPCError)
        self.credit = connection.hello.initial_window  # bytes we may still send (§8)
        self.consumed = 0  # bytes received and not yet returned with WINDOW_UPDATE
        self.ended = False

    def next_event(self, deadline: float | None):
        """The next frame's event; at the deadline the call is cancelled and DEADLINE_EXCEEDED raised."""
        if deadline is None:
            return self.events.get()
        left = deadline - time.monotonic()
        if left > 0:
            try:
                return self.events.get(timeout=left)
            except queue.Empty:
                pass
        # Past the deadline the call is over for the client: an outcome that already arrived
        # still counts, messages no longer do.
        while not self.events.empty():
            event = self.events.get()
            if event[0] != "message":
                return event
        self.cancel()
        raise RPCError(StatusCode.DEADLINE_EXCEEDED, "the deadline passed before the call completed")

    def cancel(self, reason: str = "the call was cancelled by the client") -> None:
        """Sends CANCEL (the server sends no STATUS for it) and wakes whoever waits on the call."""
        if self.connection.end_stream(self):
            self.connection.write_quietly(frames.frame(CANCEL, 0, self.id))
            self.events.put(("error", RPCError(StatusCode.CANCELLED, reason)))

    def returned_credit(self, size: int) -> None:
        """Returns the credit of consumed messages once it reaches half the window (§8)."""
        self.consumed += size
        if self.consumed >= self.connection.receive_window // 2 and not self.ended:
            increment, self.consumed = self.consumed, 0
            self.connection.write_quietly(frames.frame(WINDOW_UPDATE, 0, self.id, increment.to_bytes(4, "big")))

    def send_message(self, message: bytes, deadline: float | None) -> bool:
        """Sends one MESSAGE once the credit allows; False when the call already ended (its STATUS came)."""
        size = HEADER_SIZE + len(message)
        connection = self.connection
        if len(message) > connection.hello.max_frame_size:
            raise RPCError(StatusCode.RESOURCE_EXHAUSTED, f"a message of {len(message)} bytes exceeds the "
                           f"server's max frame size of {connection.hello.max_frame_size}")
        with connection.credit_changed:
            while self.credit <= 0 and not self.ended:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                connection.credit_changed.wait(left)
            ended, starved = self.ended, self.credit <= 0
            if not ended and not starved:
                self.credit -= size
        if ended:
            return False
        if starved:
            self.cancel()  # outside the lock: ending the stream takes it
            raise RPCError(StatusCode.DEADLINE_EXCEEDED, "the deadline passed while waiting for flow-control credit")
        connection.write(frames.frame(MESSAGE, HAS_MESSAGE, self.id, message))
        return True


class Connection:
    def __init__(self, path: str, *, name: str, initial_window: int, max_frame_size: int,
                 deadline: float | None, connect_deadline: float | None = None,
                 server_uids: set[int] | None = None):
        self.path = path
        self.receive_window = initial_window
        self.max_frame_size = max_frame_size
        self.streams: dict[int, Stream] = {}
        self.lock = threading.Lock()  # streams, next id, state
        self.write_lock = threading.Lock()  # one frame at a time; ids in the order frames are written
        self.credit_changed = threading.Condition(self.lock)
        self.next_stream_id = 1
        self.refusal: RPCError | None = None  # set once the connection takes no new calls
        self.buffer = bytearray()
        # The call's deadline, or the channel's connect timeout when that comes first: reached, the
        # first raises DEADLINE_EXCEEDED, the second UNAVAILABLE (the server did not answer in time).
        bounds = [bound for bound in (deadline, connect_deadline) if bound is not None]
        limit = min(bounds) if bounds else None
        call_ends_first = deadline is not None and deadline == limit
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            if limit is not None:
                self.sock.settimeout(max(0.001, limit - time.monotonic()))
            self.sock.connect(path)
        except socket.timeout as error:
            self.sock.close()
            code = StatusCode.DEADLINE_EXCEEDED if call_ends_first else StatusCode.UNAVAILABLE
            raise RPCError(code, f"connecting to {path} timed out") from error
        except OSError as error:
            self.sock.close()
            raise RPCError(StatusCode.UNAVAILABLE, f"cannot connect to {path}: {error.strerror or error}") from error
        try:
            if server_uids is not None:
                self._check_server_user(server_uids)
            self.hello = self._handshake(name, call_ends_first)
        except BaseException:
            self.sock.close()
            raise
        self.sock.settimeout(None)
        self.slots = threading.BoundedSemaphore(max(1, self.hello.max_concurrent_calls))
        self.reader = threading.Thread(target=self._read_loop, name=f"customercard reader {path}", daemon=True)
        self.reader.start()

    def _check_server_user(self, allowed: set[int]) -> None:
        """The kernel says which OS user listens (SO_PEERCRED: pid, uid, gid of the process that
        called listen(2)); a server of a user not in `allowed` is refused before the HELLO."""
        pid, uid, _ = struct.unpack("3i", self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                               struct.calcsize("3i")))
        uid &= 0xFFFFFFFF
        if uid not in allowed:
            expected = " or ".join("root" if u == 0 else f"uid {u}" for u in sorted(allowed))
            raise RPCError(StatusCode.UNAVAILABLE,
                           f"refusing the server at {self.path}: it runs as uid {uid} (pid {pid}), not as "
                           f"{expected}, so another user may have put its socket there to receive your calls. "
                           "Name the socket (socket_path, CUSTOMER_SOCKET) if you mean to talk to that server")

    # -- handshake --------------------------------------------------------------------------

    def _handshake(self, name: str, call_ends_first: bool) -> ServerHello:
        hello = frames.MAGIC + frames.client_hello(self.receive_window, self.max_frame_size, name)
        try:
            self.sock.sendall(hello)
        except OSError:
            pass  # the server may refuse before reading (its connection limit): its GOAWAY says why (§3)
        try:
            frame_type, _, _, payload = self._read_frame()
        except socket.timeout as error:
            code = StatusCode.DEADLINE_EXCEEDED if call_ends_first else StatusCode.UNAVAILABLE
            raise RPCError(code, f"handshake with {self.path} timed out") from error
        except (OSError, ProtocolViolation, EOFError) as error:
            raise RPCError(StatusCode.UNAVAILABLE, f"handshake with {self.path} failed: {error}") from error
        try:
            if frame_type == GOAWAY:
                code, message, _ = frames.parse_goaway(payload)
                code = StatusCode.of(code)
                raise RPCError(StatusCode.UNAVAILABLE if code == StatusCode.OK else code,
                               f"{self.path} refused the connection: {message}")
            if frame_type != HELLO:
                raise RPCError(StatusCode.UNAVAILABLE, f"handshake with {self.path} failed: "
                               f"{frames.TYPE_NAMES.get(frame_type, frame_type)} frame instead of HELLO")
            hello = frames.parse_server_hello(payload)
        except WireError as error:
            raise RPCError(StatusCode.UNAVAILABLE, f"malformed HELLO from {self.path}: {error}") from error
        if hello.version != frames.PROTOCOL_VERSION:
            raise RPCError(StatusCode.UNIMPLEMENTED, f"{self.path} chose protocol version {hello.version}; "
                           f"this client speaks {frames.PROTOCOL_VERSION}")
        return hello

    # -- reading ----------------------------------------------------------------------------

    def _read_frame(self) -> tuple[int, int, int, bytes]:
        """One frame; the length is checked against our limit before any payload is buffered."""
        self._fill(HEADER_SIZE)
        length, frame_type, flags, stream_id = HEADER.unpack_from(self.buffer)
        if length > self.max_frame_size:
            raise ProtocolViolation(f"frame of {length} bytes exceeds the max frame size of {self.max_frame_size}")
        self._fill(HEADER_SIZE + length)
        payload = bytes(self.buffer[HEADER_SIZE:HEADER_SIZE + length])
        del self.buffer[:HEADER_SIZE + length]
        return frame_type, flags, stream_id, payload

    def _fill(self, count: int) -> None:
        while len(self.buffer) < count:
            chunk = self.sock.recv(max(RECEIVE_CHUNK, count - len(self.buffer)))
            if not chunk:
                raise EOFError("the server closed the connection")
            self.buffer += chunk

    def _read_loop(self) -> None:
        ending: RPCError
        try:
            while True:
                frame_type, flags, stream_id, payload = self._read_frame()
                self._dispatch(frame_type, flags, stream_id, payload)
        except ProtocolViolation as violation:
            self.write_quietly(frames.goaway(StatusCode.INTERNAL, f"protocol violation: {violation}"))
            ending = RPCError(StatusCode.UNAVAILABLE, f"protocol violation by the server at {self.path}: {violation}")
        except (EOFError, OSError) as error:
            with self.lock:
                refusal = self.refusal
            reason = f" ({refusal.message})" if refusal is not None else ""
            detail = "closed" if isinstance(error, EOFError) else f"failed: {error}"
            ending = RPCError(StatusCode.UNAVAILABLE, f"the connection to {self.path} {detail}{reason}")
        self._fail_all(ending)

    def _dispatch(self, frame_type: int, flags: int, stream_id: int, payload: bytes) -> None:
        allowed = frames.SERVER_FLAGS.get(frame_type)
        if allowed is None:
            raise ProtocolViolation(f"{frames.TYPE_NAMES.get(frame_type, f'unknown frame type {frame_type}')} "
                                    "sent by the server")
        if flags & ~allowed:
            raise ProtocolViolation(f"flags {flags:02x} on a {frames.TYPE_NAMES[frame_type]} frame")
        try:
            if frame_type == MESSAGE:
                stream = self.streams.get(stream_id)
                if stream is not None and flags & HAS_MESSAGE:
                    stream.events.put(("message", payload, HEADER_SIZE + len(payload)))
            elif frame_type == STATUS:
                status = frames.parse_status(payload, flags)
                stream = self.streams.get(stream_id)
                if stream is not None and self.end_stream(stream):
                    stream.events.put(("status", status))
            elif frame_type == WINDOW_UPDATE:
                if len(payload) != 4 or payload == b"\0\0\0\0":
                    raise ProtocolViolation("WINDOW_UPDATE whose payload is not a u32 above 0")
                with self.credit_changed:
                    stream = self.streams.get(stream_id)
                    if stream is not None:
                        stream.credit += int.from_bytes(payload, "big")
                        self.credit_changed.notify_all()
            elif frame_type == PING:
                if len(payload) != 8 or stream_id != 0:
                    raise ProtocolViolation("PING whose payload is not 8 bytes or off stream 0")
                self.write_quietly(frames.frame(PONG, 0, 0, payload))
            elif frame_type == GOAWAY:
                code, message, last_started = frames.parse_goaway(payload)
                self._refuse(RPCError(StatusCode.UNAVAILABLE, f"the server at {self.path} is going away: {message}"))
                if code == StatusCode.OK and last_started is not None:
                    self._fail_unstarted(last_started, message)
            elif frame_type == HELLO:
                raise ProtocolViolation("HELLO after the handshake")
        except WireError as error:
            raise ProtocolViolation(f"malformed {frames.TYPE_NAMES[frame_type]}: {error}") from error

    def _refuse(self, error: RPCError) -> None:
        with self.lock:
            if self.refusal is None:
                self.refusal = error

    def _fail_unstarted(self, last_started: int, reason: str) -> None:
        """Ends the calls the GOAWAY says the server never started (ids above `last_started`)."""
        with self.credit_changed:
            unstarted = [stream for stream in self.streams.values() if stream.id > last_started]
        for stream in unstarted:
            if self.end_stream(stream):
                stream.events.put(("error", CallNotStarted(f"the server at {self.path} did not start the call: {reason}")))

    def _fail_all(self, error: RPCError) -> None:
        self._refuse(error)
        with self.credit_changed:
            streams = list(self.streams.values())
            self.credit_changed.notify_all()
        for stream in streams:
            if self.end_stream(stream):
                stream.events.put(("error", error))
        try:
            self.sock.close()
        except OSError:
            pass

    # -- calls ------------------------------------------------------------------------------

    @property
    def usable(self) -> bool:
        return self.refusal is None

    def start(self, method: str, metadata: bytes, request: bytes | None, end_stream: bool,
              deadline: float | None) -> Stream:
        """Registers a call and writes its CALL_START; waits for a free slot under the server's
        concurrent-call limit first, counting the wait against the deadline."""
        if deadline is None:
            self.slots.acquire()
        elif not self.slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise RPCError(StatusCode.DEADLINE_EXCEEDED, "the deadline passed while waiting for a call slot")
        timeout_us = 0
        if deadline is not None:
            # A timeout of 0 means none on the wire: an expired deadline is sent as 1 µs.
            timeout_us = max(1, int((deadline - time.monotonic()) * 1_000_000))
        with self.write_lock:
            with self.lock:
                if self.refusal is not None:
                    self.slots.release()
                    raise self.refusal
                stream = Stream(self.next_stream_id, self)
                self.next_stream_id += 1
                self.streams[stream.id] = stream
            data = frames.call_start(stream.id, timeout_us, method, metadata, request, end_stream)
            if len(data) - HEADER_SIZE > self.hello.max_frame_size:
                self.end_stream(stream)
                raise RPCError(StatusCode.RESOURCE_EXHAUSTED, f"the request of {len(data) - HEADER_SIZE} bytes "
                               f"exceeds the server's max frame size of {self.hello.max_frame_size}")
            self._write_locked(data)
        return stream

    def end_stream(self, stream: Stream) -> bool:
        """Forgets the call and frees its slot; True the first time only."""
        with self.credit_changed:
            if stream.ended:
                return False
            stream.ended = True
            self.streams.pop(stream.id, None)
            self.credit_changed.notify_all()
        self.slots.release()
        return True

    def write(self, data: bytes) -> None:
        with self.write_lock:
            self._write_locked(data)

    def _write_locked(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError as error:
            # What the server sent before it went (a STATUS, a GOAWAY) is still read by the reader
            # thread, which then fails what is left UNAVAILABLE (PROTOCOL.md §3).
            self._refuse(RPCError(StatusCode.UNAVAILABLE, f"the connection to {self.path} failed: {error}"))
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def write_quietly(self, data: bytes) -> None:
        """Writes a frame whose loss does not matter (CANCEL, WINDOW_UPDATE, PONG)."""
        try:
            self.write(data)
        except OSError:
            pass

    def close(self) -> None:
        """Says GOAWAY and closes; calls in flight fail UNAVAILABLE."""
        self._refuse(RPCError(StatusCode.UNAVAILABLE, f"the connection to {self.path} is closed"))
        self.write_quietly(frames.goaway(StatusCode.OK, "client closing"))
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
