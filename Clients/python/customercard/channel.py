"""Calls by method name with dict messages, over a connection that reconnects when it is lost.

The request and response types of every method come from the server's reflection service
(`DescribeServices`, asked once per channel), so `call("customer.v1.CustomerService/GetCustomer",
{"id": 1})` works for any method the server has, the built-in ones included.
"""

from __future__ import annotations

import collections.abc
import itertools
import os
import threading
import time
import uuid
from typing import Callable, Iterable, Iterator

from . import codec, frames
from .connection import Connection, Stream
from .schema import MethodSchema, Schema, SchemaError, builtin_schema
from .status import CallNotStarted, ErrorDetail, RPCError, StatusCode

IDEMPOTENCY_KEY = "idempotency-key"
IDEMPOTENT_ATTEMPTS = 3  # as the Swift client: 3 sends in all, 50 then 100 ms apart (PROTOCOL.md §7.1)
RETRY_PAUSE = 0.05
UNSTARTED_ATTEMPTS = 4  # as the Swift client: a call the server never started goes to 4 connections at most
_KEY_PREFIX = str(uuid.uuid4())
_key_counter = itertools.count(1)


def default_socket_path(environ: dict[str, str] | None = None) -> str:
    """The rule customerd and the Swift client use: `CUSTOMER_SOCKET`, then
    `$XDG_RUNTIME_DIR/customercard/customerd.sock` (absolute values only), then `/tmp/customercard-UID/`."""
    environ = os.environ if environ is None else environ
    if environ.get("CUSTOMER_SOCKET"):
        return environ["CUSTOMER_SOCKET"]
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if runtime.startswith("/"):
        return runtime + "/customercard/customerd.sock"
    return f"/tmp/customercard-{os.getuid()}/customerd.sock"


def new_idempotency_key() -> str:
    """A key unique in practice: a random UUID drawn once per process, then a counter."""
    return f"{_KEY_PREFIX}-{next(_key_counter):x}"


class ServerStream:
    """The responses of a server-streaming call, as an iterator of decoded messages.

    Leaving a `with` block or calling `cancel()` before the end cancels the call on the server.
    """

    def __init__(self, stream: Stream, decode: Callable[[bytes], object], deadline: float | None,
                 error: Callable[[frames.Status], RPCError]):
        self._stream = stream
        self._decode = decode
        self._deadline = deadline
        self._error = error
        self.done = False
        self.trailers: tuple[tuple[str, str], ...] = ()

    def __iter__(self) -> Iterator:
        return self

    def __next__(self):
        while not self.done:
            event = self._stream.next_event(self._deadline)
            if event[0] == "message":
                self._stream.returned_credit(event[2])
                try:
                    return self._decode(event[1])
                except RPCError:
                    # A message that does not decode ends the call: the server's handler stops and
                    # the call's slot is free, whether or not the caller closes the stream.
                    self.cancel()
                    raise
            self.done = True
            if event[0] == "error":
                raise event[1]
            status = event[1]
            self.trailers = status.trailers
            if status.code != StatusCode.OK:
                raise self._error(status)
        raise StopIteration

    def cancel(self) -> None:
        """Ends the call at once; the server stops its handler and sends nothing more."""
        if not self.done:
            self.done = True
            self._stream.cancel()

    close = cancel

    def __del__(self) -> None:
        # A stream dropped unread would hold its call slot and the server's handler.
        try:
            self.cancel()
        except Exception:
            pass

    def __enter__(self) -> "ServerStream":
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()


