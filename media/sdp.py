"""Client offers and candidates: validated strictly before aiortc sees them, then reduced to
VP8 + Opus.

aiortc's own parser (aiortc/sdp.py) validates with `assert` (gone under `python -O`) and fails
with half a dozen exception types; an offer that passes here parses there. Only what our
forwarding supports passes: BUNDLE over one transport, rtcp-mux, no simulcast, no data
channels, no stopped (port 0) m-sections.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from aiortc import RTCIceCandidate
from aiortc.sdp import SessionDescription, candidate_from_sdp

from media.control import Kind
from media.errors import (
    InvalidCandidate,
    InvalidSdp,
    SdpTooLarge,
    UnreachableCandidate,
    UnsupportedCodec,
)

MAX_FORMATS_PER_SECTION = 64
MAX_LINE_CHARS = 2048

DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")
PROFILES = ("UDP/TLS/RTP/SAVPF", "RTP/SAVPF")
# What we forward: one codec per kind, so that every leg of a call negotiates the same one.
KEPT_CODECS: dict[str, tuple[str, int, int | None]] = {
    "audio": ("opus", 48_000, 2),
    "video": ("vp8", 90_000, None),
}

_M_LINE = re.compile(r"^m=(\S+) (\d+)(?:/\d+)? (\S+) ([0-9 ]+)$")
_MID = re.compile(r"^[A-Za-z0-9_.{}-]{1,64}$")
_ICE_UFRAG = re.compile(r"^[A-Za-z0-9+/]{4,256}$")
_ICE_PWD = re.compile(r"^[A-Za-z0-9+/]{22,256}$")
_RTPMAP = re.compile(r"^(\d{1,3}) ([A-Za-z0-9_.-]{1,32})/(\d{1,6})(?:/(\d{1,2}))?$")
_FMTP = re.compile(r"^(\d{1,3}) (\S.*)$")
_RTCP_FB = re.compile(r"^(\d{1,3}|\*) (\S+)(?: (\S.*))?$")
_SSRC = re.compile(r"^(\d{1,10}) ([A-Za-z0-9_-]+):(.*)$")
_SSRC_GROUP = re.compile(r"^([A-Za-z0-9_-]+)((?: \d{1,10})+)$")
_EXTMAP = re.compile(r"^(\d{1,3})(?:/\w+)? (\S+)(?: .*)?$")
_FINGERPRINT = re.compile(
    r"^(sha-1|sha-224|sha-256|sha-384|sha-512) ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)$"
)
_CONNECTION = re.compile(r"^IN IP[46] \S+$")
_RTCP = re.compile(r"^\d{1,5}(?: IN IP[46] \S+)?$")
_CANDIDATE = re.compile(
    r"^(?:a=)?(?:candidate:)?([A-Za-z0-9+/]{1,32}) (\d{1,3}) ([A-Za-z]{3}) (\d{1,10}) (\S+) "
    r"(\d{1,5}) typ (host|srflx|prflx|relay)((?: \S+ \S+)*)$"
)
_MDNS_HOST = re.compile(r"^[A-Za-z0-9-]{1,63}\.local$")
_SETUP = ("actpass", "active", "passive")
_FORBIDDEN_PAYLOAD_TYPES = range(72, 77)  # RTCP packet types (RFC 5761)


@dataclass(frozen=True, slots=True)
class MediaSection:
    index: int
    mid: str
    kind: Kind
    direction: str  # as the client states it
    ssrc: int | None  # primary media SSRC (not RTX), for PLIs
    candidates: int

    @property
    def client_sends(self) -> bool:
        return self.direction in ("sendrecv", "sendonly")

    @property
    def receive_slot(self) -> bool:
        """A recvonly m-section: the server may send a remote track on it."""
        return self.direction == "recvonly"


@dataclass(frozen=True, slots=True)
class ParsedOffer:
    sdp: str  # reduced to VP8 + Opus, what aiortc gets
    sections: list[MediaSection]
    ice_ufrag: str
    ice_pwd: str
    fingerprints: tuple[str, ...]
    candidates: int


def _attr(line: str) -> tuple[str, str | None]:
    name, sep, value = line[2:].partition(":")
    return name, (value if sep else None)


# RFC 8866 §5: the order of a session's lines and of a media section's, as every browser writes
# them. What aiortc's parser does with other shapes is not ours to find out mid-call: an
# m-section without its direction, c= line, a=setup or fingerprint passed our checks and then
# failed inside aiortc ("None is not in list"), with the peer half set up. A direction for the
# whole session is allowed (Firefox writes `a=sendrecv` there too); each m-section's own counts.
_SESSION_ORDER = "vosiuepcbtrzka"
_SECTION_ORDER = "micbka"


def _check_shape(session: list[str], groups: list[list[str]]) -> None:
    if [line[0] for line in session[:3]] != ["v", "o", "s"]:
        raise InvalidSdp("an SDP must begin with its v=, o= and s= lines")
    if sum(line[0] == "t" for line in session) != 1:
        raise InvalidSdp("an SDP must have one t= line")
    for lines, order, where in ((session, _SESSION_ORDER, "session"),
                                *((group, _SECTION_ORDER, "media section") for group in groups)):
        rank = -1
        for line in lines:
            kind = order.find(line[0])
            if kind < 0:
                raise InvalidSdp(f"{line[:2]} line not allowed in a {where}")
            if kind < rank or (kind == rank and line[0] in "vosmt"):
                raise InvalidSdp(f"{line[:2]} line out of order in a {where} (RFC 8866 §5)")
            rank = kind
    session_connection = any(line.startswith("c=") for line in session)
    session_dtls = {_attr(line)[0] for line in session if line.startswith("a=")}
    for group in groups:
        if not session_connection and not any(line.startswith("c=") for line in group):
            raise InvalidSdp("an m-section needs a c= line (none for the whole session)")
        names = {_attr(line)[0] for line in group if line.startswith("a=")}
        for needed in ("setup", "fingerprint"):
            if needed not in names and needed not in session_dtls:
                raise InvalidSdp(f"an m-section needs a={needed} (none for the whole session)")
        if sum(line.startswith("a=") and _attr(line)[0] in DIRECTIONS for line in group) != 1:
            raise InvalidSdp("an m-section must have one direction (a=sendrecv, a=sendonly, "
                             "a=recvonly or a=inactive)")


def parse_offer(text: str, max_bytes: int, max_sections: int, *,
                allow_loopback: bool = False) -> ParsedOffer:
    if not isinstance(text, str):
        raise InvalidSdp("SDP must be a string")
    if len(text) > max_bytes or len(text.encode("utf-8", "replace")) > max_bytes:
        raise SdpTooLarge(f"SDP over {max_bytes} bytes")
    if any(ord(c) < 32 and c not in "\r\n\t" for c in text) or not text.isascii():
        raise InvalidSdp("SDP contains control or non-ASCII characters")
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line]
    if not lines or lines[0] != "v=0":
        raise InvalidSdp("SDP must start with v=0")
    if any(len(line) > MAX_LINE_CHARS for line in lines):
        raise InvalidSdp("SDP line too long")

    session: list[str] = []
    groups: list[list[str]] = []
    for line in lines:
        if len(line) < 2 or line[1] != "=":
            raise InvalidSdp("malformed SDP line")
        if line.startswith("m="):
            groups.append([line])
        elif groups:
            groups[-1].append(line)
        else:
            session.append(line)
    if not groups:
        raise InvalidSdp("offer has no media")
    if len(groups) > max_sections:
        raise InvalidSdp(f"offer has more than {max_sections} m-sections")
    _check_shape(session, groups)

    ice = _Ice()
    fingerprints: list[str] = []
    bundle: list[str] | None = None
    for line in session:
        if line.startswith("c=") and not _CONNECTION.match(line[2:]):
            raise InvalidSdp("malformed c= line")
        if not line.startswith("a="):
            continue
        name, value = _attr(line)
        if name == "group" and value is not None and value.split()[:1] == ["BUNDLE"]:
            bundle = value.split()[1:]
        elif name == "ice-lite":
            raise InvalidSdp("ice-lite clients are not supported")
        elif name in ("simulcast", "rid"):
            raise InvalidSdp("simulcast is not supported")
        elif name == "setup" and value not in _SETUP:
            raise InvalidSdp("bad a=setup")
        ice.see(name, value)
        _check_fingerprint(name, value, fingerprints)

    sections: list[MediaSection] = []
    out: list[str] = list(session)
    for index, group in enumerate(groups):
        section, kept_lines = _section(index, group, ice, fingerprints, allow_loopback)
        sections.append(section)
        out += kept_lines

    mids = [s.mid for s in sections]
    if len(set(mids)) != len(mids):
        raise InvalidSdp("duplicate mid")
    if bundle is None or bundle != mids:
        raise InvalidSdp("offer must BUNDLE every m-section, in order (max-bundle)")
    ufrag, pwd = ice.credentials()
    if not fingerprints:
        raise InvalidSdp("offer has no DTLS fingerprint")

    filtered = "\r\n".join(out) + "\r\n"
    try:
        SessionDescription.parse(filtered)
    except Exception as exc:  # aiortc's parser: AssertionError, ValueError, KeyError, ...
        raise InvalidSdp("offer rejected by the SDP parser") from exc
    return ParsedOffer(
        sdp=filtered,
        sections=sections,
        ice_ufrag=ufrag,
        ice_pwd=pwd,
        fingerprints=tuple(fingerprints),
        candidates=sum(s.candidates for s in sections),
    )


class _Ice:
    """ICE credentials: one ufrag/pwd pair for the whole (bundled) offer."""

    def __init__(self) -> None:
        self.session: dict[str, str] = {}
        self.seen: set[tuple[str, str]] = set()

    def see(self, name: str, value: str | None, into: dict[str, str] | None = None) -> None:
        """Checks a session-level ICE attribute, or a section's (`into`: its own values)."""
        into = self.session if into is None else into
        if name == "ice-ufrag":
            if value is None or not _ICE_UFRAG.match(value):
                raise InvalidSdp("bad ice-ufrag")
            into["ufrag"] = value
        elif name == "ice-pwd":
            if value is None or not _ICE_PWD.match(value):
                raise InvalidSdp("bad ice-pwd")
            into["pwd"] = value

    def section(self, lines: list[str]) -> None:
        values = dict(self.session)
        for line in lines:
            if line.startswith("a=ice-ufrag:") or line.startswith("a=ice-pwd:"):
                name, value = _attr(line)
                self.see(name, value, values)
        if "ufrag" not in values or "pwd" not in values:
            raise InvalidSdp("m-section without ICE credentials")
        self.seen.add((values["ufrag"], values["pwd"]))

    def credentials(self) -> tuple[str, str]:
        if len(self.seen) != 1:
            raise InvalidSdp("bundled m-sections must share ICE credentials")
        return next(iter(self.seen))


