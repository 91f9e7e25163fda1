"""The shopper stops the recording of their sharing or call (where the site asked for their
consent to it); the sharing or call goes on. See review/consent.py."""

from __future__ import annotations

from ..calls.service import Calls
from ..cobrowse.service import Cobrowse
from ..conversations import Conversations
from ..protocol import requests as r
from .namespace import Namespace
from .visitor import VisitorSession


def install_visitor(ns: Namespace[VisitorSession], cobrowse: Cobrowse, calls: Calls,
                    conversations: Conversations) -> None:
    @ns.handler("stop_recording")
    async def stop_recording(s: VisitorSession, req: r.StopRecording) -> None:
        actor = await conversations.visitor_actor(s.principal)
        if req.kind == "cobrowse":
            await cobrowse.stop_recording(s.principal, actor, req.conversation_id)
        else:
            await calls.stop_recording(*await calls.visitor(s.principal, actor,
                                                            req.conversation_id))
