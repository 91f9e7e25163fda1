// Where a call stands for one participant, from the conversation's call fields (the server's
// truth) and whether this page holds a connection to it: what the widget and the console draw.

import type { CallMedia } from "./types";

export type Side = "visitor" | "agent";

export interface CallFields {
  call: "off" | "ringing" | "active";
  call_id: string | null;
  call_media: CallMedia | null;
  call_by: Side | null;
}

export type CallStage =
  | { kind: "none" }
  /** The other side rings us: accept or decline. */
  | { kind: "incoming"; callId: string; media: CallMedia }
  /** We ring the other side: cancel. */
  | { kind: "outgoing"; callId: string; media: CallMedia }
  /** The call is on and this page is in it. */
  | { kind: "in-call"; callId: string; media: CallMedia }
  /** The call is on without this page: another tab or window has it, or (a supervisor) not
   * joined yet. */
  | { kind: "elsewhere"; callId: string; media: CallMedia };

export function callStage(fields: CallFields | null, side: Side, joinedCallId: string | null
): CallStage {
  if (!fields || fields.call === "off" || !fields.call_id) return { kind: "none" };
  const callId = fields.call_id;
  const media = fields.call_media ?? "audio";
  if (fields.call === "ringing") {
    return fields.call_by === side ? { kind: "outgoing", callId, media }
      : { kind: "incoming", callId, media };
  }
  return joinedCallId === callId ? { kind: "in-call", callId, media }
    : { kind: "elsewhere", callId, media };
}

const MEDIA_WORDS: Record<CallMedia, string> = {
  audio: "voice call", video: "video call", screen: "screen share",
};

/** "voice call", "video call", "screen share". */
export function mediaWords(media: CallMedia | null): string {
  return MEDIA_WORDS[media ?? "audio"];
}

/** "01:05", "1:02:03" since `startedAt`. */
export function callDuration(startedAt: number, now: number): string {
  const total = Math.max(0, Math.floor((now - startedAt) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** What the log says of the call's recording: its `call_accepted` carries whether it is
 * recorded (null: not answered yet, or a log written before calls said so). */
export function callRecorded(events: readonly { type: string; data: unknown }[] | undefined,
                             callId: string | null): boolean | null {
  const accepted = events?.find((e) => e.type === "call_accepted" &&
                                 (e.data as { call_id?: unknown }).call_id === callId);
  const recorded = (accepted?.data as { recorded?: unknown } | undefined)?.recorded;
  return typeof recorded === "boolean" ? recorded : null;
}

/** Why the call's recording is stopped, from the log: the reason of the last pause of its
 * recording since it was answered ("agent", "withdrawn", "storage"…), or null when none, or
 * when a resume followed. (A pause ends with its call: the next one is asked again.) */
export function callPause(events: readonly { type: string; data: unknown }[] | undefined,
                          callId: string | null): string | null {
  let reason: string | null = null;
  let answered = false;
  for (const e of events ?? []) {
    if (e.type === "call_accepted") {
      if (answered) break;  // the next call's
      answered = (e.data as { call_id?: unknown }).call_id === callId;
    } else if (answered && (e.type === "recording_paused" || e.type === "recording_resumed")) {
      const gap = e.data as { kind?: unknown; reason?: unknown };
      if (gap.kind !== "call") continue;
      reason = e.type === "recording_paused" && typeof gap.reason === "string" ? gap.reason : null;
    }
  }
  return reason;
}
