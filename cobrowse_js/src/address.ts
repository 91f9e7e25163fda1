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

// Cheap test first: nothing can be hidden in an address without one of these.
const ANYTHING = /[?#@;]|%40|eyJ/;
const AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/]*)([\s\S]*)$/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
// A JWT (or JWS/JWE): a base64url JSON header (`{"` is `eyJ`), then at least two more parts.
const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./;
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
  return name.toLowerCase().replace(/[-_.\s]/g, "");
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

function secretText(raw: string): boolean {
  const text = decode(raw);
  return EMAIL.test(text) || JWT.test(text);
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

function segment(text: string, extra: ReadonlySet<string>): string {
  const semicolon = text.indexOf(";");
  let head = semicolon < 0 ? text : text.slice(0, semicolon);
  if (head && secretText(head)) head = HIDDEN;
  return semicolon < 0 ? head : `${head};${params(text.slice(semicolon + 1), extra)}`;
}

function path(text: string, extra: ReadonlySet<string>): string {
  return text.split("/").map((s) => segment(s, extra)).join("/");
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
    let authority = m[2]!;
    const at = authority.lastIndexOf("@");
    if (at >= 0) authority = HIDDEN + authority.slice(at);
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
