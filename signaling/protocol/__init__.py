"""Wire protocol: every payload is a pydantic model with `extra="forbid"`. The TypeScript types of
both front ends and the event reference in docs/protocol.md are generated from these models."""

from .base import AckError, Empty, ErrorBody, Model
from .events import AGENT_ONLY, EventBase, LogEvent, log_event_adapter

__all__ = [
    "AGENT_ONLY",
    "AckError",
    "Empty",
    "ErrorBody",
    "EventBase",
    "LogEvent",
    "Model",
    "log_event_adapter",
]
