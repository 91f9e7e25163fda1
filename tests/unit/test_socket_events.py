"""sockets/events.py: the common event packet read and acked like python-socketio does."""

from __future__ import annotations

import orjson
import pytest
from socketio import packet as sio_packet

from signaling.sockets.events import Event, ack_frame, parse_event
from signaling.sockets.server import OrjsonPacket


@pytest.mark.parametrize("data", [
    '2/visitor,17["send_message",{"text":"hi, there"}]',
    '2/agent,["typing",{"typing":true}]',
    '2/bench,0["echo"]',
])
def test_events_read_as_python_socketio_reads_them(data: str) -> None:
    ours = parse_event(data)
    theirs = sio_packet.Packet(encoded_packet=data)
    assert ours == Event(theirs.namespace, theirs.id, theirs.data[0], theirs.data[1:])


@pytest.mark.parametrize("data", [
    '2["echo"]',                          # the default namespace
    '217["echo"]',
    '2/visitor?x=1,3["echo"]',            # a namespace with a query
    '2/visitor',                          # no payload at all
    '2/visitor,3{"not":"a list"}',
    '2/visitor,3[]',
    '2/visitor,3[5]',                     # the event name must be a string
    '2/visitor,' + "9" * 16 + '["echo"]',  # an ack id longer than ours ever are
    '3/visitor,3["echo"]',                # an ack, not an event
    '52-/visitor,3["echo",{"_placeholder":true,"num":0}]',
])
def test_other_packets_are_left_to_python_socketio(data: str) -> None:
    assert parse_event(data) is None


def test_a_payload_that_is_not_json_raises() -> None:
    with pytest.raises(orjson.JSONDecodeError):
        parse_event('2/visitor,3["echo",')


@pytest.mark.parametrize("result", [{"ok": True, "data": {"seq": 4}}, None, ("a", 1), "x"])
@pytest.mark.parametrize("namespace", ["/visitor", "/"])
def test_acks_are_written_as_python_socketio_writes_them(result: object, namespace: str
                                                         ) -> None:
    data = [] if result is None else list(result) if isinstance(result, tuple) else [result]
    expected = OrjsonPacket(sio_packet.ACK, namespace=namespace, id=12, data=data).encode()
    assert ack_frame(namespace, 12, result) == expected
    assert sio_packet.Packet(encoded_packet=expected).data == data


def test_an_ack_with_bytes_is_left_to_the_packet_class() -> None:
    assert ack_frame("/visitor", 1, {"chunk": b"\x00\x01"}) is None
