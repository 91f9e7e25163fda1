// What an agent was writing in each conversation, kept in the browser's localStorage so that a
// reload, a crash of the page or a console tab closed by mistake does not lose a half-written
// reply: it lives as long as the sign-in does (also in localStorage). Shared by the agent's
// console tabs, per signed-in agent; cleared on sign-out, so the next person at a shared desk
// does not find someone else's words. Storage that refuses (private modes, quota) costs only
// the keeping.

export interface Draft {
  text: string;
  note: boolean;
}

const KEY = "aisle.console.drafts";
const MAX_KEPT = 50;  // conversations; the oldest are dropped first

interface Kept {
  agent: string;
  drafts: Record<string, Draft>;  // insertion order: oldest first
}

function read(storage: Storage, agent: string): Record<string, Draft> {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return {};
    const kept = JSON.parse(raw) as Kept;
    if (kept.agent !== agent || typeof kept.drafts !== "object" || kept.drafts === null) return {};
    return kept.drafts;
  } catch {
    return {};
  }
}

function write(storage: Storage, agent: string, drafts: Record<string, Draft>): void {
  try {
    storage.setItem(KEY, JSON.stringify({ agent, drafts } satisfies Kept));
  } catch {
    // Full or refused: the draft lives only in the page.
  }
}

export function loadDraft(storage: Storage, agent: string, convId: string): Draft | null {
  const d = read(storage, agent)[convId];
  return d && typeof d.text === "string" && typeof d.note === "boolean" ? d : null;
}

export function saveDraft(storage: Storage, agent: string, convId: string, draft: Draft): void {
  const drafts = read(storage, agent);
  delete drafts[convId];
  if (draft.text || draft.note) drafts[convId] = draft;
  const ids = Object.keys(drafts);
  for (const id of ids.slice(0, Math.max(0, ids.length - MAX_KEPT))) delete drafts[id];
  write(storage, agent, drafts);
}

export function clearDrafts(storage: Storage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}
