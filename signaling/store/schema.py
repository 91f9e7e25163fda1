"""Tables (SQLAlchemy Core). The same definitions run on SQLite and PostgreSQL; Alembic
migrations in signaling/migrations create them."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Ms = sa.BigInteger  # unix time in milliseconds

sites = sa.Table(
    "sites",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("key", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("allowed_origins", sa.JSON, nullable=False),
    # {"mon": ["09:00-17:00"], ...}; NULL means always open.
    sa.Column("business_hours", sa.JSON, nullable=True),
    sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
    # Theme and topics; later issues add recording and masking policy here.
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("created_at", Ms, nullable=False),
)

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("created_at", Ms, nullable=False),
)

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("login", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("display_name", sa.String(80), nullable=False),
    sa.Column("photo", sa.String(100), nullable=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("max_concurrent", sa.Integer, nullable=False),
    # The status the agent chose; whether they are connected is live state.
    sa.Column("status", sa.String(16), nullable=False, server_default="offline"),
    sa.Column("created_at", Ms, nullable=False),
    # A disabled agent cannot sign in, and their sessions end.
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    # Tokens carry the version they were issued under: raising it ends every session.
    sa.Column("token_version", sa.Integer, nullable=False, server_default="0"),
)

# Each agent's time signed in, one row per stretch in one state: "online" (taking chats) or
# "away" (signed in, taking none). Signed out is no row. An open row (ended_at NULL) is the
# present; `checked_at` moves every minute while it is, so that after a crash the stretch
# ends when the server was last known alive, not when it came back.
agent_availability = sa.Table(
    "agent_availability",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agent_id", sa.String(40), nullable=False, index=True),
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("started_at", Ms, nullable=False, index=True),
    sa.Column("ended_at", Ms, nullable=True),
    sa.Column("checked_at", Ms, nullable=False),
)

agent_teams = sa.Table(
    "agent_teams",
    metadata,
    sa.Column("agent_id", sa.String(40), sa.ForeignKey("agents.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("team", sa.String(64), sa.ForeignKey("teams.name", ondelete="CASCADE"),
              primary_key=True),
)

visitors = sa.Table(
    "visitors",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("site_id", sa.String(40), sa.ForeignKey("sites.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("name", sa.String(100), nullable=True),
    sa.Column("email", sa.String(254), nullable=True),
    sa.Column("current_page", sa.JSON, nullable=True),
    sa.Column("pages_visited", sa.JSON, nullable=False),
    sa.Column("context", sa.JSON, nullable=False),
    sa.Column("created_at", Ms, nullable=False),
    sa.Column("last_seen_at", Ms, nullable=False),
)

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("site_id", sa.String(40), sa.ForeignKey("sites.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("visitor_id", sa.String(40), sa.ForeignKey("visitors.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("topic", sa.String(64), nullable=False),
    sa.Column("team", sa.String(64), nullable=False, index=True),
    sa.Column("agent_id", sa.String(40), nullable=True, index=True),
    sa.Column("offered_agent_id", sa.String(40), nullable=True),
    sa.Column("participants", sa.JSON, nullable=False),
    sa.Column("fields", sa.JSON, nullable=False),
    sa.Column("offline_reason", sa.String(32), nullable=True),
    sa.Column("ended_reason", sa.String(32), nullable=True),
    sa.Column("rating", sa.Integer, nullable=True),
    sa.Column("rating_comment", sa.Text, nullable=True),
    sa.Column("created_at", Ms, nullable=False, index=True),
    sa.Column("queued_at", Ms, nullable=True),
    sa.Column("assigned_at", Ms, nullable=True),
    sa.Column("ended_at", Ms, nullable=True),
    sa.Column("last_seq", sa.Integer, nullable=False),
    sa.Column("visitor_read_seq", sa.Integer, nullable=False),
    sa.Column("agent_read_seq", sa.Integer, nullable=False),
    sa.Column("cobrowse", sa.String(16), nullable=False, server_default="off"),
    sa.Column("cobrowse_agent_id", sa.String(40), nullable=True),
    sa.Column("control", sa.String(16), nullable=False, server_default="off"),
    sa.Column("control_agent_id", sa.String(40), nullable=True),
    sa.Column("call", sa.String(16), nullable=False, server_default="off"),
    sa.Column("call_id", sa.String(40), nullable=True),
    sa.Column("call_media", sa.String(16), nullable=True),
    sa.Column("call_by", sa.String(16), nullable=True),
    sa.Column("cobrowse_recorded", sa.Boolean, nullable=True),
    sa.Column("call_recorded", sa.Boolean, nullable=True),
)

# The append-only log. Large streams (co-browse, media) live in files; rows point at them.
conversation_events = sa.Table(
    "conversation_events",
    metadata,
    sa.Column("conversation_id", sa.String(40),
              sa.ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("ts", Ms, nullable=False),
    sa.Column("type", sa.String(48), nullable=False),
    sa.Column("actor", sa.JSON, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    # Set for requests that carry a client id, so that a retry is stored once.
    sa.Column("client_id", sa.String(64), nullable=True),
    sa.UniqueConstraint("conversation_id", "type", "client_id", name="uq_events_client_id"),
)

canned_responses = sa.Table(
    "canned_responses",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("agent_id", sa.String(40), sa.ForeignKey("agents.id", ondelete="CASCADE"),
              nullable=True, index=True),
    sa.Column("team", sa.String(64), sa.ForeignKey("teams.name", ondelete="CASCADE"),
              nullable=True, index=True),
    sa.Column("shortcut", sa.String(32), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", Ms, nullable=False),
    # One of agent_id and team is set; NULLs are distinct, so each index binds one kind.
    sa.Index("uq_canned_agent_shortcut", "agent_id", "shortcut", unique=True),
    sa.Index("uq_canned_team_shortcut", "team", "shortcut", unique=True),
)

# ---- review -----------------------------------------------------------------------------

annotation_table = sa.Table(
    "annotations",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("conversation_id", sa.String(40),
              sa.ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("author_id", sa.String(40), sa.ForeignKey("agents.id", ondelete="CASCADE"),
              nullable=False),
    # On the conversation's clock: ms since it started; a range when end_ms is set.
    sa.Column("at_ms", sa.BigInteger, nullable=False),
    sa.Column("end_ms", sa.BigInteger, nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", Ms, nullable=False),
)

scorecards = sa.Table(
    "scorecards",
    metadata,
    sa.Column("team", sa.String(64), sa.ForeignKey("teams.name", ondelete="CASCADE"),
              primary_key=True),
    # [{"id": "greeting", "label": "Greets by name", "max": 5}, ...]
    sa.Column("criteria", sa.JSON, nullable=False),
    sa.Column("updated_by", sa.String(40), nullable=True),
    sa.Column("updated_at", Ms, nullable=False),
)

scores = sa.Table(
    "scores",
    metadata,
    sa.Column("conversation_id", sa.String(40),
              sa.ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("reviewer_id", sa.String(40), sa.ForeignKey("agents.id", ondelete="CASCADE"),
              primary_key=True),
    # The agent and team being scored, fixed when the score is given.
    sa.Column("agent_id", sa.String(40), nullable=True, index=True),
    sa.Column("team", sa.String(64), nullable=False, index=True),
    sa.Column("scores", sa.JSON, nullable=False),
    # Sum of the scores over sum of the criteria's maxima, 0..1: comparable across teams.
    sa.Column("ratio", sa.Float, nullable=False),
    # Each criterion's maximum when the score was given ({id: max}): a scorecard edited
    # later does not change what an old score was out of. NULL for scores given before 0008.
    sa.Column("maxima", sa.JSON, nullable=True),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("created_at", Ms, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ts", Ms, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(48), nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
)

jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("conversation_id", sa.String(40),
              sa.ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("progress", sa.Float, nullable=False),
    sa.Column("output", sa.String(200), nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("created_by", sa.String(40), nullable=True),
    sa.Column("created_at", Ms, nullable=False),
    sa.Column("updated_at", Ms, nullable=False),
)
