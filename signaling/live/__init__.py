"""Live state: presence, agent load, queues and declines — what routing reads and writes, shared
between nodes in a cluster. `LiveState` is the seam; `MemoryLiveState` is the single-node one."""

from .memory import MemoryLiveState
from .protocol import AgentPresence, LiveState

__all__ = ["AgentPresence", "LiveState", "MemoryLiveState"]
