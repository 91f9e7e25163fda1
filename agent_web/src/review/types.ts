// The review REST types, declared by hand to match signaling/protocol/review.py exactly (the log
// events and the conversation come from the generated protocol.gen.ts).
import type { Conversation, LogEvent } from "../protocol.gen";

export type { Conversation, LogEvent };

export type EndReason = NonNullable<Conversation["ended_reason"]>;

export type RecordingState = "recording" | "complete" | "failed" | "aborted" | "recovered";

export interface RecordingSummary {
  conversation_id: string;
  site_id: string;
  team: string;
  topic: string;
  topic_label: string | null;
  agent_id: string | null;
  agent_name: string | null;
  visitor_id: string;
  visitor_name: string | null;
  started_at: number;
  ended_at: number | null;
  duration_s: number;
  rating: number | null;
  has_call: boolean;
  has_cobrowse: boolean;
  messages: number;
  annotations: number;
  score_ratio: number | null;
  /** "offline": a message left that nobody has closed. */
  status: "active" | "offline" | "ended";
  ended_reason: EndReason | null;
  /** A message left whose shopper's last words an agent has answered. */
  message_answered: boolean;
  /** The first message that matched the search words. */
  excerpt: string | null;
}

export interface RecordingList {
  recordings: RecordingSummary[];
  total: number;
  /** What the asker may find at all: everything, their own conversations, or nothing. */
  scope: "all" | "own" | "none";
}

export interface ReviewedAgent {
  id: string;
  display_name: string;
  login: string;
  teams: string[];
}

export interface AgentList {
  agents: ReviewedAgent[];
}

/** One participant's audio/video (or screen) file on the conversation's clock. */
export interface MediaFile {
  file: string;
  /** Peer id: "visitor" or the agent's id. */
  participant: string;
  participant_name: string | null;
  source: "microphone" | "camera" | "screen";
  kinds: Array<"audio" | "video">;
  start_offset_ms: number;
  duration_ms: number;
  state: RecordingState;
  url: string;
}

export interface CobrowseChunkRef {
  file: string;
  session_id: string;
  first_batch: number;
  start_offset_ms: number;
  url: string;
}

export interface Gap {
  kind: "cobrowse" | "call" | "all";
  start_offset_ms: number;
  end_offset_ms: number | null;
  reason: string;
}

export interface Manifest {
  conversation_id: string;
  clock_origin_ms: number;
  state: RecordingState;
  participants: Array<Record<string, string | null>>;
  media: MediaFile[];
  cobrowse: CobrowseChunkRef[];
  gaps: Gap[];
}

export interface Annotation {
  id: string;
  author_id: string;
  author_name: string | null;
  at_ms: number;
  end_ms: number | null;
  text: string;
  created_at: number;
}

export interface NewAnnotation {
  at_ms: number;
  end_ms?: number | null;
  text: string;
}

export interface Criterion {
  id: string;
  label: string;
  max: number;
}

export interface Scorecard {
  team: string;
  criteria: Criterion[];
}

export interface ScorecardUpdate {
  criteria: Criterion[];
}

export interface Score {
  reviewer_id: string;
  reviewer_name: string | null;
  agent_id: string | null;
  team: string;
  scores: Record<string, number>;
  ratio: number;
  comment: string;
  created_at: number;
}

export interface NewScore {
  scores: Record<string, number>;
  comment?: string;
}

export interface Recording {
  conversation: Conversation;
  topic_label: string | null;
  manifest: Manifest;
  events: LogEvent[];
  annotations: Annotation[];
  scorecard: Scorecard;
  scores: Score[];
  /** A short-lived token for media and chunk URLs (already in them). */
  media_token: string;
}

export interface ScoreSummaryRow {
  /** Agent id or team. */
  key: string;
  name: string;
  conversations: number;
  average_ratio: number;
  per_criterion: Record<string, number>;
}

export interface ScoreSummary {
  by: "agent" | "team";
  rows: ScoreSummaryRow[];
}

export interface Job {
  id: string;
  kind: "compose";
  conversation_id: string;
  state: "queued" | "running" | "done" | "failed";
  progress: number;
  error: string | null;
  url: string | null;
}

// ---- reports (signaling/protocol/reports.py) ----------------------------------------------

export interface Durations {
  count: number;
  median_s: number | null;
  p90_s: number | null;
}

export interface ReportTotals {
  started: number;
  answered: number;
  abandoned: number;
  offline: number;
  offline_answered: number;
  waiting: number;
  transfers: number;
}

export interface ReportCsat {
  responses: number;
  satisfied_ratio: number | null;
  average: number | null;
  response_ratio: number | null;
  distribution: number[];
}

/** Time signed in to the console (docs/reports.md): online or away, busy (with a chat) or
 * idle (online without); occupancy = busy / (busy + idle). */
export interface ReportSignedIn {
  online_s: number;
  away_s: number;
  busy_s: number;
  idle_s: number;
  occupancy: number | null;
  chats_at_once: number | null;
}

export interface ReportAgentRow {
  agent_id: string;
  name: string;
  answered: number;
  offline_answered: number;
  first_response: Durations;
  handle: Durations;
  csat_responses: number;
  csat_average: number | null;
  time: ReportSignedIn;
}

export interface ReportDay {
  date: string;
  started: number;
  answered: number;
  abandoned: number;
  offline: number;
}

export interface Report {
  from_date: string;
  to_date: string;
  tz: string;
  team: string | null;
  totals: ReportTotals;
  wait: Durations;
  abandoned_after: Durations;
  first_response: Durations;
  handle: Durations;
  first_reply_from_start: Durations;
  offline_reply: Durations;
  csat: ReportCsat;
  time: ReportSignedIn;
  agents: ReportAgentRow[];
  days: ReportDay[];
  teams: string[];
}
