"""Every Socket.IO event of each namespace with its payload models: the source for the
handlers' validation, the generated TypeScript types and docs/protocol.md."""

from __future__ import annotations

from dataclasses import dataclass

from . import calls as pc
from . import cobrowse as cb
from . import notifications as n
from . import requests as r
from .base import Empty, Model
from .common import AgentInfo, Availability, Conversation, VisitorConversation, VisitorProfile
from .events import LOG_EVENT_TYPES, event_type_name


@dataclass(frozen=True)
class RequestSpec:
    request: type[Model]
    result: type[Model]
    doc: str
    # High-rate streams (page batches, pointer moves) have their own, larger rate limit.
    stream: bool = False


@dataclass(frozen=True)
class NotificationSpec:
    payload: type[Model]
    doc: str


_CALLS: dict[str, RequestSpec] = {
    "start_call": RequestSpec(pc.StartCall, pc.CallStarted,
                              "Ring the other side for a voice, video or screen-share call."),
    "answer_call": RequestSpec(pc.AnswerCall, Empty, "Accept or decline a ringing call."),
    "join_call": RequestSpec(r.ConversationRef, pc.Joined,
                             "Open (or rebuild) this participant's connection to the call: "
                             "ICE servers and the remote tracks to make receive slots for."),
    "call_offer": RequestSpec(pc.CallOffer, pc.CallAnswer,
                              "The browser's SDP offer (first or renegotiation) with the source "
                              "of each sending mid; the ack is the server's answer."),
    "call_candidate": RequestSpec(pc.CallCandidate, Empty, "A trickled ICE candidate.",
                                  stream=True),
    "hang_up": RequestSpec(r.ConversationRef, Empty,
                           "Leave the call (the visitor or the assignee ends it for all)."),
    "set_call_muted": RequestSpec(pc.SetMuted, Empty,
                                  "This participant muted or unmuted their microphone: the "
                                  "others are told (`call_muted`)."),
}

_SHARED: dict[str, RequestSpec] = {
    "send_message": RequestSpec(r.SendMessage, r.Sent,
                                "Send a chat message; a retry with the same client_id is stored "
                                "once and acked with the same seq. A card number in `text` is "
                                "stored and sent on masked as `•••• 1234` (also in notes, first "
                                "messages and rating comments)."),
    "typing": RequestSpec(r.Typing, Empty, "Typing started or stopped (not logged)."),
    "mark_read": RequestSpec(r.MarkRead, Empty, "Everything up to this seq has been read."),
    "refresh_token": RequestSpec(Empty, r.Token, "A fresh token before this one expires."),
}

VISITOR_REQUESTS: dict[str, RequestSpec] = {
    "get_availability": RequestSpec(Empty, Availability,
                                    "Which teams can answer now, and why not."),
    "start_conversation": RequestSpec(
        r.StartConversation, VisitorConversation,
        "Start a conversation on a topic. When its team cannot answer, `message` is required "
        "and the conversation is kept as an offline message."),
    **_SHARED,
    **_CALLS,
    "get_history": RequestSpec(r.GetHistory, r.History, "Older events, newest last."),
    "resume": RequestSpec(r.Resume, r.VisitorResumed,
                          "Everything after `after_seq`, and the conversation now."),
    "leave_conversation": RequestSpec(r.ConversationRef, Empty, "End the conversation."),
    "rate_conversation": RequestSpec(r.RateConversation, Empty,
                                     "Rate an ended conversation 1–5 (once)."),
    "identify": RequestSpec(r.Identify, VisitorProfile, "Set the visitor's name and email."),
    "set_context": RequestSpec(r.SetContext, VisitorProfile,
                               "Merge store context (cart value, order id…)."),
    "page_view": RequestSpec(r.ReportPageView, VisitorProfile,
                             "The visitor is on this page now."),
    "answer_cobrowse": RequestSpec(cb.ConsentAnswer, Empty,
                                   "Allow or refuse the agent seeing this page."),
    "stop_cobrowse": RequestSpec(r.ConversationRef, Empty, "Stop sharing the page."),
    "answer_control": RequestSpec(cb.ConsentAnswer, Empty,
                                  "Allow or refuse the agent controlling this page."),
    "revoke_control": RequestSpec(r.ConversationRef, Empty, "Take control back."),
    "stop_recording": RequestSpec(r.StopRecording, Empty,
                                  "Stop recording the current sharing or call, where the site "
                                  "asked for consent to it; the sharing or call goes on."),
    "cobrowse_batch": RequestSpec(cb.CobrowseBatch, cb.BatchAccepted,
                                  "Recorded page events (binary `data`); the ack may ask for a "
                                  "full snapshot.", stream=True),
    "command_result": RequestSpec(cb.CommandResult, Empty,
                                  "What the page did with an agent's command."),
}