def _check_fingerprint(name: str, value: str | None, fingerprints: list[str]) -> None:
    if name != "fingerprint":
        return
    if value is None or not _FINGERPRINT.match(value):
        raise InvalidSdp("bad a=fingerprint")
    if value.lower() not in fingerprints:
        fingerprints.append(value.lower())


def _section(
    index: int, group: list[str], ice: _Ice, fingerprints: list[str], allow_loopback: bool
) -> tuple[MediaSection, list[str]]:
    match = _M_LINE.match(group[0])
    if not match:
        raise InvalidSdp("malformed m= line")
    kind, port, profile, fmt_text = match.groups()
    if kind not in ("audio", "video"):
        raise InvalidSdp(f"{kind!r} m-sections are not supported (no data channels)")
    if int(port) == 0:
        raise InvalidSdp("stopped m-sections (port 0) are not supported: never stop transceivers")
    if profile not in PROFILES:
        raise InvalidSdp("m-section profile must be UDP/TLS/RTP/SAVPF")
    formats = [int(x) for x in fmt_text.split()]
    if not 0 < len(formats) <= MAX_FORMATS_PER_SECTION or any(
        pt > 127 or pt in _FORBIDDEN_PAYLOAD_TYPES for pt in formats
    ):
        raise InvalidSdp("bad payload types")
    ice.section(group[1:])

    mid: str | None = None
    direction = "sendrecv"
    rtcp_mux = False
    candidates = 0
    unreachable: set[str] = set()
    rtpmap: dict[int, tuple[str, int, int | None]] = {}
    apt: dict[int, int] = {}
    ssrcs: list[int] = []
    fid: set[int] = set()
    for line in group[1:]:
        if line.startswith("c="):
            if not _CONNECTION.match(line[2:]):
                raise InvalidSdp("malformed c= line")
            continue
        if not line.startswith("a="):
            continue
        name, value = _attr(line)
        _check_fingerprint(name, value, fingerprints)
        if name == "mid":
            if value is None or not _MID.match(value):
                raise InvalidSdp("bad a=mid")
            mid = value
        elif name in DIRECTIONS:
            direction = name
        elif name == "rtcp-mux":
            rtcp_mux = True
        elif name in ("simulcast", "rid"):
            raise InvalidSdp("simulcast is not supported")
        elif name == "setup" and value not in _SETUP:
            raise InvalidSdp("bad a=setup")
        elif name == "rtcp" and (value is None or not _RTCP.match(value)):
            raise InvalidSdp("bad a=rtcp")
        elif name == "candidate":
            try:
                parse_candidate(value or "", allow_loopback=allow_loopback)
            except UnreachableCandidate:
                # One address no peer has (a VPN's loopback, a multicast route) does not
                # spoil the others: the line is left out, as trickling it would be refused.
                unreachable.add(line)
                continue
            candidates += 1
        elif name == "extmap" and (value is None or not _EXTMAP.match(value)):
            raise InvalidSdp("bad a=extmap")
        elif name == "rtpmap":
            m = _RTPMAP.match(value or "")
            if not m or int(m.group(1)) not in formats:
                raise InvalidSdp("bad a=rtpmap")
            channels = int(m.group(4)) if m.group(4) else None
            rtpmap[int(m.group(1))] = (m.group(2).lower(), int(m.group(3)), channels)
        elif name == "fmtp":
            m = _FMTP.match(value or "")
            if not m or int(m.group(1)) not in formats:
                raise InvalidSdp("bad a=fmtp")
            apt_match = re.search(r"(?:^|;)\s*apt=(\d{1,3})(?:;|$)", m.group(2))
            if apt_match:
                apt[int(m.group(1))] = int(apt_match.group(1))
        elif name == "rtcp-fb":
            m = _RTCP_FB.match(value or "")
            if not m or (m.group(1) != "*" and int(m.group(1)) not in formats):
                raise InvalidSdp("bad a=rtcp-fb")
        elif name == "ssrc":
            m = _SSRC.match(value or "")
            if not m or int(m.group(1)) >= 2**32:
                raise InvalidSdp("bad a=ssrc")
            if int(m.group(1)) not in ssrcs:
                ssrcs.append(int(m.group(1)))
        elif name == "ssrc-group":
            m = _SSRC_GROUP.match(value or "")
            if not m:
                raise InvalidSdp("bad a=ssrc-group")
            members = [int(x) for x in m.group(2).split()]
            if m.group(1) == "FID" and len(members) == 2:
                fid.add(members[1])
    # fmtp lines must name a payload type that has an rtpmap (aiortc looks the codec up)
    for line in group[1:]:
        if line.startswith("a=fmtp:"):
            m = _FMTP.match(line[len("a=fmtp:") :])
            if m and int(m.group(1)) not in rtpmap:
                raise InvalidSdp("a=fmtp for a payload type without a=rtpmap")
    if mid is None:
        raise InvalidSdp("m-section without a=mid")
    if not rtcp_mux:
        raise InvalidSdp("m-section without a=rtcp-mux")

    name, rate, channels = KEPT_CODECS[kind]
    primary = {
        pt
        for pt, (codec, clock, chans) in rtpmap.items()
        if codec == name and clock == rate and (channels is None or chans == channels)
    }
    if not primary:
        raise UnsupportedCodec(f"m-section {mid} offers no {name.upper()}")
    kept = primary | {
        pt for pt, (codec, _, _) in rtpmap.items() if codec == "rtx" and apt.get(pt) in primary
    }
    lines = [
        f"m={kind} {port} {profile} {' '.join(str(pt) for pt in formats if pt in kept)}",
        *(line for line in group[1:] if _keeps(line, kept) and line not in unreachable),
    ]
    media_ssrc = next((s for s in ssrcs if s not in fid), None)
    section = MediaSection(
        index=index,
        mid=mid,
        kind="audio" if kind == "audio" else "video",
        direction=direction,
        ssrc=media_ssrc,
        candidates=candidates,
    )
    return section, lines


