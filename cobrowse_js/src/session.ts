// The widget's session: POST /api/v1/visitor-sessions with the site key (and the visitor key of
// a returning visitor); the server checks the page's Origin and answers with a token, the site's
// look and topics, who can answer, and the conversation to continue.

import type { CreateVisitorSession, VisitorSession } from "./protocol.gen";

/** Why there is no session: refused for good (unknown site, origin not allowed), or not now. */
export class SessionError extends Error {
  constructor(readonly permanent: boolean, readonly status: number) {
    super(`visitor session: ${status}`);
  }
}

export async function createSession(base: string, siteKey: string, visitorKey: string | null
): Promise<VisitorSession> {
  const body: CreateVisitorSession = { site_key: siteKey };
  if (visitorKey) body.visitor_key = visitorKey;
  let response: Response;
  try {
    response = await fetch(`${base}/api/v1/visitor-sessions`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body), credentials: "omit", mode: "cors",
      // The page's address (its query may hold a reset token) is no business of a proxy's log.
      referrerPolicy: "origin",
    });
  } catch {
    throw new SessionError(false, 0);
  }
  if (!response.ok) {
    // 4xx other than rate limiting will not change by asking again.
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
    throw new SessionError(permanent, response.status);
  }
  return (await response.json()) as VisitorSession;
}

/** Retries after these delays (ms) when the server cannot be reached. A refused origin looks
 * the same to the page (the refusal carries no CORS header), so the retries stay few. */
export const SESSION_RETRY_MS = [3_000, 10_000, 30_000, 60_000];
