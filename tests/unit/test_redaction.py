"""Card numbers are masked by the rules the widget shares (tests/fixtures/card_numbers.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from signaling.redaction import is_card_number, redact_card_numbers

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "card_numbers.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["what"] for c in CASES])
def test_the_shared_cases(case: dict[str, Any]) -> None:
    assert redact_card_numbers(case["text"]) == case["redacted"]


def test_the_cases_cover_both_outcomes() -> None:
    masked = [c for c in CASES if c["redacted"] != c["text"]]
    assert masked and len(masked) < len(CASES)
    assert all("•••• " in c["redacted"] for c in masked)


def test_every_test_card_of_the_schemes_is_recognised_and_a_changed_digit_is_not() -> None:
    for number in ("4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222",
                   "378282246310005", "6011111111111117", "3056930009020004", "36227206271667",
                   "3566002020360505", "6200000000000005", "4222222222222"):
        assert is_card_number(number), number
        last = str((int(number[-1]) + 1) % 10)
        assert not is_card_number(number[:-1] + last), number


def test_a_long_run_of_single_digits_is_left_alone() -> None:
    # Two thousand groups: every start is tried (each a prefix check first).
    text = "1 " * 1999 + "1"
    assert redact_card_numbers(text) == text
