from __future__ import annotations

import pytest

from bot.slack.escape import escape, quote, truncate


@pytest.mark.parametrize(
    ("raw", "forbidden"),
    [
        ("<!channel> look", "<!channel>"),
        ("<!here|here> now", "<!here"),
        ("<!everyone>", "<!everyone>"),
        ("<!subteam^S123|sales>", "<!subteam"),
        ("hey @channel and @here and @Everyone", "@channel"),
        ("a <b> & c", "<b>"),
    ],
)
def test_nothing_escaped_can_ping_or_become_markup(raw: str, forbidden: str) -> None:
    out = escape(raw)
    assert forbidden not in out
    assert "<!" not in out


def test_broadcast_words_stay_readable() -> None:
    assert escape("@here").replace("\u2060", "") == "@here"
    assert escape("<!channel>").replace("\u2060", "") == "@channel"


def test_entities_are_escaped_once() -> None:
    assert escape("R&D <3 > you") == "R&amp;D &lt;3 &gt; you"


def test_formatting_marks_cannot_pair_up() -> None:
    out = escape("*bold* _it_ ~gone~ `code`")
    for mark in "*_~`":
        assert f"{mark}\u200b" in out
    assert out.replace("\u200b", "") == "*bold* _it_ ~gone~ `code`"


def test_single_user_and_channel_mentions_survive_links_lose_their_target() -> None:
    assert escape("ask <@U123ABC>") == "ask <@U123ABC>"
    assert escape("in <#C123|deal-acme>") == "in <#C123|deal-acme>"
    assert escape("see <https://evil.example|the deck>") == "see the deck"


def test_quote_marks_every_line_and_truncate_marks_the_cut() -> None:
    assert quote("a\nb") == "> a\n> b"
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("abc", 4) == "abc"