class Channel:
    """A connection to customerd by socket path, opened at the first call and again after it was
    lost or the server said GOAWAY. Thread-safe: calls from many threads share one connection.

    `timeout` (seconds) is the default deadline of every call; None means none. `schema` adds
    messages and methods known without asking the reflection service (a server without it, tests).
    """

    def __init__(self, socket_path: str | None = None, *, timeout: float | None = None,
                 metadata: Iterable[tuple[str, str]] = (), name: str = "customercard-python",
                 initial_window: int = 256 * 1024, max_frame_size: int = 4 * 1024 * 1024,
                 schema: Schema | None = None, connect_timeout: float = 5.0):
        self.socket_path = socket_path or default_socket_path()
        # The default socket, unless CUSTOMER_SOCKET names it, is the user's own: a server there
        # running as another OS user (not root) is refused before anything is sent (redteam26:
        # another user may make /tmp/customercard-UID first and listen there).
        self.server_uids = None if socket_path or os.environ.get("CUSTOMER_SOCKET") else {os.getuid(), 0}
        self.timeout = timeout
        # Connecting and the handshake are bounded whatever the call's deadline (none, or later), as
        # the Swift client's connectTimeout: a server that accepts and never says HELLO, or says
        # half of it, would otherwise hold a call without a deadline for good.
        self.connect_timeout = connect_timeout
        self.metadata = list(metadata)
        self._name = name
        self._initial_window = initial_window
        self._max_frame_size = max_frame_size
        self._lock = threading.Lock()
        self._connection: Connection | None = None
        self._schema = builtin_schema()
        if schema is not None:
            self._schema.messages.update(schema.messages)
            self._schema.enums.update(schema.enums)
            self._schema.methods.update(schema.methods)
        self._reflected = False

    # -- generic calls --------------------------------------------------------------------------

    def call(self, method: str, request: dict | None = None, *, timeout: float | None = ...,
             metadata: Iterable[tuple[str, str]] = (), idempotency_key: str | None = None) -> dict:
        """A unary call: the request as a dict keyed by field name, the response likewise.

        A write that takes an idempotency key gets a new one unless `idempotency_key` is given,
        and is sent again with that key while it fails UNAVAILABLE (3 sends in all)."""
        schema = self.method(method)
        payload = self._encode(schema, schema.request, request or {})
        deadline = self._deadline(timeout)
        response = self._keyed(schema, metadata, idempotency_key, deadline,
                               lambda block: self.unary_bytes(method, payload, block, deadline))
        return self._decode(schema, schema.response, response)

    def server_stream(self, method: str, request: dict | None = None, *, timeout: float | None = ...,
                      metadata: Iterable[tuple[str, str]] = ()) -> ServerStream:
        """A server-streaming call: an iterator of response dicts."""
        schema = self.method(method)
        payload = self._encode(schema, schema.request, request or {})
        deadline = self._deadline(timeout)
        stream = self._start(method, self._metadata(metadata), payload, True, deadline)
        return ServerStream(stream, lambda data: self._decode(schema, schema.response, data), deadline,
                            self._status_error)

    def client_stream(self, method: str, requests: Iterable[dict], *, timeout: float | None = ...,
                      metadata: Iterable[tuple[str, str]] = (), idempotency_key: str | None = None) -> dict:
        """A client-streaming call: sends every request of `requests` (an iterable of dicts, read
        lazily), then returns the one response. A keyed write is sent again on UNAVAILABLE only when
        `requests` can be iterated again (a list, not an iterator or generator)."""
        schema = self.method(method)
        deadline = self._deadline(timeout)
        replayable = not isinstance(requests, collections.abc.Iterator)

        def attempt(block: bytes) -> bytes:
            items = (self._encode(schema, schema.request, item) for item in requests)
            return self.client_stream_bytes(method, items, block, deadline)

        response = self._keyed(schema, metadata, idempotency_key, deadline, attempt, retry=replayable)
        return self._decode(schema, schema.response, response)

    # -- bytes-level calls ----------------------------------------------------------------------

    def unary_bytes(self, method: str, request: bytes, metadata_block: bytes = b"\0",
                    deadline: float | None = None) -> bytes:
        """One unary call with an encoded request; the encoded response. A call the server's GOAWAY
        says it never started is sent again on a new connection (4 connections in all, §5.4)."""
        for attempt in range(1, UNSTARTED_ATTEMPTS + 1):
            stream = self._start(method, metadata_block, request, True, deadline)
            try:
                return self._outcome(stream, deadline)
            except CallNotStarted:
                if attempt == UNSTARTED_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def client_stream_bytes(self, method: str, requests: Iterable[bytes], metadata_block: bytes = b"\0",
                            deadline: float | None = None) -> bytes:
        stream = self._start(method, metadata_block, None, False, deadline)
        try:
            for request in requests:
                if not stream.send_message(request, deadline):
                    break  # the server answered early; its STATUS says how
            else:
                stream.connection.write(frames.frame(frames.MESSAGE, frames.END_STREAM, stream.id))
        except BaseException:
            stream.cancel()
            raise
        return self._outcome(stream, deadline)

    def _outcome(self, stream: Stream, deadline: float | None) -> bytes:
        """The response a call's STATUS carries, or its failure raised."""
        while True:
            event = stream.next_event(deadline)
            if event[0] == "status":
                status = event[1]
                if status.code != StatusCode.OK:
                    raise self._status_error(status)
                return status.response or b""
            if event[0] == "error":
                raise event[1]

    # -- schema ---------------------------------------------------------------------------------

    def method(self, path: str) -> MethodSchema:
        """The method's kind and messages; asks the reflection service once for every schema."""
        found = self._schema.methods.get(path)
        if found is None and not self._reflected:
            self.load_schema()
            found = self._schema.methods.get(path)
        if found is None:
            raise RPCError(StatusCode.UNIMPLEMENTED, f"the server has no method {path}")
        return found

    @property
    def schema(self) -> Schema:
        if not self._reflected:
            self.load_schema()
        return self._schema

    def load_schema(self) -> None:
        answer = self.call("rpc.reflection.v1.Reflection/DescribeServices", {})
        with self._lock:
            try:
                self._schema.merge_reflection(answer)
            except SchemaError as error:
                raise RPCError(StatusCode.INTERNAL, f"the server's schema (DescribeServices) is not one: {error}") from error
            self._reflected = True

    def close(self) -> None:
        """Closes the connection; a later call opens a new one."""
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def __enter__(self) -> "Channel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals ------------------------------------------------------------------------------

    def _deadline(self, timeout) -> float | None:
        timeout = self.timeout if timeout is ... else timeout
        return None if timeout is None else time.monotonic() + timeout

    def _metadata(self, extra: Iterable[tuple[str, str]]) -> bytes:
        try:
            return frames.metadata_block(self.metadata + list(extra))
        except ValueError as error:
            raise RPCError(StatusCode.INVALID_ARGUMENT, str(error)) from error

    def _keyed(self, schema: MethodSchema, metadata, key: str | None, deadline: float | None,
               attempt: Callable[[bytes], bytes], retry: bool = True) -> bytes:
        metadata = [(k, v) for k, v in metadata if k.lower() != IDEMPOTENCY_KEY]
        if not schema.takes_idempotency_key:
            return attempt(self._metadata(metadata + ([(IDEMPOTENCY_KEY, key)] if key else [])))
        block = self._metadata(metadata + [(IDEMPOTENCY_KEY, key or new_idempotency_key())])
        for number in range(1, IDEMPOTENT_ATTEMPTS + 1):
            try:
                return attempt(block)
            except RPCError as error:
                pause = RETRY_PAUSE * number
                if (error.code != StatusCode.UNAVAILABLE or number == IDEMPOTENT_ATTEMPTS or not retry
                        or (deadline is not None and deadline - time.monotonic() - pause <= 0)):
                    raise
                time.sleep(pause)
        raise AssertionError("unreachable")

    def _start(self, method: str, metadata_block: bytes, request: bytes | None, end_stream: bool,
               deadline: float | None) -> Stream:
        # A connection that said GOAWAY between our check and our CALL_START refuses before
        # anything is sent: the call then goes to a new connection, whatever the method.
        for _ in range(2):
            connection = self._connect(deadline)
            try:
                return connection.start(method, metadata_block, request, end_stream, deadline)
            except RPCError as error:
                if error is not connection.refusal:
                    raise
        return self._connect(deadline).start(method, metadata_block, request, end_stream, deadline)

    def _connect(self, deadline: float | None) -> Connection:
        with self._lock:
            if self._connection is not None and self._connection.usable:
                return self._connection
            old, self._connection = self._connection, None
        if old is not None and not old.streams:
            # With calls in flight it stays: after a GOAWAY OK they run to completion, and the
            # server closes it after the last one.
            old.close()
        connection = Connection(self.socket_path, name=self._name, initial_window=self._initial_window,
                                max_frame_size=self._max_frame_size, deadline=deadline,
                                connect_deadline=time.monotonic() + self.connect_timeout,
                                server_uids=self.server_uids)
        with self._lock:
            if self._connection is None or not self._connection.usable:
                self._connection = connection
                return connection
            winner = self._connection
        connection.close()
        return winner

    def _encode(self, method: MethodSchema, message: str, value: dict) -> bytes:
        try:
            return codec.encode(self._schema, message, value)
        except codec.CodecError as error:
            raise RPCError(StatusCode.INVALID_ARGUMENT, f"cannot encode the request of {method.path}: {error}",
                           (ErrorDetail(error.path, "invalid"),)) from error

    def _decode(self, method: MethodSchema, message: str, data: bytes) -> dict:
        try:
            return codec.decode(self._schema, message, data)
        except codec.CodecError as error:
            raise RPCError(StatusCode.INTERNAL, f"cannot decode the response of {method.path}: {error}") from error

    def _status_error(self, status: frames.Status) -> RPCError:
        details: tuple[ErrorDetail, ...] = ()
        if status.details:
            try:
                decoded = codec.decode(self._schema, "StatusDetails", status.details)
                details = tuple(ErrorDetail(d["field"], d["reason"]) for d in decoded["details"])
            except codec.CodecError:
                pass  # the code and message still say what happened
        return RPCError(StatusCode.of(status.code), status.message, details, status.trailers)
