"""`python -m signaling.protocol_ts [--check]`: writes the TypeScript protocol types of both front
ends and the event reference in docs/protocol.md; with --check, fails if they are stale."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .protocol import registry
from .protocol.base import AckError, Empty, Model
from .protocol.docs import reference
from .protocol.events import LOG_EVENT_TYPES, event_type_name
from .protocol.rest import (
    CreateVisitorSession,
    Login,
    LoginResult,
    PhotoResult,
    VisitorSession,
)
from .protocol.typescript import HEADER, TypeScriptWriter

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "protocol.md"
BEGIN = "<!-- BEGIN GENERATED REFERENCE -->"
END = "<!-- END GENERATED REFERENCE -->"


def _maps(requests: dict[str, registry.RequestSpec],
          notifications: dict[str, registry.NotificationSpec], prefix: str) -> str:
    lines = [f"export interface {prefix}Requests {{"]
    for event, spec in requests.items():
        lines.append(f"  {event}: {{ request: {spec.request.__name__}; "
                     f"result: {spec.result.__name__} }};")
    lines.append("}")
    lines.append(f"export interface {prefix}Notifications {{")
    for event, note in notifications.items():
        lines.append(f"  {event}: {note.payload.__name__};")
    for cls in LOG_EVENT_TYPES:
        lines.append(f"  {event_type_name(cls)}: {cls.__name__};")
    lines.append("}")
    return "\n".join(lines)


def render(side: str) -> str:
    if side == "visitor":
        requests, notes = registry.VISITOR_REQUESTS, registry.VISITOR_NOTIFICATIONS
        rest: list[type[Model]] = [CreateVisitorSession, VisitorSession]
        prefix = "Visitor"
    else:
        requests, notes = registry.AGENT_REQUESTS, registry.AGENT_NOTIFICATIONS
        rest = [Login, LoginResult, PhotoResult]
        prefix = "Agent"
    incoming: list[type[Model]] = [Empty, rest[0]]
    outgoing: list[type[Model]] = [AckError, *rest[1:], *LOG_EVENT_TYPES]
    for spec in requests.values():
        incoming.append(spec.request)
        outgoing.append(spec.result)
    outgoing += [note.payload for note in notes.values()]
    writer = TypeScriptWriter(incoming, outgoing)
    union = " | ".join(cls.__name__ for cls in LOG_EVENT_TYPES)
    agent_only = ", ".join(f'"{t}"' for t in sorted(registry_agent_only()))
    return "\n".join([
        HEADER,
        writer.declarations(),
        f"export type LogEvent = {union};",
        f"export const AGENT_ONLY_EVENTS: readonly string[] = [{agent_only}];",
        "export type Ack<T> = { ok: true; data: T } | AckError;",
        "",
        _maps(requests, notes, prefix),
        "",
    ])


def registry_agent_only() -> frozenset[str]:
    from .protocol.events import AGENT_ONLY

    return AGENT_ONLY


TARGETS = {
    ROOT / "cobrowse_js" / "src" / "protocol.gen.ts": "visitor",
    ROOT / "agent_web" / "src" / "protocol.gen.ts": "agent",
}


def render_docs(current: str) -> str:
    generated = f"{BEGIN}\n{reference()}\n{END}"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + generated + tail
    return current.rstrip() + "\n\n" + generated + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    outputs = {path: render(side) for path, side in TARGETS.items()}
    docs_now = DOCS.read_text() if DOCS.exists() else "# Aisle wire protocol\n"
    outputs[DOCS] = render_docs(docs_now)
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text() != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run `make protocol`",
                  file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(outputs[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
