"""The common Socket.IO packet, read and answered in one step.

Nearly every packet a client sends is an event with an ack id in a namespace:
`2/visitor,17["send_message",{…}]`. python-socketio 5.18 takes it through a packet object,
`_handle_event`, `_handle_event_internal`, `_trigger_event` and `_get_event_handler`, and
answers with another packet object. `parse_event` reads that form directly (anything else —
the default namespace, a namespace with a query, an unusual ack id — is left to python-socketio)
and `ack_frame` writes the answer the way python-socketio would."""

from __future__ import annotations

from typing import Any, NamedTuple

import orjson

# python-socketio accepts ack ids of up to 100 digits; ours are counters.
_MAX_ID_DIGITS = 15


class Event(NamedTuple):
    namespace: str
    ack_id: int | None
    name: str
    args: list[Any]


def parse_event(data: str) -> Event | None:
    """The event in a text packet of type 2, or None when python-socketio should read it.
    Raises orjson.JSONDecodeError (a ValueError) for a payload that is not JSON."""
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
    payload = orjson.loads(data[i:]) if i < len(data) else None
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
