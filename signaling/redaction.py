"""Card numbers written in a chat are masked before anything stores or forwards them.

The widget masks them in the shopper's browser already (`cobrowse_js/src/redact.ts`, the same
rules and the same test cases: `tests/fixtures/card_numbers.json`); the server does it again for
every other writer: agents, older widgets, scripts calling the API.

A card number is a run of 13-19 digits, optionally grouped by spaces, hyphens or dots, that
starts like a card scheme's numbers (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay,
Maestro), has that scheme's length, and passes the Luhn check. It becomes `•••• 1234` (its last
four digits, which PCI DSS lets anyone see), and the digits written right after it in the same
run (the expiry date and the security code, typically) become `•`. Order numbers, phone numbers
and parcel numbers are left alone unless they look like a card number by all three tests.
"""

from __future__ import annotations

import re

# A run of at least 13 digits, grouped by up to three spaces, hyphens, dots, slashes (an
# expiry written right after the number, 12/29) or line breaks.
_RUN = re.compile(r"(?<![0-9])[0-9](?:[ \t\n\u00a0./-]{0,3}[0-9]){12,}(?![0-9])")
_GROUP = re.compile(r"[0-9]+")

MASK = "•"

# (first digits: an inclusive range of prefixes of one length, card lengths)
_SCHEMES: tuple[tuple[int, int, frozenset[int]], ...] = tuple(
    (lo, hi, frozenset(lengths)) for lo, hi, lengths in (
        (4, 4, (13, 16, 19)),                    # Visa
        (51, 55, (16,)), (2221, 2720, (16,)),    # Mastercard
        (34, 34, (15,)), (37, 37, (15,)),        # American Express
        (6011, 6011, range(16, 20)), (644, 649, range(16, 20)), (65, 65, range(16, 20)),
        (3528, 3589, range(16, 20)),             # JCB
        (300, 305, range(14, 20)), (36, 36, range(14, 20)), (38, 39, range(14, 20)),  # Diners
        (62, 62, range(16, 20)),                 # UnionPay
        (50, 50, range(13, 20)), (56, 58, range(13, 20)), (63, 63, range(13, 20)),
        (67, 67, range(13, 20)),                 # Maestro
    ))


def _scheme_fits(digits: str) -> bool:
    for lo, hi, lengths in _SCHEMES:
        width = len(str(lo))
        if len(digits) in lengths and lo <= int(digits[:width]) <= hi:
            return True
    return False


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def is_card_number(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and _scheme_fits(digits) and _luhn(digits)


def _find_card(groups: list[str]) -> tuple[int, int] | None:
    """Where in the run's digits (start, end) a card number lies: it starts at a group and
    ends at one, or lies within one long group."""
    digits = "".join(groups)
    starts, ends, at = [], set(), 0
    for g in groups:
        starts.append((at, len(g)))
        at += len(g)
        ends.add(at)
    for start, first_len in starts:
        for length in range(19, 12, -1):
            end = start + length
            if end > len(digits) or (end not in ends and length > first_len):
                continue
            if is_card_number(digits[start:end]):
                return start, end
    return None


def _mask_run(match: re.Match[str]) -> str:
    run = match.group(0)
    groups = _GROUP.findall(run)
    found = _find_card(groups)
    if found is None:
        return run
    start, end = found
    digits = "".join(groups)
    last4 = digits[end - 4:end]
    out: list[str] = []
    seen = 0  # digits of the run written so far
    for ch in run:
        if not ch.isdigit():
            if seen <= start or seen >= end:
                out.append(ch)
            continue
        if seen < start:
            out.append(ch)
        elif seen == start:
            out.append(f"{MASK * 4} {last4}")
        elif seen >= end:
            out.append(MASK)
        seen += 1
    return "".join(out)


def redact_card_numbers(text: str) -> str:
    """`text` with every card number in it masked (the same object when there is none)."""
    if len(text) < 13:
        return text
    return _RUN.sub(_mask_run, text)
