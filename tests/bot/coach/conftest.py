from __future__ import annotations

from datetime import datetime

import pytest

from bot.coach import Analysis, analyze


@pytest.fixture
def read():
    """analyze() at a fixed moment: read(text, "2026-03-06T10:00", "America/New_York")."""

    def _read(text: str, now: str = "2026-03-04T10:00", tz: str = "America/New_York") -> Analysis:
        return analyze(text, now=datetime.fromisoformat(now), tz=tz)

    return _read
