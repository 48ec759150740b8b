"""The labelled corpus in data/updates/: every line checks out, and the checker catches what it should."""

from __future__ import annotations

from bot.coach.training.corpus import MIN_LINES, MIN_VOICES, load, problems_of, validate

GOOD = {
    "id": "v99-001",
    "voice": "v99",
    "text": "Call with their CFO Dana Whitfield Thursday at 3 about the 40k write-offs.",
    "now": "2026-03-04T10:00",
    "tz": "America/New_York",
    "signals": ["customer_value", "meeting", "stakeholder"],
    "stakeholders": ["CFO Dana Whitfield"],
    "meeting_at": "2026-03-05T15:00:00-05:00",
    "facts": ["40k write-offs"],
    "reply": "praise",
}


def test_every_line_of_the_corpus_checks_out() -> None:
    rows = load()
    assert validate(rows) == []
    assert len(rows) >= MIN_LINES and len({row["voice"] for row in rows}) >= MIN_VOICES


def test_a_good_line_has_no_problems() -> None:
    assert problems_of(GOOD) == []


def test_the_checker_catches_bad_lines() -> None:
    cases = {
        "not an exact substring": {"stakeholders": ["Dana"], "text": "Call with their cfo dana."},
        "chatter is not alone": {"signals": ["chatter", "meeting"], "reply": "none"},
        "stakeholders are listed": {"signals": ["customer_value", "meeting"]},
        "rule gives": {"reply": "question"},
        "not after now": {"meeting_at": "2026-03-04T09:00:00-05:00"},
        "no offset": {"meeting_at": "2026-03-05T15:00:00"},
        "unknown signals": {"signals": ["customer_value", "meeting", "stakeholder", "happy"]},
        "missing": {"voice": None},
    }
    for expected, change in cases.items():
        row = {**GOOD, **change}
        if change.get("voice", 1) is None:
            del row["voice"]
        found = problems_of(row)
        assert any(expected in problem for problem in found), (expected, found)


def test_too_few_lines_or_voices_are_reported() -> None:
    found = validate([GOOD, {**GOOD, "id": "v99-001"}])
    assert any("fewer than" in p and "lines" in p for p in found)
    assert any("voices" in p for p in found)
    assert any("more than once" in p for p in found)