AGENT_REQUESTS: dict[str, RequestSpec] = {
    "set_status": RequestSpec(r.SetStatus, AgentInfo, "Go online, away or offline."),
    "update_profile": RequestSpec(r.UpdateProfile, AgentInfo, "Change the display name."),
    "get_queue": RequestSpec(Empty, r.QueueSnapshot, "Who waits in the agent's teams."),
    "list_conversations": RequestSpec(Empty, r.MyConversations,
                                      "The agent's open conversations and pending offers."),
    "get_conversation": RequestSpec(r.ConversationRef, Conversation, "One conversation."),
    "accept_offer": RequestSpec(r.ConversationRef, Conversation, "Take an offered conversation."),
    "decline_offer": RequestSpec(r.ConversationRef, Empty,
                                 "Pass an offer on to the next agent."),
    "take_conversation": RequestSpec(
        r.ConversationRef, Conversation,
        "Take a chat waiting in one of the agent's teams from the line (not one being offered "
        "to a colleague), within the agent's capacity."),
    **_SHARED,
    **_CALLS,
    "send_note": RequestSpec(r.SendNote, r.Sent, "An internal note, never sent to the visitor."),
    "get_history": RequestSpec(r.GetHistory, r.History, "Older events, newest last."),
    "resume": RequestSpec(r.Resume, r.AgentResumed,
                          "Everything after `after_seq`, and the conversation now."),
    "transfer": RequestSpec(r.Transfer, Conversation,
                            "Hand the conversation to an agent or a team, with a note."),
    "end_conversation": RequestSpec(r.ConversationRef, Conversation, "End the conversation."),
    "get_visitor": RequestSpec(r.GetVisitor, r.VisitorDetails,
                               "Visitor profile and previous conversations."),
    "list_offline": RequestSpec(r.ListOffline, r.Inbox, "Offline messages to answer."),
    "search_conversations": RequestSpec(
        r.SearchConversations, r.Inbox,
        "The conversations an agent holds or held last and their teams' messages left (a "
        "supervisor's: all), newest first, found by the shopper's name or email address, by "
        "words written in them, or by id. (Offers are on the agent's screen already, and a "
        "shopper's earlier chats are in the visitor's details while they serve them.)"),
    "list_canned": RequestSpec(Empty, r.CannedList, "Canned responses: own and teams'."),
    "save_canned": RequestSpec(r.SaveCanned, r.CannedResponse,
                               "Create or change a canned response (team ones: supervisors). "
                               "A shortcut is unique among the agent's own responses and "
                               "among each team's: a taken one is refused with `conflict`."),
    "delete_canned": RequestSpec(r.CannedRef, Empty, "Delete a canned response."),
    "list_agents": RequestSpec(Empty, r.AgentList, "Agents and teams (for transfers)."),
    "list_topics": RequestSpec(Empty, r.TopicList,
                               "Every site's topics with their labels (conversations name "
                               "their topic by id)."),
    "get_dashboard": RequestSpec(Empty, r.Dashboard,
                                 "Supervisors: all queues, agents and conversations."),
    "observe": RequestSpec(r.ConversationRef, r.ObserveResult,
                           "Supervisors: watch a conversation read-only."),
    "join_conversation": RequestSpec(r.ConversationRef, Conversation,
                                     "Supervisors: join a conversation and write in it."),
    "leave_conversation": RequestSpec(r.ConversationRef, Empty,
                                      "Supervisors: stop observing or leave a joined one."),
    "request_cobrowse": RequestSpec(r.ConversationRef, Conversation,
                                    "Ask the shopper to see their page."),
    "stop_cobrowse": RequestSpec(r.ConversationRef, Empty, "Stop co-browsing."),
    "pause_recording": RequestSpec(r.RecordingRef, Empty,
                                   "Pause the recording of the call or the co-browsing (it goes "
                                   "on), e.g. while the shopper reads out or shows card "
                                   "details. The agent serving the conversation."),
    "resume_recording": RequestSpec(r.RecordingRef, Empty,
                                    "Resume a recording the agent paused (never one the shopper "
                                    "stopped or did not agree to)."),
    "request_control": RequestSpec(r.ConversationRef, Empty,
                                   "Ask the shopper for control of their page (lapses in 30 s)."),
    "release_control": RequestSpec(r.ConversationRef, Empty, "Give control back."),
    "request_snapshot": RequestSpec(r.ConversationRef, Empty,
                                    "Ask the page for a full snapshot (joining late, a gap)."),
    "cobrowse_pointer": RequestSpec(cb.CobrowsePointer, Empty,
                                    "Point, highlight, scroll the shopper to, or draw.",
                                    stream=True),
    "cobrowse_command": RequestSpec(cb.CobrowseCommand, cb.CommandSent,
                                    "Click, type, select, scroll or navigate on the shopper's "
                                    "page (control consent needed); the outcome comes as "
                                    "`command_applied`."),
}

