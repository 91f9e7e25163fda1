"""ICE for the peers we create: host candidate addresses and ports, and STUN/TURN servers.

aioice gathers host candidates on every non-loopback interface, on ephemeral ports
(aioice 0.13.0 ice.py:91-101 and :1137-1170). Inside `gathering(options)`, our replacement of
`Connection.get_component_candidates` binds the configured addresses (loopback in tests) within
a port range and can announce another address (1:1 NAT). It is scoped by a ContextVar: the
tasks aiortc creates to gather (rtcpeerconnection.py:955) inherit our context, and every other
Connection in the process keeps aioice's behaviour. aiortc never trickles its own candidates.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import logging
import random
import socket
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import aioice
import aioice.ice
import aioice.turn
from aioice.candidate import Candidate, candidate_foundation, candidate_priority
from aiortc import RTCBundlePolicy, RTCConfiguration, RTCIceServer

from media.settings import MediaSettings

logger = logging.getLogger(__name__)

AIOICE_VERSION = "0.13.0"
GATHER_TIMEOUT_S = 5  # as aioice's default for STUN/TURN candidates


@dataclass(frozen=True, slots=True)
class IceOptions:
    host_addresses: tuple[str, ...] = ()  # () keeps aioice's interface discovery
    announced_address: str | None = None
    port_min: int = 0
    port_max: int = 0

    def __post_init__(self) -> None:
        for address in (*self.host_addresses, *filter(None, [self.announced_address])):
            ipaddress.ip_address(address)  # ValueError on a bad setting, at start-up
        if (self.port_min, self.port_max) != (0, 0) and not (
            1024 <= self.port_min <= self.port_max <= 65535
        ):
            raise ValueError("ICE port range must satisfy 1024 <= min <= max <= 65535")

    @classmethod
    def from_settings(cls, settings: MediaSettings) -> IceOptions:
        return cls(
            host_addresses=settings.ice_host_addresses,
            announced_address=settings.ice_announced_address,
            port_min=settings.ice_port_min,
            port_max=settings.ice_port_max,
        )


def rtc_configuration(settings: MediaSettings) -> RTCConfiguration:
    """The server's RTCConfiguration; an explicit (maybe empty) server list, because aiortc's
    default queries Google's STUN server (rtcicetransport.py:229)."""
    servers: list[RTCIceServer] = []
    if settings.stun_url:
        servers.append(RTCIceServer(urls=settings.stun_url))
    if settings.turn_url:
        servers.append(
            RTCIceServer(
                urls=settings.turn_url,
                username=settings.turn_username,
                credential=settings.turn_password,
            )
        )
    # max-bundle: one ICE transport per peer from the start, none gathered then thrown away.
    return RTCConfiguration(iceServers=servers, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)


_options: ContextVar[IceOptions | None] = ContextVar("aisle_ice_options", default=None)
_original: Callable[..., Coroutine[Any, Any, list[Candidate]]] | None = None


@contextlib.contextmanager
def gathering(options: IceOptions) -> Iterator[None]:
    """Candidates gathered by tasks started inside this block follow `options`."""
    install()
    token = _options.set(options)
    try:
        yield
    finally:
        _options.reset(token)


def install() -> None:
    global _original
    if _original is not None:
        return
    if aioice.__version__ != AIOICE_VERSION:
        raise RuntimeError(f"media.ice hooks aioice {AIOICE_VERSION}, found {aioice.__version__}")
    _original = aioice.ice.Connection.get_component_candidates
    setattr(aioice.ice.Connection, "get_component_candidates", _component_candidates)  # noqa: B010


async def _component_candidates(
    self: aioice.ice.Connection, component: int, addresses: list[str], timeout: int = 5
) -> list[Candidate]:
    if _original is None:  # unreachable: only installed by install()
        raise RuntimeError("ICE hook called before install()")
    options = _options.get()
    if options is None:
        return await _original(self, component, addresses, timeout)

    candidates: list[Candidate] = []
    host_protocols: list[aioice.ice.StunProtocol] = []
    for address in options.host_addresses or tuple(addresses):
        protocol = await _bind(self, address, options)
        if protocol is None:
            continue
        bound_host, port = protocol.transport.get_extra_info("sockname")[:2]
        host = options.announced_address or bound_host
        protocol.local_candidate = Candidate(
            foundation=candidate_foundation("host", "udp", host),
            component=component,
            transport="udp",
            priority=candidate_priority(component, "host"),
            host=host,
            port=port,
            type="host",
        )
        candidates.append(protocol.local_candidate)
        host_protocols.append(protocol)
    self._protocols += host_protocols

    tasks: list[asyncio.Task[list[Candidate]]] = []
    if self.stun_server is not None:
        for protocol in host_protocols:
            if ipaddress.ip_address(protocol.local_candidate.host).version == 4:
                tasks.append(asyncio.create_task(_reflexive(protocol, self.stun_server)))
    if self.turn_server is not None:
        # aioice itself, without host addresses, only allocates the relayed candidate.
        tasks.append(asyncio.create_task(_original(self, component, [], timeout)))
    if tasks:
        done, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        for task in done:
            if task.exception() is None:
                candidates += task.result()
    return candidates


async def _reflexive(
    protocol: aioice.ice.StunProtocol, stun_server: tuple[str, int]
) -> list[Candidate]:
    candidate, _ = await aioice.ice.server_reflexive_candidate(protocol, stun_server)
    return [candidate]


async def _bind(
    connection: aioice.ice.Connection, address: str, options: IceOptions
) -> aioice.ice.StunProtocol | None:
    loop = asyncio.get_running_loop()
    if options.port_min:
        count = options.port_max - options.port_min + 1
        first = random.randrange(count)
        ports = [options.port_min + (first + i) % count for i in range(count)]
    else:
        ports = [0]
    for port in ports:
        try:
            transport, protocol = await loop.create_datagram_endpoint(
                lambda: aioice.ice.StunProtocol(connection), local_addr=(address, port)
            )
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE and port:
                continue
            logger.warning("ICE: cannot bind %s:%d: %s", address, port, exc)
            return None
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # as aioice does (ice.py:1152): bursts of video packets overflow the default buffer
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, aioice.turn.UDP_SOCKET_BUFFER_SIZE)
        return protocol
    logger.warning("ICE: no free UDP port in %d-%d", options.port_min, options.port_max)
    return None
