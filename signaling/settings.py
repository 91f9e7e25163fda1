"""Settings: one frozen dataclass, read once from `AISLE_*` environment variables and CLI flags,
then passed down explicitly. Timeouts live here so tests shorten them without patching."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = Path("data")
    # SQLAlchemy URL; empty means SQLite in data_dir/aisle.db.
    database_url: str = ""
    # Used to sign tokens; empty means a key generated once and kept in data_dir/secret.key.
    secret_key: str = ""
    # The URL shoppers' browsers reach Aisle at (used in links); empty means http://host:port.
    public_url: str = ""
    # Extra origins allowed to open agent sockets (the console is normally same-origin).
    agent_origins: tuple[str, ...] = ()
    log_level: str = "INFO"
    log_json: bool = True
    seed_demo: bool = True
    # Benchmarks only: a /bench namespace whose `echo` event acks its payload, with no auth,
    # to measure the Socket.IO stack itself beside the chat path (bench/signaling.py).
    bench_echo: bool = False

    # Tokens.
    visitor_token_ttl_s: int = 3600
    agent_token_ttl_s: int = 12 * 3600
    # A returning shopper is recognised by the key their browser keeps, renewed on each visit:
    # one not used for this long is refused and the browser starts as a new visitor.
    visitor_key_ttl_days: int = 365
    # How often connected agents are checked against their accounts (a change made by the CLI
    # from another process: disabled, password changed).
    account_check_s: float = 5.0

    # Calls and media. Addresses the media server's host candidates bind to (empty: every
    # non-loopback interface), the one announced instead (behind 1:1 NAT), the UDP port range.
    media_host_addresses: tuple[str, ...] = ()
    media_announced_address: str = ""
    media_port_min: int = 0
    media_port_max: int = 0
    # How often the media server checks that each participant's connection still answers (ICE
    # consent, RFC 7675): six unanswered checks in a row and it is lost (≈33 s at 5 s).
    media_consent_interval_s: float = 5.0
    # Handed to browsers with short-lived TURN credentials (coturn use-auth-secret).
    stun_urls: tuple[str, ...] = ()
    turn_urls: tuple[str, ...] = ()
    turn_secret: str = ""
    turn_ttl_s: int = 3600
    call_ring_s: float = 45.0  # an unanswered call stops ringing
    # A shared page that went away (its tab closed) while the shopper stays on the store in
    # another tab ends the sharing after this long, unless a page of theirs takes over.
    cobrowse_page_gone_s: float = 15.0
    # The consoles that served a conversation hear it (its rating) this long after it ended,
    # then leave its room: a console open all shift is not in every conversation it served.
    ended_room_s: float = 300.0
    call_rejoin_s: float = 20.0  # a participant whose page went away may come back this long
    # … and one whose connection broke or fell silent (a tunnel, a dead spot): this long.
    call_lost_rejoin_s: float = 90.0

    # Answers by email (reply_mail.py): to a shopper who left a message (or left before the
    # answer) with an email address, when the answer is still unread after `reply_mail_delay_s`.
    # smtp://[user:password@]host[:port] (STARTTLS when offered; ?starttls=require insists) or
    # smtps://… (TLS from the start). Empty: no email; shoppers are told answers come here only.
    smtp_url: str = ""
    mail_from: str = ""  # "Harbour Goods <help@shop.example>"; empty: noreply@ the SMTP host
    reply_mail_delay_s: float = 120.0

    # Routing.
    offer_timeout_s: float = 30.0
    # After a decline or an unanswered offer the agent is skipped for this conversation for a while
    # (other agents first); then it may be offered to them again.
    decline_cooldown_s: float = 60.0
    # An agent who let this many offers in a row go unanswered is set away (0: never): they
    # are not at their desk, and shoppers should not wait on them.
    away_after_missed_offers: int = 2
    agent_grace_s: float = 60.0
    visitor_grace_s: float = 120.0
    # A shopper with no page open this long is away: routing passes their waiting chat over
    # and those behind move up. Between two pages of the store (a page load) they are not.
    visitor_away_after_s: float = 3.0
    default_handle_time_s: float = 300.0
    handle_time_window: int = 20
    default_max_concurrent: int = 3

    # Limits on what comes in.
    max_context_bytes: int = 4096
    max_open_conversations_per_visitor: int = 1
    events_per_second: float = 20.0
    events_burst: int = 50
    # Page batches and pointer moves.
    stream_events_per_second: float = 200.0
    stream_events_burst: int = 400
    errors_before_disconnect: int = 10
    error_window_s: float = 60.0
    max_socket_message_bytes: int = 1_000_000
    max_upload_bytes: int = 2_000_000
    max_pages_visited: int = 50

    @property
    def resolved_public_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'aisle.db'}"

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _convert(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"not a boolean: {raw!r}")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def from_env(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from `AISLE_<FIELD>` variables (e.g. AISLE_OFFER_TIMEOUT_S=10)."""
    env = os.environ if env is None else env
    defaults = Settings()
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(f"AISLE_{f.name.upper()}")
        if raw is not None:
            try:
                values[f.name] = _convert(raw, getattr(defaults, f.name))
            except ValueError as exc:
                raise SystemExit(f"AISLE_{f.name.upper()}: {exc}") from exc
    return replace(defaults, **values)


def load_secret(settings: Settings) -> str:
    """The signing key: the setting, else one generated once and kept beside the data."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


