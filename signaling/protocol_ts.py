"""`python -m signaling.protocol_ts [--check]`: writes the TypeScript protocol types of both front
ends and the event reference in docs/protocol.md; with --check, fails if they are stale."""

from __future__ import annotations

import argparse
import functools
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
    union = " | ".join(cls.__name__ for cls in LOG_EVENT_TYPES)
    agent_only = ", ".join(f'"{t}"' for t in sorted(registry_agent_only()))
    # One file per concept, as in signaling/protocol: the log events, then the other models by
    # the module that declares them (requests, notifications, calls, co-browsing…).
    groups: dict[str, set[str]] = {"events": set(event_names) | {"LogEvent"}}
    for name in set(writer.names()) - event_names:
        groups.setdefault(_group_of(name), set()).add(name)
    groups["base"].add("Ack")
    bodies = {group: writer.declarations(names) for group, names in groups.items()}
    bodies["events"] += (f"export type LogEvent = {union};\n"
                         f"export const AGENT_ONLY_EVENTS: readonly string[] = [{agent_only}];\n")
    bodies["base"] += "export type Ack<T> = { ok: true; data: T } | AckError;\n"
    files: dict[str, str] = {}
    for group, body in sorted(bodies.items()):
        others = {n: f"./{g}.gen" for g, names in groups.items() if g != group for n in names}
        files[f"protocol/{group}.gen.ts"] = HEADER + "\n" + imports(body, others) + "\n" + body
    maps = _maps(requests, notes, prefix)
    everything = {n: f"./protocol/{g}.gen" for g, names in groups.items() for n in names}
    files["protocol.gen.ts"] = "\n".join([
        HEADER,
        *(f'export * from "./protocol/{group}.gen";' for group in sorted(groups)),
        imports(maps, everything),
        maps,
        "",
    ])
    return files


@functools.cache
def _model_modules() -> dict[str, str]:
    """Each protocol model's name → the last part of the module that declares it."""
    found: dict[str, str] = {}
    stack: list[type[Model]] = [Model]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            found.setdefault(sub.__name__, sub.__module__.rsplit(".", 1)[-1])
            stack.append(sub)
    return found


# Modules outside signaling/protocol whose models belong with one of its concepts.
_GROUP_OF_MODULE = {"policy": "sites", "docs": "base"}


def _group_of(ts: str) -> str:
    """The file a TypeScript model goes in (`XInput`: where `X` is declared)."""
    modules = _model_modules()
    name = ts[:-len("Input")] if ts.endswith("Input") and ts not in modules else ts
    module = modules.get(name, "base")
    return _GROUP_OF_MODULE.get(module, module)


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
    # Generated files no longer generated (a concept renamed or gone).
    left = [p for src in TARGETS for p in sorted((src / "protocol").glob("*.gen.ts"))
            if p not in outputs]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run `make protocol`",
                  file=sys.stderr)
        for path in left:
            print(f"{path.relative_to(ROOT)} is no longer generated: run `make protocol`",
                  file=sys.stderr)
        return 1 if stale or left else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(outputs[path])
        print(f"wrote {path.relative_to(ROOT)}")
    for path in left:
        path.unlink()
        print(f"removed {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
