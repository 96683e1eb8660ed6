"""Status codes (PROTOCOL.md §6) and the one exception every failed call raises."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .terminal_text import escaped


class StatusCode(enum.IntEnum):
    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def of(cls, number: int) -> "StatusCode":
        """A code this version does not know reads as UNKNOWN (PROTOCOL.md §5.3)."""
        try:
            return cls(number)
        except ValueError:
            return cls.UNKNOWN


@dataclass(frozen=True)
class ErrorDetail:
    """The request field concerned (e.g. `name`, `query.changedSince`) and why, as text for a person."""
    field: str
    reason: str


class RPCError(Exception):
    """A call that did not succeed: its status code, the server's message, the field details and
    the trailing metadata (`str(error)` escapes the terminal controls a server's text may hold;
    `message` keeps it as sent). Local failures (a lost connection, an expired deadline) use the same
    codes as the server would (UNAVAILABLE, DEADLINE_EXCEEDED) and keep their cause in
    `__cause__`."""

    def __init__(self, code: StatusCode, message: str, details: tuple[ErrorDetail, ...] = (),
                 trailers: tuple[tuple[str, str], ...] = ()):
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.details = tuple(details)
        self.trailers = tuple(trailers)

    @property
    def fields(self) -> list[str]:
        """The request fields the details name."""
        return [detail.field for detail in self.details]

    def __str__(self) -> str:
        # What a traceback shows a person: the server's text with its terminal controls escaped;
        # `message` keeps it as sent, for a program.
        return f"{self.code.name}: {escaped(self.message)}"

    def __repr__(self) -> str:
        return f"RPCError({self.code.name}, {self.message!r}, details={list(self.details)!r})"


class CallNotStarted(RPCError):
    """UNAVAILABLE for a call the server's GOAWAY says it never started (its last started stream id
    is lower, PROTOCOL.md §5.4): the call did nothing, so sending it again cannot do it twice.
    `Channel` sends unary calls again by itself (4 connections in all)."""

    def __init__(self, message: str):
        super().__init__(StatusCode.UNAVAILABLE, message)
