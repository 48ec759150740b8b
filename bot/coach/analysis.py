"""One message in, one Analysis out: signals, buyer-side stakeholders and the meeting time."""

from __future__ import annotations

import re
from datetime import datetime

from bot.coach import lexicon as lx
from bot.coach.gate import Lexicon, any_sentence, prefixes
from bot.coach.markup import strip_markup
from bot.coach.meeting import is_internal, meeting_in
from bot.coach.model import Analysis
from bot.coach.stakeholders import stakeholders_in
from bot.coach.when import local_now

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*")
_BULLET = re.compile(r"^(?:[•>*\-]|\d+[.)])\s*")
_CHATTER = re.compile(
    r"\b(?:thanks|thank you|thx|ty|lol|haha|hahaha|lmao|welcome|lunch|coffee|cold brew|pizza|ooo|out of office|"
    r"brb|fire drill|parking|expense|holiday|happy (?:friday|monday|birthday)|congrats|anyone know|"
    r"anyone (?:need|have|want)|everyone|in case anyone|sharing|template|reminder|add me|access|on a flight|"
    r"slow to respond|dentist|doctor|sick|office is|wifi|printer|calendar invite for the team|for reference|"
    r"dropping the|fyi all)\b",
    re.IGNORECASE,
)
_BUYER = re.compile(
    r"\b(?:they|them|their|theirs|client|customer|prospect|buyer|account|deal|contract|proposal|po|msa|"
    r"sow|nda|rfp|rfi|quote|order form|procurement|supplier|vendor|pilot|poc|renewal|legal|redlines?|"
    r"sign|signed|signature|inked|close|closed|quota|pricing|price|discount|budget|approval|rollout|"
    r"implementation|onboarding|champion|stakeholders?|security|compliance|competitor|incumbent)\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[A-Za-z]{2,}")


def split_sentences(text: str) -> list[str]:
    parts = (_BULLET.sub("", part).strip() for part in _SENTENCE.split(text))
    return [part for part in parts if part]


def detect(sentences: list[str], now: datetime) -> tuple[set[str], datetime | None]:
    lowered = [s.lower() for s in sentences]
    words = prefixes(" ".join(lowered))

    pairs = list(zip(sentences, lowered, strict=True))

    def _kept(pattern: Lexicon, veto: Lexicon) -> bool:
        """Pattern found in a sentence that the veto pattern does not cover."""
        active = pattern.active(words)
        return bool(active) and any_sentence(active, veto.active(words), pairs)

    signals: set[str] = set()
    if _kept(lx.SELLER_PRESSURE, lx.CALM):
        signals.add("seller_pressure")
    if _kept(lx.SELF_PITCH, lx.NO_PITCH):
        signals.add("self_pitch")
    if _kept(lx.CUSTOMER_VALUE, lx.NO_VALUE):
        signals.add("customer_value")
    if _kept(lx.STALL, lx.STALL_HYPOTHETICAL):
        signals.add("stall")
    if _kept(lx.OBJECTION, lx.NO_OBJECTION):
        signals.add("objection")
    if _kept(lx.LOST, lx.NO_WON):
        signals.add("lost")
    elif _kept(lx.WON, lx.NO_WON):
        signals.add("won")
    meeting, meeting_at = meeting_in(sentences, now, words)
    if meeting:
        signals.add("meeting")
    return signals, meeting_at


def analyze(text: str, *, now: datetime, tz: str) -> Analysis:
    """Read one deal-channel message. `now` may be naive (wall clock in `tz`) or aware."""
    plain = strip_markup(text)
    current = local_now(now, tz)
    sentences = split_sentences(plain)
    if not _WORDS.search(plain):
        return Analysis(frozenset({"chatter"}))
    signals, meeting_at = detect(sentences, current)
    people = stakeholders_in(plain)
    if people:
        signals.add("stakeholder")
    if _is_chatter(plain, sentences, signals):
        return Analysis(frozenset({"chatter"}))
    return Analysis(frozenset(signals), people, meeting_at if "meeting" in signals else None)


def _is_chatter(plain: str, sentences: list[str], signals: set[str]) -> bool:
    if signals - {"stakeholder"}:
        return False
    buyer = _BUYER.search(plain) is not None
    if _CHATTER.search(plain):
        return not (signals and buyer)
    if signals:  # a buyer-side person named: a deal update
        return False
    if all(is_internal(s) for s in sentences):
        return True
    return not buyer