def _keeps(line: str, kept: set[int]) -> bool:
    for prefix in ("a=rtpmap:", "a=fmtp:", "a=rtcp-fb:"):
        if line.startswith(prefix):
            pt = line[len(prefix) :].split(" ", 1)[0]
            return pt == "*" or int(pt) in kept
    return True


def parse_candidate(text: str, *, allow_loopback: bool = False) -> RTCIceCandidate:
    """A remote candidate from an `a=candidate` value or a browser's `candidate` string. Its
    address must be one a peer can have: not multicast, broadcast or unspecified, and not
    loopback unless the server itself listens there (tests): otherwise a client could make the
    server send connectivity checks to services on its own host."""
    if not isinstance(text, str) or len(text) > 512:
        raise InvalidCandidate("candidate too long")
    match = _CANDIDATE.match(text.strip())
    if not match:
        raise InvalidCandidate("malformed candidate")
    _, component, transport, priority, address, port, _, extensions = match.groups()
    if transport.lower() not in ("udp", "tcp"):
        raise InvalidCandidate("candidate transport must be udp or tcp")
    if not 1 <= int(component) <= 256 or int(priority) >= 2**32 or int(port) > 65535:
        raise InvalidCandidate("candidate field out of range")
    if not _is_address(address):
        raise InvalidCandidate("candidate address is not an IP or mDNS name")
    bits = extensions.split()
    for key, value in zip(bits[::2], bits[1::2], strict=True):
        if key == "raddr" and not _is_address(value):
            raise InvalidCandidate("bad raddr")
        if key == "rport" and (not value.isdigit() or int(value) > 65535):
            raise InvalidCandidate("bad rport")
    # Last: a malformed line is refused as such, even at an address no peer has.
    _check_peer_address(address, int(port), transport.lower(), allow_loopback)
    body = text.strip()
    body = body[2:] if body.startswith("a=") else body
    body = body[len("candidate:") :] if body.startswith("candidate:") else body
    return candidate_from_sdp(body)


_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")


def _check_peer_address(address: str, port: int, transport: str, allow_loopback: bool) -> None:
    if transport == "udp" and port == 0:
        raise UnreachableCandidate("candidate port 0")
    if _MDNS_HOST.match(address):
        return
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if ip.is_multicast or ip.is_unspecified or ip == ipaddress.IPv4Address("255.255.255.255") \
            or ip in _THIS_NETWORK:
        raise UnreachableCandidate("candidate address cannot be a peer's")
    if ip.is_loopback and not allow_loopback:
        raise UnreachableCandidate("loopback candidate: this server does not listen on loopback")


def _is_address(value: str) -> bool:
    if _MDNS_HOST.match(value):
        return True
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
