"""Dataclasses of `messages` to the codec's dicts and back, by field name."""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import lru_cache

from .status import RPCError, StatusCode


@lru_cache(maxsize=None)
def wire_name(attribute: str) -> str:
    """`customer_id` -> `customerId`: the wire's field names are the Swift coding keys."""
    head, *rest = attribute.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_wire(value):
    """A dataclass as a dict keyed by wire name, leaving out None; lists and dicts element-wise."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {wire_name(f.name): to_wire(getattr(value, f.name))
                for f in dataclasses.fields(value) if getattr(value, f.name) is not None}
    if isinstance(value, (list, tuple)):
        return [to_wire(item) for item in value]
    if isinstance(value, dict):
        return {key: to_wire(item) for key, item in value.items()}
    return value


def from_wire(cls: type, data: dict):
    """The dataclass `cls` from a decoded dict; fields the class does not know are skipped. An
    answer that does not fit the class (the server's schema says another shape: a required field
    optional, a message a string) raises RPCError INTERNAL, as an answer that does not decode does."""
    if not isinstance(data, dict):
        raise _misfit(cls.__name__, f"a {type(data).__name__} where a message belongs")
    values = {}
    for attribute, name, convert in _plan(cls):
        if name in data:
            value = data[name]
            values[attribute] = value if convert is None or value is None else convert(value)
    try:
        return cls(**values)
    except TypeError as error:  # a required field the answer lacks
        raise _misfit(cls.__name__, str(error)) from error


def member(answer: dict, name: str, kind: type, message: str):
    """`answer[name]`, which the typed client reads directly, checked to be there as a `kind`."""
    value = answer.get(name) if isinstance(answer, dict) else None
    if not isinstance(value, kind):
        raise _misfit(message, f"no {kind.__name__} in its field {name!r}")
    return value


def _misfit(message: str, problem: str) -> RPCError:
    return RPCError(StatusCode.INTERNAL, f"the server's answer does not have the shape of {message}: {problem}")


@lru_cache(maxsize=None)
def _plan(cls: type) -> tuple[tuple[str, str, object], ...]:
    """Per field: the attribute, the wire name and how to convert the value (None: as it is)."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, wire_name(f.name), _converter(hints[f.name])) for f in dataclasses.fields(cls))


def _listed(values):
    if not isinstance(values, list):
        raise _misfit("a list", f"a {type(values).__name__}")
    return values


def _converter(hint):
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _converter(inner[0]) if len(inner) == 1 else None
    if origin is list:
        element = _converter(typing.get_args(hint)[0])
        return None if element is None else (lambda values: [element(value) for value in _listed(values)])
    if dataclasses.is_dataclass(hint):
        return lambda value: from_wire(hint, value)
    return None
