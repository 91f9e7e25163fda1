"""`python -m signaling.protocol_ts [--check]`: writes the TypeScript protocol types of both front
ends and the event reference in docs/protocol.md; with --check, fails if they are stale."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .protocol import accounts as ac
from .protocol import registry
from .protocol import sites as ps
from .protocol.base import AckError, Empty, Model
from .protocol.docs import reference
from .protocol.events import LOG_EVENT_TYPES, data_model, event_type_name
from .protocol.rest import (
    CreateVisitorSession,
    Login,
    LoginResult,
    PhotoResult,
    VisitorSession,
)
from .protocol.typescript import HEADER, TypeScriptWriter, imports

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


def render(side: str) -> dict[str, str]:
    """The side's generated files by path relative to its src/: the log events, the other
    models, and protocol.gen.ts (everything, plus the request and notification maps)."""
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
    if side != "visitor":  # managing accounts and sites (the review app's Team and Sites pages)
        incoming += [ac.NewAccount, ac.AccountChanges, ac.NewTeam, ps.NewSite, ps.SiteChanges]
        outgoing += [ac.AccountList, ac.AccountPassword, ps.SiteList, ps.Site]
    for spec in requests.values():
        incoming.append(spec.request)
        outgoing.append(spec.result)
    outgoing += [note.payload for note in notes.values()]
    writer = TypeScriptWriter(incoming, outgoing)

    event_names = {cls.__name__ for cls in LOG_EVENT_TYPES}
    event_names |= {data_model(event_type_name(cls)).__name__ for cls in LOG_EVENT_TYPES}
    model_names = set(writer.names()) - event_names
    union = " | ".join(cls.__name__ for cls in LOG_EVENT_TYPES)
    agent_only = ", ".join(f'"{t}"' for t in sorted(registry_agent_only()))
    events_body = "\n".join([
        writer.declarations(event_names),
        f"export type LogEvent = {union};",
        f"export const AGENT_ONLY_EVENTS: readonly string[] = [{agent_only}];",
        "",
    ])
    models_body = "\n".join([
        writer.declarations(model_names),
        "export type Ack<T> = { ok: true; data: T } | AckError;",
        "",
    ])
    from_events = {n: "./events.gen" for n in event_names | {"LogEvent"}}
    from_models = {n: "./models.gen" for n in model_names}
    maps = _maps(requests, notes, prefix)
    everything = {n: "./protocol/events.gen" for n in event_names | {"LogEvent"}}
    everything |= {n: "./protocol/models.gen" for n in model_names | {"Ack"}}
    return {
        "protocol/events.gen.ts": HEADER + "\n" + imports(events_body, from_models) + "\n"
        + events_body,
        "protocol/models.gen.ts": HEADER + "\n" + imports(models_body, from_events) + "\n"
        + models_body,
        "protocol.gen.ts": "\n".join([
            HEADER,
            'export * from "./protocol/events.gen";',
            'export * from "./protocol/models.gen";',
            imports(maps, everything),
            maps,
            "",
        ]),
    }


def registry_agent_only() -> frozenset[str]:
    from .protocol.events import AGENT_ONLY

    return AGENT_ONLY


TARGETS = {
    ROOT / "cobrowse_js" / "src": "visitor",
    ROOT / "agent_web" / "src": "agent",
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
    outputs = {src / name: text for src, side in TARGETS.items()
               for name, text in render(side).items()}
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
