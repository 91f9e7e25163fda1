"""Secrets in page addresses are hidden by the rules the widget shares
(tests/fixtures/page_addresses.json: the same name lists, the same cases)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from signaling.addresses import HIDDEN, SECRET_PARAMS, SECRET_SUFFIXES, name_key, scrub_address

SHARED: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "page_addresses.json").read_text())
CASES: list[dict[str, Any]] = SHARED["cases"]


def test_the_server_hides_the_same_names_as_the_widget() -> None:
    assert list(SECRET_PARAMS) == SHARED["secret_params"]
    assert list(SECRET_SUFFIXES) == SHARED["secret_suffixes"]


@pytest.mark.parametrize("case", CASES, ids=[c["what"] for c in CASES])
def test_the_shared_cases(case: dict[str, Any]) -> None:
    assert scrub_address(case["url"], case.get("extra", ())) == case["scrubbed"]


def test_the_cases_cover_both_outcomes() -> None:
    hidden = [c for c in CASES if c["scrubbed"] != c["url"]]
    assert hidden and len(hidden) < len(CASES)
    # (A user and password before the host are dropped, not replaced.)
    assert all(HIDDEN in c["scrubbed"] or "@" in c["url"].split("/")[2] for c in hidden)


def test_every_built_in_name_is_hidden_whatever_its_case() -> None:
    for name in SECRET_PARAMS:
        for written in (name, name.upper(), name.title()):
            url = f"https://shop.example/p?utm_source=mail&{written}=s3cr3t#x"
            assert scrub_address(url) == f"https://shop.example/p?utm_source=mail&{written}={HIDDEN}#x"


def test_names_compare_without_case_dashes_underscores_or_dots() -> None:
    assert name_key("X-Amz-Signature") == name_key("x_amz_signature") == name_key("xAmz.Signature")

