from __future__ import annotations

import pytest

from bot.slack.lenses import split_tag


@pytest.mark.parametrize(
    ("text", "lens", "rest"),
    [
        ("#driver Dana wants a promotion", "personal_driver", "Dana wants a promotion"),
        ("late fees monthly #COST", "cost_of_inaction", "late fees monthly"),
        ("#fit", "alignment", ""),
        ("no tag here", None, "no tag here"),
        ("#unknown stays", None, "#unknown stays"),
        ("mid #prep tag stays", None, "mid #prep tag stays"),
    ],
)
def test_split_tag(text: str, lens: str | None, rest: str) -> None:
    assert split_tag(text) == (lens, rest)
