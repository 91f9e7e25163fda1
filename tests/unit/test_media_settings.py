"""media/settings.py: settings that would make the media plane spin are refused at start."""

from __future__ import annotations

import pytest

from media.settings import MediaSettings


@pytest.mark.parametrize("bad", [{"ice_consent_interval_s": 0}, {"ice_consent_interval_s": -1},
                                 {"ice_consent_failures": 0}])
def test_consent_checks_need_a_delay_and_a_count(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="ICE consent"):
        MediaSettings(**bad)  # type: ignore[arg-type]
    assert MediaSettings().ice_consent_interval_s > 0
