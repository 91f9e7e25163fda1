// Which conversation the agent had in front of them, kept in the tab's sessionStorage so that a
// reload brings that one back to the front, not whichever the server happens to list first (a
// reply typed straight away must go to the shopper the agent was answering). Like drafts.ts:
// per tab, per signed-in agent, cleared on sign-out; storage that refuses costs the keeping.

const KEY = "aisle.console.active-tab";

interface Kept {
  agent: string;
  conversation: string;
}

export function loadActiveTab(storage: Storage, agent: string): string | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const kept = JSON.parse(raw) as Partial<Kept> | null;
    return kept?.agent === agent && typeof kept.conversation === "string" ? kept.conversation : null;
  } catch {
    return null;
  }
}

/** `null`: no conversation in front of the agent (the last tab closed). */
export function saveActiveTab(storage: Storage, agent: string, convId: string | null): void {
  try {
    if (convId === null) storage.removeItem(KEY);
    else storage.setItem(KEY, JSON.stringify({ agent, conversation: convId } satisfies Kept));
  } catch {
    // Full or refused: a reload picks the tab by itself.
  }
}

export function clearActiveTab(storage: Storage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}
