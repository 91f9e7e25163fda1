"""The event reference of docs/protocol.md, generated from the registry: every request with its
result, every notification and log event, each with an example built from its schema (and
checked against the model, so examples cannot drift either)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from . import accounts as ac
from . import registry
from . import requests as r
from . import sites as ps
from .base import Model
from .events import AGENT_ONLY, LOG_EVENT_TYPES, event_type_name
from .rest import CreateVisitorSession, Login, LoginResult, PhotoResult, VisitorSession

TS = 1795465836925
STRINGS = {
    "conversation_id": "cnv_1m851mybvd1c8bp18tpjrss6p", "visitor_id": "vis_1m851myb0g0hkbtm2rcg",
    "agent_id": "agt_1m851m2rv33nxz1bp1452zq", "offered_agent_id": None,
    "from_agent_id": "agt_1m851m2rv33nxz1bp1452zq", "to_agent_id": None,
    "site_id": "sit_1m851k", "client_id": "c-7f3a9b", "text": "Hi, where is my order?",
    "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.…", "visitor_key": "eyJhbGciOi…",
    "url": "https://shop.example/cart", "page_url": "https://shop.example/cart",
    "title": "Your cart", "name": "Dana", "email": "dana@example.com", "topic": "order",
    "team": "support", "to_team": None, "login": "agent", "password": "correct horse",
    "display_name": "Alex", "photo_url": "/api/v1/photos/agt_1m851m2rv33nxz1bp1452zq-9f2c1e.png",
    "comment": "Quick and helpful", "note": "Wants a refund for the blue mug",
    "shortcut": "hello", "site_key": "demo", "label": "An order I placed",
    "topic_label": "An order I placed",
    "color": "#4f46e5", "greeting": "Hi! How can we help?", "message": "Hi, where is my order?",
    "last_message": "Hi, where is my order?", "visitor_name": "Dana", "code": "forbidden",
    "rating_comment": "Quick and helpful", "id": "cnv_1m851mybvd1c8bp18tpjrss6p", "reason": None,
}
NUMBERS = {
    "seq": 12, "up_to_seq": 12, "last_seq": 12, "after_seq": 9, "before_seq": 10,
    "visitor_read_seq": 11, "agent_read_seq": 12, "rating": 5, "position": 2,
    "estimated_wait_s": 90, "limit": 50, "max_concurrent": 3, "load": 1, "capacity": 6,
    "online_agents": 2, "longest_wait_s": 75, "expires_at": TS + 30_000,
}


# Hand-written examples where names shared with other models ("name", "id") would mislead;
# checked against their model like the generated ones (a stale one fails `make protocol`).
_SITE_VALUES: dict[str, Any] = {
    "name": "Harbour Goods", "origins": ["https://harbour-goods.example"],
    "topics": [{"id": "order", "label": "An order I placed", "team": "support"},
               {"id": "payment", "label": "Payment or refund", "team": "billing"}],
    "hours": {"mon": ["09:00-12:30", "13:30-17:30"], "tue": ["09:00-17:30"],
              "sat": ["10:00-14:00"]},
    "timezone": "Europe/London",
}
_SITE: dict[str, Any] = {
    **_SITE_VALUES, "id": "sit_1m851k", "key": "Qm9wX2Hb3kTz7aLc",
    "theme": {"color": "#0f766e"}, "cobrowse": {"rules": [
        {"match": "*/account*", "mask": [".balance"], "block": ["#card-frame"]}]},
    "recording": {"notice": "consent", "retention_days": 90},
    "embed": '<script src="https://aisle.example/aisle.js" data-site="Qm9wX2Hb3kTz7aLc" '
             "async></script>",
}
EXAMPLES: dict[type[Model], dict[str, Any]] = {
    ps.NewSite: _SITE_VALUES,
    ps.SiteChanges: {"hours": {"mon": ["10:00-16:00"], "sat": []}, "timezone": "Europe/London",
                     "theme": {"color": "#0f766e", "greeting": "Hello! Ask us anything."}},
    ps.Site: _SITE,
    ps.SiteList: {"sites": [_SITE], "teams": ["billing", "sales", "support"],
                  "timezones": ["UTC", "Africa/Abidjan", "…", "Europe/London"]},
    r.SearchConversations: {"text": "dana order 1042", "limit": 20},
}


class _Examples:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs = schema.get("$defs", {})

    def build(self, schema: dict[str, Any], name: str = "") -> Any:
        if "$ref" in schema:
            return self.build(self.defs[schema["$ref"].rsplit("/", 1)[-1]], name)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        for key in ("anyOf", "oneOf"):
            if key in schema:
                if name in STRINGS and STRINGS[name] is None:
                    return None
                options = [s for s in schema[key] if s.get("type") != "null"]
                return self.build(options[0], name) if options else None
        kind = schema.get("type")
        if kind == "string":
            value = STRINGS.get(name)
            return value if isinstance(value, str) else "…"
        if kind in ("integer", "number"):
            if name in NUMBERS:
                return NUMBERS[name]
            return TS if name == "ts" or name.endswith("_at") else 1
        if kind == "boolean":
            return name in ("typing", "ok", "available", "online", "connected", "has_more")
        if kind == "array":
            return [self.build(schema.get("items", {}), name.rstrip("s"))]
        if kind == "object":
            if "properties" not in schema:
                return {"cart_value": 129.0, "tier": "gold"} if name == "context" else {}
            return {k: self.build(v, k) for k, v in schema["properties"].items()
                    if k in schema.get("required", []) or v.get("default") is None
                    or k in ("fields",)}
        return None


def example(model: type[Model]) -> dict[str, Any]:
    if model in EXAMPLES:  # what a client sends shows what it gives, not the defaults
        return model.model_validate(EXAMPLES[model]).model_dump(
            mode="json", exclude_unset=model in (ps.NewSite, ps.SiteChanges))
    schema = model.model_json_schema(ref_template="#/$defs/{model}")
    data: dict[str, Any] = _Examples(schema).build(schema)
    try:
        return model.model_validate(data).model_dump(mode="json")
    except ValidationError:
        return data


def _block(data: Any) -> str:
    return "```json\n" + json.dumps(data, indent=2, ensure_ascii=False) + "\n```"


def _requests(title: str, specs: dict[str, registry.RequestSpec]) -> list[str]:
    out = [f"### {title} requests", ""]
    for event, spec in specs.items():
        out += [f"#### `{event}`", "", spec.doc, "",
                f"Request `{spec.request.__name__}`:", "", _block(example(spec.request)), "",
                f"Ack `{{ok: true, data: {spec.result.__name__}}}`:", "",
                _block({"ok": True, "data": example(spec.result)}), ""]
    return out


def _notifications(title: str, specs: dict[str, registry.NotificationSpec]) -> list[str]:
    out = [f"### {title} notifications", ""]
    for event, spec in specs.items():
        out += [f"#### `{event}`", "", spec.doc, "", _block(example(spec.payload)), ""]
    return out


def reference() -> str:
    out = ["## Reference (generated)", "",
           "Every failed request is acked `{ok: false, error: {code, message, details?}}`.", ""]
    out += _requests("/visitor", registry.VISITOR_REQUESTS)
    out += _notifications("/visitor", registry.VISITOR_NOTIFICATIONS)
    out += _requests("/agent", registry.AGENT_REQUESTS)
    out += _notifications("/agent", registry.AGENT_NOTIFICATIONS)
    out += ["### Log events", "",
            "Delivered live under their `type` in both namespaces (those marked *agents only* "
            "never reach visitors), and returned by `resume` and `get_history`.", ""]
    for cls in LOG_EVENT_TYPES:
        name = event_type_name(cls)
        who = " *(agents only)*" if name in AGENT_ONLY else ""
        doc = " ".join((cls.__doc__ or "").split())
        out += [f"#### `{name}`{who}", "", doc, "", _block(example(cls)), ""]
    out += ["### REST", ""]
    for method, path, req, res, doc in (
        ("POST", "/api/v1/visitor-sessions", CreateVisitorSession, VisitorSession,
         "Start a widget session. Send the page's `Origin`; it must be allowed for the site."),
        ("POST", "/api/v1/login", Login, LoginResult,
         "Agent login. A disabled account gets 403 with `details.reason` `account_disabled`."),
        ("POST", "/api/v1/accounts", ac.NewAccount, ac.AccountPassword,
         "Add an agent (supervisors: agents and trainers; admins: any role); 201 with the "
         "generated password, shown once. `GET /api/v1/accounts` lists the accounts, the "
         "teams and the roles the caller may manage (`AccountList`)."),
        ("PATCH", "/api/v1/accounts/{id}", ac.AccountChanges, ac.Account,
         "Change an agent; only what is given changes. `disabled: true` ends their sessions "
         "at once (their sockets get `session_closed` `account_disabled`, their chats go back "
         "to the queue). Nobody disables themselves or changes their own role."),
        ("POST", "/api/v1/accounts/{id}/password", None, ac.AccountPassword,
         "A new generated password; the agent's sessions end (`session_closed` `signed_out`)."),
        ("POST", "/api/v1/teams", ac.NewTeam, ac.AccountList, "Add a team; 201."),
        ("POST", "/api/v1/sites", ps.NewSite, ps.Site,
         "Add a site (admins only; others get 403 `forbidden`); 201 with its generated key and "
         "embed tag. Values are checked as `aisle sites` checks them; a bad one is 400 "
         "`invalid_payload` with `details.field` and nothing is written. `GET /api/v1/sites` "
         "lists the sites with the teams topics may name and the known time zones "
         "(`SiteList`); `GET /api/v1/sites/{key}` is one `Site`."),
        ("PATCH", "/api/v1/sites/{key}", ps.SiteChanges, ps.Site,
         "Change a site; only what is given changes, and a setting given (`theme`, `cobrowse`, "
         "`recording`) is replaced whole, its fields left out taking their defaults "
         "(`hours: null`: open around the clock; a day left out or empty is closed). Open "
         "widgets of the site get `availability_changed` at once, with the site's new "
         "topics and look (`site`). A page being shared when its co-browse rules change "
         "starts over under them: the widget stops its recording and starts a new page "
         "session (`session_id`) from a full snapshot, so the agent's view hides what the "
         "new rules hide at once."),
    ):
        out += [f"#### `{method} {path}`", "", doc, ""]
        if req is not None:
            out += [_block(example(req)), ""]
        out += ["Response:", "", _block(example(res)), ""]
    out += ["#### `POST /api/v1/agents/me/photo`", "",
            "Body: the image bytes with `Content-Type` image/png, image/jpeg or image/webp "
            "(checked against the file's first bytes; at most `AISLE_MAX_UPLOAD_BYTES`). "
            "`Authorization: Bearer <agent token>`.", "", _block(example(PhotoResult)), ""]
    return "\n".join(out)
