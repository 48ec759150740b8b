"""The engine's shortcuts read exactly as the plain ways they replace: each checked against that plain way on
every labelled message, its variants and shuffled words."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime
from itertools import repeat
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.coach import clauses, cues, facts, when
from bot.coach.analysis import read_rules, split_sentences
from bot.coach.features import message_words
from bot.coach.gate import SEPARATOR, stems, stems_of, words_in
from bot.coach.learned import Learned, _unpack
from bot.coach.markup import strip_markup
from bot.coach.meeting import meeting_time
from bot.coach.tokens import tokenize

HERE = Path(__file__).resolve().parent
SETS = [HERE / "fresh.jsonl", HERE.parents[2] / ".." / "shared" / "eval" / "dev.jsonl"]
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("America/New_York"))


def _texts() -> list[str]:
    texts = [
        strip_markup(json.loads(line)["text"])
        for path in SETS
        if path.exists()
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    rng = random.Random(11)
    words = " ".join(texts).split()
    shuffled = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    odd = ["", "?!", "$%", "... !! ??", "a . . b", "İstanbul ſo ı K", "x.y.z 3pm@4 @5 _7 a las 5", "xtoday 5th"]
    variants = [t.upper() for t in texts] + [t.lower() for t in texts] + [t.replace(". ", ".\n- ") for t in texts]
    return texts + variants + shuffled + odd


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = _texts()
    if len(found) < 100:
        pytest.skip("no labelled messages found")
    return found


def test_the_signal_model_sums_what_message_words_reads(texts: list[str]) -> None:
    model = Learned.load().signals
    get = model._packed.get
    for text in texts:
        tokens = [token for token, _, _ in tokenize(text)]
        words, pairs = message_words(tokens)
        total = model._packed_bias + sum(get("w:" + word, 0) for word in words)
        total += sum(map(get, pairs, repeat(0))) + sum(map(get, ["r:none", "m:short"], repeat(0)))
        assert model.scores(tokens, ["r:none", "m:short"]) == _unpack(total, len(model.labels)), text
        assert model.scores(iter(tokens), []) == model.scores(tokens, [])


_TRIM_TAIL = re.compile(  # what clause() trimmed a phrase's tail with before
    r"(?:\s+(?:and|or|the|a|an|to|of|for|with|on|in|at|by|from|their|our|my|his|her|is|are|was|were|be|"
    r"just|still|now|too|which|that|it|so|like|very|really|per|where|what|how|who|when|if|up|out|before|after|"
    r"until|till|once))+$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"\.(?!\d)|[;!?\n:()\[\]\"“”]|\s[-–—]\s|,\s|\s&\s|\s\+\s|$")


def test_a_phrase_is_trimmed_and_ended_as_before(texts: list[str]) -> None:
    extra = ["the plan for the", "THE PLAN FOR THE", "ſo the ſo", "and and", "x ıs", "it's up to the"]
    for text in [*texts, *extra]:
        words = text.split()
        for cut in range(1, min(len(words), 9) + 1):
            joined = " ".join(words[:cut])
            kept = cut
            while kept > 1 and clauses._tail_word(words[kept - 1]):
                kept -= 1
            assert " ".join(words[:kept]) == _TRIM_TAIL.sub("", joined), joined
        for start in range(0, len(text) + 1, 7):
            found = _CLAUSE_END.search(text, start)
            mine = clauses._CLAUSE_END.search(text, start)
            assert (mine.start() if mine else len(text)) == (found.start() if found else len(text))


def test_words_and_stems_are_read_once_alike(texts: list[str]) -> None:
    for text in texts:
        joined = SEPARATOR.join(split_sentences(text)).lower()
        assert words_in(joined) == facts.words_of(text)
        assert stems_of(words_in(joined), joined) == stems(joined)


def test_the_rules_hand_the_facts_the_words_they_would_read(texts: list[str]) -> None:
    for text in texts:
        rules = read_rules(text, NOW)
        if not rules.wordless:
            assert rules.words == facts.words_of(rules.plain), text


def test_trigger_words_are_found_once_for_every_cue(texts: list[str]) -> None:
    for text in texts:
        words = facts.words_of(text)
        expected = {name: clauses.word_positions(text, trigger & words) for name, trigger in cues.TRIGGERS.items()}
        assert facts._near(text, words) == expected


def _clock_matches_plainly(lowered: str) -> list[tuple[int, int]]:
    """_clock_matches as it read before: the unbounded start scan, with the word boundary checked here."""
    plain = re.compile(when._grouped(r"\d|@|half|quarter|at|around|alle|a las|noon|midday|midnight"))
    found, resume = [], 0
    for start in plain.finditer(lowered):
        at = start.start()
        if at < resume or (at and lowered[at] != "@" and (lowered[at - 1].isalnum() or lowered[at - 1] == "_")):
            continue
        match = when._TIME_LOWER.match(lowered, at)
        if match is not None:
            resume = match.end()
            found.append(match.span())
    return found


def test_clock_times_start_where_they_did(texts: list[str]) -> None:
    rng = random.Random(3)
    pieces = ["at", "3", "@", "a las", "half", "2", "x", "pm", " ", "noon", "_", "-", "quarter", "5:30", "ish"]
    fuzz = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for text in [*texts, *fuzz]:
        lowered = text.lower()
        assert [m.span() for m in when._clock_matches(lowered)] == _clock_matches_plainly(lowered), text


def test_a_message_without_a_timeish_word_has_no_meeting_time(texts: list[str]) -> None:
    for text in texts:
        sentences = split_sentences(text)
        whole = SEPARATOR.join(sentences).lower()
        assert meeting_time(sentences, NOW, None, whole) == meeting_time(sentences, NOW), text


def _every_lens_question(analysis, state, salt):  # type: ignore[no-untyped-def]
    """choose_question as it read before: every lens the message calls for worded, then the first grounded."""
    from bot.coach import lens_choice
    from bot.coach.model import Question
    from bot.coach.questions import _stakeholder, flags_of, pick, usable, values_of

    flags = flags_of(analysis)
    recent = state.recent_questions[-5:]
    choices = lens_choice.message_choices(analysis, state)
    fallback = lens_choice.choose(analysis, state, gaps_only=True) if state.muted_lenses else None
    if fallback is None or fallback.lens not in state.muted_lenses:
        choices = [c for c in choices if c.lens not in state.muted_lenses]
    candidates = []
    for choice in choices:
        values = values_of(analysis.facts, choice.person, state.name, choice.lens)
        picked = pick(usable(choice.lens, values, flags), values, recent, salt=salt, lens=choice.lens)
        if picked is None:
            continue
        specific = picked[1] - 2 * bool(choice.person)
        if not specific and choice.lens in state.noted_lenses:
            continue
        candidates.append((choice, picked[0], specific))
    grounded = next((c for c in candidates if c[2]), None)
    if grounded or candidates:
        choice, text, _ = grounded or candidates[0]
        return Question(choice.lens, text, stakeholder=_stakeholder(choice))
    return None


def test_the_first_lens_that_hands_a_fact_back_is_asked_as_before() -> None:
    from bot.coach import DealState, analyze, choose_question

    states = [
        DealState(name="Acme"),
        DealState(
            name="Acme",
            noted_lenses=frozenset({"wiift", "cost_of_inaction"}),
            muted_lenses=frozenset({"alignment"}),
            recent_questions=("What would it cost them to wait?", "Whose timeline is this?"),
        ),
    ]
    rows = [json.loads(line) for path in SETS if path.exists() for line in path.read_text().splitlines() if line]
    for row in rows:
        analysis = analyze(row["text"], now=datetime.fromisoformat(row["now"]), tz=row["tz"])
        for state in states:
            expected = _every_lens_question(analysis, state, row["id"])
            if expected is not None:
                assert choose_question(analysis, state, salt=row["id"]) == expected, row["id"]
