"""The durable store: sites, agents, visitors, conversations and their logs, canned responses."""

from .store import Store

__all__ = ["Store"]
