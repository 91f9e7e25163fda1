"""The common Socket.IO packet, read and answered in one step.

Nearly every packet a client sends is an event with an ack id in a namespace:
`2/visitor,17["send_message",{…}]`. python-socketio 5.18 takes it through a packet object,
`_handle_event`, `_handle_event_internal`, `_trigger_event` and `_get_event_handler`, and
answers with another packet object. `parse_event` reads that form directly (anything else —
the default namespace, a namespace with a query, an unusual ack id — is left to python-socketio)
and `ack_frame` writes the answer the way python-socketio would. `loads` reads every JSON a
client sends on a socket."""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

import orjson

# python-socketio accepts ack ids of up to 100 digits; ours are counters.
_MAX_ID_DIGITS = 15
# JavaScript strings may hold a lone UTF-16 surrogate (half an emoji cut off), and
# JSON.stringify writes it as an escape: valid JSON that orjson refuses, as it is no Unicode.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_REPLACEMENT = "\ufffd"
# What orjson reads (and writes back): wider integers are refused in the fallback too.
_MIN_INT, _MAX_INT = -(2**63), 2**64 - 1


def loads(data: str | bytes) -> Any:
    """The JSON a client sent. The common case is one `orjson.loads`; JSON orjson refuses only
    for its lone surrogates is read by the standard library's decoder, each lone surrogate
    becoming U+FFFD, so what is stored and echoed is Unicode orjson can write. Raises
    ValueError (orjson.JSONDecodeError among them) for anything else that is not JSON."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        text = data if isinstance(data, str) else data.decode("utf-8", "surrogatepass")
        if not _SURROGATE_ESCAPE.search(text):
            raise
    return _without_surrogates(json.loads(text, parse_constant=_no_constant,
                                          parse_int=_bounded_int))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # as orjson: NaN and Infinity are not JSON


def _bounded_int(digits: str) -> int:
    value = int(digits)
    if not _MIN_INT <= value <= _MAX_INT:
        raise ValueError("integer out of range")
    return value


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub(_REPLACEMENT, value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


class Event(NamedTuple):
    namespace: str
    ack_id: int | None
    name: str
    args: list[Any]


def parse_event(data: str) -> Event | None:
    """The event in a text packet of type 2, or None when python-socketio should read it.
    Raises ValueError for a payload that is not JSON."""
    if data[:2] != "2/":
        return None  # the default namespace (ours are all named), or not an event
    comma = data.find(",", 2)
    if comma == -1:
        return None
    namespace = data[1:comma]
    if "?" in namespace:
        return None
    i = comma + 1
    start = i
    while i < len(data) and data[i].isdigit():
        i += 1
    if i - start > _MAX_ID_DIGITS:
        return None
    ack_id = int(data[start:i]) if i > start else None
    payload = loads(data[i:]) if i < len(data) else None
    if not isinstance(payload, list) or not payload or not isinstance(payload[0], str):
        return None
    return Event(namespace, ack_id, payload[0], payload[1:])


def ack_frame(namespace: str, ack_id: int, result: Any) -> str | None:
    """The ack python-socketio would send for a handler's result, or None when the result holds
    bytes (binary attachments: python-socketio's packet class encodes those)."""
    if result is None:
        data: list[Any] = []
    elif isinstance(result, tuple):
        data = list(result)
    else:
        data = [result]
    try:
        body = orjson.dumps(data).decode()
    except TypeError:
        return None
    head = "3" if namespace == "/" else f"3{namespace},"
    return f"{head}{ack_id}{body}"
