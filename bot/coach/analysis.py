"""One message in, one Analysis out: signals, buyer-side stakeholders and the meeting time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bot.coach import lexicon as lx
from bot.coach.gate import SEPARATOR, Gate, Lexicon, any_sentence, matches, stems_of, words_in
from bot.coach.lexicon import phrases
from bot.coach.markup import strip_markup
from bot.coach.meeting import LEXICONS as MEETING_LEXICONS
from bot.coach.meeting import internal_in, meeting_in, meeting_time
from bot.coach.model import Analysis
from bot.coach.stakeholders import stakeholders_in
from bot.coach.when import local_now

# Not after "a.m." / "p.m." or a title ("Dr.", "Mrs.", "Sra.", "Prof."), where a sentence seldom ends. The
# lookbehinds follow the mark they look back from, so the engine can skip straight to a mark.
_SENTENCE_END = re.compile(
    r"[.!?](?<![ap]\.m.)(?<!\b[DMS]r.)(?<!\bM[sx].)(?<!\bMrs.)(?<!\bSra.)(?<!\bMme.)(?<!\bProf.)(?<!\bMdm.)\s+"
)
_BULLET = re.compile(r"^(?:[•>*\-]|\d+[.)])\s*")
_BULLET_START = frozenset("•>*-0123456789")
# Not a deal update: chatter words, and words that say the buyer or the deal is the subject after all.
_CHATTER = Lexicon(
    *phrases(
        *("thanks", "thank you", "thx", "ty", "lol", "haha", "hahaha", "lmao", "welcome", "lunch", "coffee"),
        *("cold brew", "pizza", "ooo", "out of office", "brb", "fire drill", "parking", "expense", "holiday"),
        *("happy friday", "happy monday", "happy birthday", "congrats", "anyone know", "anyone need"),
        *("anyone have", "anyone want", "everyone", "in case anyone", "sharing", "template", "reminder"),
        *("add me", "access", "on a flight", "slow to respond", "dentist", "doctor", "sick", "office is"),
        *("wifi", "printer", "calendar invite for the team", "for reference", "dropping the", "fyi all"),
        *("canteen", "cafeteria", "samosa", "samosas", "snacks", "cake", "donuts", "doughnuts", "happy hour"),
        *("potluck", "hey all", "hi all", "hey team", "hi team", "morning all", "confluence"),
    ),
)
_BUYER = Lexicon(
    *phrases(
        *("they", "them", "their", "theirs", "client", "customer", "prospect", "buyer", "account", "deal"),
        *("contract", "proposal", "po", "msa", "sow", "nda", "rfp", "rfi", "quote", "order form", "procurement"),
        *("supplier", "vendor", "pilot", "poc", "renewal", "legal", "redline", "redlines", "sign", "signed"),
        *("signature", "inked", "close", "closed", "quota", "pricing", "price", "discount", "budget", "approval"),
        *("rollout", "implementation", "onboarding", "champion", "stakeholder", "stakeholders", "security"),
        *("compliance", "competitor", "incumbent", "tender", "bid", "submission", "opp", "opportunity", "stage"),
        *("terms", "payment", "approved", "questionnaire", "dpa", "invoice", "paperwork"),
    ),
)
_WORDS = re.compile(r"[A-Za-z]{2,}")
# ~struck-out~ text is what the writer took back ("~Thu 3pm~ Fri 10am"): not read at all.
_STRUCK = re.compile(r"(?<![\w~])~(?=\S)[^~\n]*?(?<=\S)~(?![\w~])")


def split_sentences(text: str) -> list[str]:
    """Lines, split again after . ! or ? followed by a space; stripped of bullets and surrounding space."""
    parts: list[str] = []
    for line in text.split("\n") if "\n" in text else (text,):
        start = 0
        for end in _SENTENCE_END.finditer(line):
            parts.append(line[start : end.start() + 1].strip())
            start = end.end()
        parts.append(line[start:].strip())
    parts = [_BULLET.sub("", part).strip() if part and part[0] in _BULLET_START else part for part in parts]
    return [part for part in parts if part]


# Each signal's patterns and the veto that cancels them within a sentence, in one gate (see gate.py).
_LEXICONS = (
    ("seller_pressure", lx.SELLER_PRESSURE, lx.CALM),
    ("self_pitch", lx.SELF_PITCH, lx.NO_PITCH),
    ("customer_value", lx.CUSTOMER_VALUE, lx.NO_VALUE),
    ("stall", lx.STALL, lx.STALL_HYPOTHETICAL),
    ("objection", lx.OBJECTION, lx.NO_OBJECTION),
    ("lost", lx.LOST, lx.NO_WON),
    ("won", lx.WON, lx.NO_WON),
)
_GATE = Gate(*(lexicon for _, pattern, veto in _LEXICONS for lexicon in (pattern, veto)), *MEETING_LEXICONS)
_MEETING_AT = 2 * len(_LEXICONS)  # where MEETING_LEXICONS start in _GATE


def detect(
    sentences: list[str], now: datetime, text: str | None = None
) -> tuple[set[str], datetime | None, frozenset[str], frozenset[str]]:
    """The signals in a message's sentences, its meeting time, its word stems (see gate.stems) and its words
    (gate.words_in: the same as facts.words_of of the message, whose letters the sentences all keep). `text`
    is the sentences joined by SEPARATOR, if already joined."""
    text = SEPARATOR.join(sentences) if text is None else text
    lowered = text.lower()
    words = words_in(lowered)
    keys = stems_of(words, lowered)
    active = _GATE.active(keys)
    pairs: list[tuple[str, str]] = []

    signals: set[str] = set()
    for slot, (signal, _, _) in enumerate(_LEXICONS):
        patterns, vetoes = active.get(2 * slot), active.get(2 * slot + 1)
        if not patterns or (signal == "won" and "lost" in signals):
            continue
        found = matches(patterns, text, lowered)
        if found and vetoes and matches(vetoes, text, lowered):  # then only where the veto does not reach
            pairs = pairs or [(s, s.lower()) for s in sentences]
            found = any_sentence(patterns, vetoes, pairs)
        if found:
            signals.add(signal)
    has_meeting, meeting_at = meeting_in(sentences, now, keys, active, _MEETING_AT, lowered)
    if has_meeting:
        signals.add("meeting")
    return signals, meeting_at, keys, words


@dataclass(frozen=True, slots=True)
class RuleReading:
    """What the hand-written rules read in one message; the learned model takes it as features."""

    plain: str
    sentences: list[str]
    signals: frozenset[str]  # without stakeholder and chatter
    meeting_at: datetime | None
    chatter: bool  # the rules' own chatter test: no signal and no buyer words, or chatter words
    people: tuple[str, ...]  # the rules' stakeholders (closed first-name list and role patterns)
    wordless: bool  # no word at all (emoji, a link): chatter whatever else
    cues: frozenset[str] = frozenset()  # "buyer", "chatty", "internal": the chatter test's own evidence
    # The message's words as facts.words_of reads them, read once here for the facts (not part of the reading).
    words: frozenset[str] = field(default=frozenset(), repr=False, compare=False)


def read_rules(text: str, now: datetime) -> RuleReading:
    """The rules' reading of a message; `now` is aware, in the poster's zone."""
    plain = strip_markup(_STRUCK.sub("", text) if "~" in text else text)
    if not _WORDS.search(plain):
        return RuleReading(plain, [], frozenset(), None, True, (), True)
    sentences = split_sentences(plain)
    joined = SEPARATOR.join(sentences)
    signals, _, keys, words = detect(sentences, now, joined)
    meeting_at = meeting_time(sentences, now, keys, joined.lower())
    people = stakeholders_in(plain, keys)
    named = signals | {"stakeholder"} if people else signals
    lowered = plain.lower()
    buyer = _BUYER.search(plain, lowered, keys)
    chatty = _CHATTER.search(plain, lowered, keys)
    internal = internal_in(sentences, keys)
    chatter = _is_chatter(named, buyer, chatty, internal)
    cues = [cue for cue, found in (("buyer", buyer), ("chatty", chatty), ("internal", any(internal))) if found]
    return RuleReading(plain, sentences, frozenset(signals), meeting_at, chatter, people, False, frozenset(cues), words)


def analyze_rules(text: str, *, now: datetime, tz: str) -> Analysis:
    """The rules alone, as the engine read messages before it learned (kept as a baseline)."""
    reading = read_rules(text, local_now(now, tz))
    if reading.chatter:
        return Analysis(frozenset({"chatter"}))
    signals = reading.signals | {"stakeholder"} if reading.people else reading.signals
    meeting_at = reading.meeting_at if "meeting" in signals else None
    return Analysis(frozenset(signals), reading.people, meeting_at)


def _is_chatter(signals: set[str], buyer: bool, chatty: bool, internal: list[bool]) -> bool:
    """The rules' chatter test, from the message's signals, whether it has buyer words and chatter words, and
    which of its sentences are about an internal meeting."""
    if signals - {"stakeholder"}:
        return False
    if chatty:
        return not (signals and buyer)
    if signals:  # a buyer-side person named: a deal update
        return False
    if all(internal):
        return True
    return not buyer
