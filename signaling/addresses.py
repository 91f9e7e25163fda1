"""Secrets in page addresses are hidden before a page view, a chat's start page or a co-browse
gap's page is stored: password-reset and magic-login tokens, OAuth fragments, session ids,
signed-URL signatures, e-mail addresses.

The widget scrubs addresses in the shopper's browser already (`cobrowse_js/src/address.ts`, the
same lists and the same test cases: `tests/fixtures/page_addresses.json`), adding the names a
site lists (`cobrowse.hidden_url_params`); the server does it again with the built-in lists for
older widgets and forged clients. Co-browse batches are stored as sent: only the addresses the
server reads from them are scrubbed here.

What is hidden (the value becomes `[hidden]`; the name, the path and other parameters stay, so
agents still see where the shopper is), in the query, in a fragment's parameters (`#a=b&c=d`,
`#/route?a=b`) and in `;` path parameters:
- a parameter whose name, compared without case, `-`, `_` or `.`, is in SECRET_PARAMS, ends with
  one of SECRET_SUFFIXES, or is such a name in brackets (`user[password]`);
- a value holding an e-mail address, a JWT, or a nested query with such a name (a `next=`
  address);
- a bare parameter or a path segment that is an e-mail address or a JWT; after a path segment
  naming what such links do (`reset`, `password`, `activate`, `confirm`, `verify`, `magic`,
  `login`, `signin`, `invite`, `unsubscribe`, `token`), every later segment of 8 characters or
  more with both letters and digits (Django's `/reset/<uid>/<token>/`, Laravel's
  `/reset-password/<token>`, Shopify's `/account/reset/<id>/<token>`);
- a value longer than LONGEST_VALUE, whole (nothing that long is worth reading, and checking it
  would cost the page's time);
- a user and password before the host are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection

HIDDEN = "[hidden]"

# Exact names (compared by name_key): whatever their value, it never leaves the browser.
SECRET_PARAMS: tuple[str, ...] = (
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
)
# Name endings (compared by name_key): `reset_token`, `csrfToken`, `newPassword`, `urlSignature`.
SECRET_SUFFIXES: tuple[str, ...] = (
    "token", "secret", "password", "passwd", "signature", "sessionid", "sessid",
)

# Cheap test first: nothing can be hidden in an address without one of these.
LONGEST_VALUE = 8192

# What a path says before a token in it (compared without case).
_KEYWORDS = r"reset|passw|activat|confirm|verif|magic|login|signin|invit|unsubscrib|token"
_PATH_KEYWORDS = re.compile(_KEYWORDS, re.I)
_PATH_TOKEN = re.compile(r"^(?=.*[A-Za-z])(?=.*[0-9]).{8,}$", re.S)
_ANYTHING = re.compile(r"[?#@;]|%40|eyJ|" + _KEYWORDS, re.I)
_AUTHORITY = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/]*)([\s\S]*)$")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_SEPARATORS = re.compile(r"([&;])")
# (Spelled out: Python's \s and JavaScript's differ beyond ASCII.)
_IGNORED_IN_NAMES = re.compile(r"[-_. \t\n\r\f\v]")
_BRACKETED = re.compile(r"\[([^\[\]]*)\]$")
# Bounded, so that a long value costs linear time (RFC 5321's limits: 64 before the @, labels
# of 63).
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
                    r"\.[A-Za-z]{2,24}")
# A JWT (or JWS/JWE): a base64url JSON header (`{"` is `eyJ`), then at least two more parts.
_TOKEN_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
# A parameter name inside a value (`next=/reset?token=…`).
_NESTED_NAME = re.compile(r"(?:^|[?&#;])([^?&#;=]+)=")


def _unescape(match: re.Match[str]) -> str:
    run = match.group()
    try:
        return bytes.fromhex(run.replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return run  # as the widget does: what is not UTF-8 stays escaped


def _decode(text: str) -> str:
    """Form decoding that never fails (`+` is a space; escapes that are not UTF-8 stay)."""
    return _ESCAPES.sub(_unescape, text.replace("+", " "))


def name_key(name: str) -> str:
    """A parameter name as the lists compare it: `X-Amz-Signature`, `x_amz_signature` and
    `xAmzSignature` are one name."""
    return _IGNORED_IN_NAMES.sub("", name.lower())


_NAMES = frozenset(name_key(n) for n in SECRET_PARAMS)


def _secret_name(raw: str, extra: Collection[str]) -> bool:
    name = _decode(raw)
    keys = [name_key(name)]
    if inner := _BRACKETED.search(name):
        keys.append(name_key(inner.group(1)))
    return any(k and (k in _NAMES or k in extra or k.endswith(SECRET_SUFFIXES)) for k in keys)


def _jwt(text: str) -> bool:
    """A JWT somewhere in `text` (split, not searched: a regex would backtrack on long runs)."""
    for word in _TOKEN_CHARS.split(text):
        at = word.find("eyJ")
        parts = word[at:].split(".") if at >= 0 else []
        if len(parts) >= 3 and len(parts[0]) > 3 and parts[1]:
            return True
    return False


def _secret_text(raw: str) -> bool:
    if len(raw) > LONGEST_VALUE:
        return True
    text = _decode(raw)
    return bool(("@" in text and _EMAIL.search(text)) or ("eyJ" in text and _jwt(text)))


def _secret_value(raw: str, extra: Collection[str]) -> bool:
    if _secret_text(raw):
        return True
    return any(_secret_name(m.group(1), extra) for m in _NESTED_NAME.finditer(_decode(raw)))


def _params(text: str, extra: Collection[str]) -> str:
    pieces = _SEPARATORS.split(text)
    for i in range(0, len(pieces), 2):
        piece = pieces[i]
        name, eq, value = piece.partition("=")
        if not eq:
            if _secret_text(piece):
                pieces[i] = HIDDEN
        elif value and (_secret_name(name, extra) or _secret_value(value, extra)):
            pieces[i] = f"{name}={HIDDEN}"
    return "".join(pieces)


def _segment(segment: str, extra: Collection[str], after_keyword: bool) -> str:
    head, semicolon, params = segment.partition(";")
    if head and (_secret_text(head) or (after_keyword and _PATH_TOKEN.match(head))):
        head = HIDDEN
    return head + (semicolon + _params(params, extra) if semicolon else "")


def _path(path: str, extra: Collection[str]) -> str:
    out = []
    after_keyword = False
    for segment in path.split("/"):
        out.append(_segment(segment, extra, after_keyword))
        after_keyword = after_keyword or bool(_PATH_KEYWORDS.search(segment))
    return "/".join(out)


def scrub_address(url: str, extra: Collection[str] = ()) -> str:
    """`url` with its secrets as `[hidden]`. `extra`: more parameter names to hide (a site's),
    compared as name_key does."""
    if not _ANYTHING.search(url):
        return url
    extra = {name_key(n) for n in extra}
    rest, hash_mark, fragment = url.partition("#")
    head, question, query = rest.partition("?")
    if m := _AUTHORITY.match(head):
        scheme, authority, path = m.groups()
        # A user and password before the host: dropped (a placeholder there would not parse
        # as a host).
        authority = authority[authority.rfind("@") + 1:]
        head = scheme + authority + _path(path, extra)
    else:
        head = _path(head, extra)
    out = head + (question + _params(query, extra) if question else "")
    if hash_mark:
        route, inner, params = fragment.partition("?")
        if inner:
            fragment = _path(route, extra) + "?" + _params(params, extra)
        elif "=" in fragment:
            fragment = _params(fragment, extra)
        else:
            fragment = _path(fragment, extra)
        out += "#" + fragment
    return out