_CALL_NOTIFICATIONS: dict[str, NotificationSpec] = {
    "call_remote_tracks": NotificationSpec(pc.RemoteTracksChanged,
                                           "What you can receive changed: offer again."),
    "call_peer_failed": NotificationSpec(pc.CallPeerFailed,
                                         "Your call connection failed: join again."),
    "call_muted": NotificationSpec(pc.CallMuted,
                                   "A participant muted or unmuted their microphone."),
}

_LOG_NOTIFICATIONS: dict[str, NotificationSpec] = {
    event_type_name(cls): NotificationSpec(cls, (cls.__doc__ or "").strip() or "A log event.")
    for cls in LOG_EVENT_TYPES
}

VISITOR_NOTIFICATIONS: dict[str, NotificationSpec] = {
    "typing_changed": NotificationSpec(n.TypingChanged, "The agent started or stopped typing."),
    "queue_updated": NotificationSpec(n.QueueUpdated, "Place in line and estimated wait."),
    "conversation_updated": NotificationSpec(n.VisitorConversationUpdated,
                                             "The conversation's state changed."),
    "availability_changed": NotificationSpec(
        n.AvailabilityChanged, "Teams came online or went offline, or the wait shown for one "
        "changed (as the widget words it: now, under a minute, minutes, hours)."),
    "presence_changed": NotificationSpec(n.PresenceChanged,
                                         "The agent's connection dropped or came back."),
    "session_closed": NotificationSpec(n.SessionClosed, "The server is closing this socket."),
    "snapshot_requested": NotificationSpec(cb.SnapshotRequested,
                                           "Send a full snapshot of the page next."),
    "pointer_moved": NotificationSpec(cb.PointerMoved, "The agent's pointer or drawing."),
    "cobrowse_command": NotificationSpec(cb.CommandRequested,
                                         "Apply this command to the page (control given)."),
    **_CALL_NOTIFICATIONS,
}

AGENT_NOTIFICATIONS: dict[str, NotificationSpec] = {
    "typing_changed": NotificationSpec(n.TypingChanged, "The visitor started or stopped typing."),
    "conversation_updated": NotificationSpec(n.ConversationUpdated,
                                             "A conversation the agent sees changed."),
    "offer_received": NotificationSpec(n.OfferReceived, "A conversation is offered to you."),
    "offer_updated": NotificationSpec(n.OfferUpdated,
                                      "The shopper wrote while a conversation is offered to you."),
    "offer_withdrawn": NotificationSpec(n.OfferWithdrawn, "An offer is no longer yours."),
    "team_queue_updated": NotificationSpec(n.TeamQueueUpdated, "Who waits in one of your teams."),
    "visitor_updated": NotificationSpec(n.VisitorUpdated, "A visitor you serve changed page etc."),
    "agent_updated": NotificationSpec(n.AgentUpdated, "Your status or load changed."),
    "set_away": NotificationSpec(n.SetAway,
                                 "You missed offers in a row: your status is now away."),
    "dashboard_updated": NotificationSpec(n.DashboardUpdated, "Supervisors: the live picture."),
    "presence_changed": NotificationSpec(n.PresenceChanged,
                                         "The visitor's connection dropped or came back."),
    "session_closed": NotificationSpec(n.SessionClosed, "The server is closing this socket."),
    "offline_inbox_changed": NotificationSpec(n.OfflineInboxChanged,
                                              "The team's offline inbox changed."),
    "canned_changed": NotificationSpec(n.CannedChanged,
                                       "Canned responses you can use changed: list them again."),
    "cobrowse_batch": NotificationSpec(cb.BatchRelayed,
                                       "The shopper's page events (binary, deflated JSON)."),
    "command_applied": NotificationSpec(cb.CommandApplied, "What the page did with a command."),
    **_CALL_NOTIFICATIONS,
}

# The log events reach both namespaces under their own type names (agent-only ones skip
# visitors).
LOG_NOTIFICATIONS = _LOG_NOTIFICATIONS
