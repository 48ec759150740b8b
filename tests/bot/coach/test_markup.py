from __future__ import annotations

import pytest

from bot.coach import strip_markup


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("thanks <@U05KQ2M9T> for that", "thanks for that"),
        ("ask <@U05KQ2M9T|maria> first", "ask maria first"),
        ("see <#C05HX2LQA|deal-stratus>", "see #deal-stratus"),
        ("the <https://x.example.com/r|recording> is up", "the recording is up"),
        ("bare <https://x.example.com/r> link", "bare link"),
        ("<!here> call moved", "call moved"),
        ("*Status*: _stalled_ ~maybe~ `code`", "Status: stalled maybe code"),
        ("DocuSign completed :white_check_mark: :+1::skin-tone-2:", "DocuSign completed"),
        ("R&amp;D &lt;3 &gt; ops", "R&D <3 > ops"),
        ("Friday at 9:30am: Ruth", "Friday at 9:30am: Ruth"),
        ("snake_case_name stays", "snake_case_name stays"),
        (":joy::joy:", ""),
    ],
)
def test_strip_markup(raw: str, plain: str) -> None:
    assert strip_markup(raw) == plain


def test_strip_markup_keeps_lines() -> None:
    assert strip_markup("*Pain*: manual\n*Next*:  call") == "Pain: manual\nNext: call"
