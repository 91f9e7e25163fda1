// Secrets in a page's address never leave the browser: password-reset and magic-login tokens,
// OAuth fragments, session ids, signed-URL signatures, e-mail addresses. Their values become
// `[hidden]`; the path and the other parameters stay, so agents still see where the shopper is.
// The server applies the same lists again (signaling/addresses.py, which explains the rules);
// both are held to tests/fixtures/page_addresses.json.

export const HIDDEN = "[hidden]";

/** Exact names (compared by nameKey): whatever their value, it never leaves the browser. */
export const SECRET_PARAMS: readonly string[] = [
  "token", "access_token", "id_token", "refresh_token", "auth_token",
  "code", "auth_code", "authorization_code", "verification_code", "confirmation_code",
  "code_verifier", "oauth_verifier",
  "key", "apikey", "api_key", "access_key", "secret_key", "private_key",
  "secret", "client_secret",
  "password", "pass", "passwd", "pwd",
  "auth", "authorization",
  "session", "sessionid", "session_id", "sid", "phpsessid", "jsessionid",
  "sig", "signature", "hmac",
  "x-amz-signature", "x-amz-credential", "x-amz-security-token",
  "x-goog-signature", "x-goog-credential",
  "otp", "reset", "jwt", "ticket", "samlresponse",
  "email", "e-mail", "email_address",
];

/** Name endings (compared by nameKey): `reset_token`, `csrfToken`, `newPassword`. */
export const SECRET_SUFFIXES: readonly string[] = [
  "token", "secret", "password", "passwd", "signature", "sessionid", "sessid",
];

/** A value this long is hidden whole: nothing that long is worth reading, and checking it would
 * cost the page's time. */
export const LONGEST_VALUE = 8192;

// What a path says before a token in it (Django's `/reset/<uid>/<token>/`, Laravel's
// `/reset-password/<token>`, Shopify's `/account/reset/<id>/<token>`): after such a segment,
// every later one of 8 characters or more with both letters and digits is hidden.
const KEYWORDS = "reset|passw|activat|confirm|verif|magic|login|signin|invit|unsubscrib|token";
const PATH_KEYWORDS = new RegExp(KEYWORDS, "i");
const PATH_TOKEN = /^(?=[\s\S]*[A-Za-z])(?=[\s\S]*[0-9])[\s\S]{8,}$/;
// Cheap test first: nothing can be hidden in an address without one of these.
const ANYTHING = new RegExp(`[?#@;]|%40|eyJ|${KEYWORDS}`, "i");
const AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/]*)([\s\S]*)$/;
// Bounded, so that a long value costs linear time (RFC 5321's limits: 64 before the @, labels
// of 63).
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/;
const TOKEN_CHARS = /[^A-Za-z0-9_.-]+/;
// A parameter name inside a value (`next=/reset?token=…`).
const NESTED_NAME = /(?:^|[?&#;])([^?&#;=]+)=/g;

/** Form decoding that never fails (`+` is a space; escapes that are not UTF-8 stay). */
function decode(text: string): string {
  return text.replace(/\+/g, " ").replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** A parameter name as the lists compare it: `X-Amz-Signature`, `x_amz_signature` and
 * `xAmzSignature` are one name. */
export function nameKey(name: string): string {
  // (Spelled out: JavaScript's \s and Python's differ beyond ASCII.)
  return name.toLowerCase().replace(/[-_. \t\n\r\f\v]/g, "");
}

const NAMES: ReadonlySet<string> = new Set(SECRET_PARAMS.map(nameKey));

function secretName(raw: string, extra: ReadonlySet<string>): boolean {
  const name = decode(raw);
  const keys = [nameKey(name)];
  const inner = /\[([^[\]]*)\]$/.exec(name);
  if (inner) keys.push(nameKey(inner[1]!));
  return keys.some((k) => k !== "" &&
    (NAMES.has(k) || extra.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s))));
}

/** A JWT (or JWS/JWE) somewhere in `text`: a base64url JSON header (`{"` is `eyJ`), then at
 * least two more parts. Split, not searched: a regex would backtrack on long runs. */
function jwt(text: string): boolean {
  for (const word of text.split(TOKEN_CHARS)) {
    const at = word.indexOf("eyJ");
    if (at < 0) continue;
    const parts = word.slice(at).split(".");
    if (parts.length >= 3 && parts[0]!.length > 3 && parts[1]) return true;
  }
  return false;
}

function secretText(raw: string): boolean {
  if (raw.length > LONGEST_VALUE) return true;
  const text = decode(raw);
  return (text.includes("@") && EMAIL.test(text)) || (text.includes("eyJ") && jwt(text));
}

function secretValue(raw: string, extra: ReadonlySet<string>): boolean {
  if (secretText(raw)) return true;
  for (const m of decode(raw).matchAll(NESTED_NAME)) if (secretName(m[1]!, extra)) return true;
  return false;
}

function params(text: string, extra: ReadonlySet<string>): string {
  const pieces = text.split(/([&;])/);
  for (let i = 0; i < pieces.length; i += 2) {
    const piece = pieces[i]!;
    const eq = piece.indexOf("=");
    if (eq < 0) {
      if (secretText(piece)) pieces[i] = HIDDEN;
      continue;
    }
    const name = piece.slice(0, eq);
    const value = piece.slice(eq + 1);
    if (value && (secretName(name, extra) || secretValue(value, extra))) {
      pieces[i] = `${name}=${HIDDEN}`;
    }
  }
  return pieces.join("");
}

function segment(text: string, extra: ReadonlySet<string>, afterKeyword: boolean): string {
  const semicolon = text.indexOf(";");
  let head = semicolon < 0 ? text : text.slice(0, semicolon);
  if (head && (secretText(head) || (afterKeyword && PATH_TOKEN.test(head)))) head = HIDDEN;
  return semicolon < 0 ? head : `${head};${params(text.slice(semicolon + 1), extra)}`;
}

function path(text: string, extra: ReadonlySet<string>): string {
  let afterKeyword = false;
  return text.split("/").map((s) => {
    const out = segment(s, extra, afterKeyword);
    afterKeyword ||= PATH_KEYWORDS.test(s);
    return out;
  }).join("/");
}

/** `url` with its secrets as `[hidden]`. `extra`: more parameter names to hide (a site's
 * `cobrowse.hidden_url_params`), compared as nameKey does. */
export function scrubAddress(url: string, extra: readonly string[] = []): string {
  if (!ANYTHING.test(url)) return url;
  const names = new Set(extra.map(nameKey));
  const hashAt = url.indexOf("#");
  const rest = hashAt < 0 ? url : url.slice(0, hashAt);
  const questionAt = rest.indexOf("?");
  let head = questionAt < 0 ? rest : rest.slice(0, questionAt);
  const m = AUTHORITY.exec(head);
  if (m) {
    // A user and password before the host: dropped (a placeholder there would not parse as a
    // host).
    const authority = m[2]!.slice(m[2]!.lastIndexOf("@") + 1);
    head = m[1]! + authority + path(m[3]!, names);
  } else {
    head = path(head, names);
  }
  let out = questionAt < 0 ? head : `${head}?${params(rest.slice(questionAt + 1), names)}`;
  if (hashAt >= 0) {
    const fragment = url.slice(hashAt + 1);
    const inner = fragment.indexOf("?");
    out += "#" + (inner >= 0
      ? `${path(fragment.slice(0, inner), names)}?${params(fragment.slice(inner + 1), names)}`
      : fragment.includes("=") ? params(fragment, names) : path(fragment, names));
  }
  return out;
}
