"""One message in, one Analysis out: the rules and the learned model read it together.

The rules (analysis.py and its lexicons) give their signals, a meeting time and their chatter test; these
become features of the learned signal model, which decides each signal against a threshold tuned by
voice-held-out cross-validation (a lower one where the signal's rule fired, when that measured better).
Chatter stands alone. The stakeholder tagger finds people and roles without a name list; `meeting_at` is the
rules' reading of the time, kept only when the message is judged to announce a meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from bot.coach.analysis import RuleReading, read_rules
from bot.coach.facts import extract_facts
from bot.coach.features import context_features, rule_marks
from bot.coach.learned import Learned, Tagger, sigmoid
from bot.coach.model import Analysis
from bot.coach.person import Person, person_of, word_kind
from bot.coach.tokens import tokenize
from bot.coach.when import local_now

_CHATTER = frozenset({"chatter"})
_LEADING = frozenset(["their", "the", "Their", "The", "THEIR", "THE"])


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything the engine saw in one message, for `Analysis` and for `--explain`."""

    rules: RuleReading
    tokens: list[tuple[str, int, int]]
    context: list[str]
    logits: dict[str, float]
    analysis: Analysis

    def probability(self, label: str) -> float:
        return sigmoid(self.logits[label])


def message_context(text: str, rules: RuleReading) -> list[str]:
    """The signal model's context features for a message: what the rules found, and its markup."""
    return context_features(
        text, rules.signals, rules.chatter, rules.meeting_at is not None, bool(rules.people), rules.cues
    )


class Analyzer:
    """The coaching engine's reader: pure, holding its learned artefact (hand one in, or the packaged one)."""

    __slots__ = ("learned",)

    def __init__(self, learned: Learned) -> None:
        self.learned = learned

    def analyze(self, text: str, *, now: datetime, tz: str) -> Analysis:
        return self.read(text, now=now, tz=tz).analysis

    def read(self, text: str, *, now: datetime, tz: str) -> Reading:
        current = local_now(now, tz)
        rules = read_rules(text, current)
        if rules.wordless:
            return Reading(rules, [], [], {}, Analysis(_CHATTER))
        tokens = tokenize(rules.plain)
        words = [token for token, _, _ in tokens]
        context = message_context(text, rules)
        model = self.learned.signals
        scores = model.scores(words, context)
        signals = model.decide(scores, rules.signals)
        by_label = {label: score / model.scale for label, score in zip(model.labels, scores, strict=True)}
        if "chatter" in signals:
            over = model.policies["chatter"].over
            chatter = by_label["chatter"]
            strongest = max(by_label[label] for label in signals if label != "chatter") if len(signals) > 1 else None
            if strongest is None or (over is not None and sigmoid(chatter) >= over and chatter > strongest):
                return Reading(rules, tokens, context, by_label, Analysis(_CHATTER))
            signals.discard("chatter")  # another signal was read, and more surely: an update
        people = self.people(rules.plain, tokens, words, rule_marks(tokens, rules.people, rules.plain))
        if people:
            signals.add("stakeholder")
        meeting_at = rules.meeting_at if "meeting" in signals else None
        stakeholders = tuple(person.text for person in people)
        facts = extract_facts(rules.plain, stakeholders, rules.words)
        analysis = Analysis(frozenset(signals), stakeholders, meeting_at, people, facts)
        return Reading(rules, tokens, context, by_label, analysis)

    def people(
        self, plain: str, tokens: list[tuple[str, int, int]], words: list[str], marks: list[str] | None = None
    ) -> tuple[Person, ...]:
        """The tagger's people in the message (see `people_of`)."""
        return people_of(self.learned.tagger, plain, tokens, words, marks)


def people_of(
    tagger: Tagger, plain: str, tokens: list[tuple[str, int, int]], words: list[str], marks: list[str] | None = None
) -> tuple[Person, ...]:
    """The tagger's spans as people, in order, each person once (a later, shorter mention is dropped).

    Where the hand-written rules found someone is one of the tagger's features (`marks`): measured on unseen
    voices, also keeping the rules' spans the tagger turned down brought 2 people in and 23 mistakes."""
    found: list[Person] = []
    seen: list[set[str]] = []
    for first, last in _joined(_trimmed(tagger.spans(words, marks), words), words):
        if _ours(words, first, last):
            continue
        person = person_of(plain, tokens, first, last)
        key = {w.lower() for w in words[first : last + 1] if w[0].isalnum()}
        if any(key <= earlier for earlier in seen):
            continue
        found.append(person)
        seen.append(key)
    return tuple(found)


_OURS = frozenset(["our", "my", "Our", "My", "OUR", "MY"])


def _ours(words: list[str], first: int, last: int) -> bool:
    """One of our own colleagues: "our SE Dana", "Raj from our solutions team", "Jess (our SE)"."""
    if any(w in _OURS for w in words[max(0, first - 2) : first + 1]):
        return True
    after = words[last + 1 : last + 3]
    return len(after) == 2 and after[0].lower() in ("from", "on", "in", "(") and after[1] in _OURS


def _trimmed(spans: list[tuple[int, int]], words: list[str]) -> list[tuple[int, int]]:
    """Spans without leading punctuation or "their"/"the", or trailing punctuation other than a closing ")"
    or quote whose opening one is inside the span ("Deb (creative ops)", "MD 'Big Ger'")."""
    found = []
    for first, last in spans:
        while first <= last and (not words[first][0].isalnum() or words[first] in _LEADING):
            first += 1
        depth = 0
        for at in range(first + 1, last + 1):  # "GM at Hotel Solana": the person ends before the place
            word = words[at]
            depth += (word == "(") - (word == ")")
            if depth <= 0 and word.lower() in _PLACE_WORDS:
                last = at - 1
                break
        while last >= first and not words[last][0].isalnum():
            if words[last] == ")" and "(" in words[first:last]:
                break
            opening = _QUOTES.get(words[last])
            if opening and words[first:last].count(opening) % 2:
                break
            last -= 1
        if first <= last:
            found.append((first, last))
    return found


_PLACE_WORDS = frozenset(["at", "in", "from", "with", "to", "for", "via", "@"])
_QUOTES = {"'": "'", '"': '"', "’": "‘", "”": "“"}  # a closing quote and its opening one
_BETWEEN = frozenset([",", "(", "the", "their", "-", "–"])


def _kinds(words: list[str]) -> set[str]:
    """Whether a span holds a name ("n"), a role ("r"), or both."""
    return {kind for word in words if (kind := word_kind(word))}


def _joined(spans: list[tuple[int, int]], words: list[str]) -> list[tuple[int, int]]:
    """A name and its role written side by side ("gate manager, Javi Soler", "Deb (creative ops)") as one span;
    a "(" left open closed by the ")" that follows."""
    found: list[tuple[int, int]] = []
    for first, last in spans:
        if found:
            before_first, before_last = found[-1]
            gap = words[before_last + 1 : first]
            if (
                gap
                and len(gap) <= 2
                and all(w in _BETWEEN for w in gap)
                and gap[0] in ",(-–"
                and _kinds(words[before_first : before_last + 1]) ^ _kinds(words[first : last + 1]) == {"n", "r"}
            ):
                first = before_first
                found.pop()
        span = words[first : last + 1]
        if "(" in span and ")" not in span and last + 1 < len(words) and words[last + 1] == ")":
            last += 1
        found.append((first, last))
    return found


@cache
def default_analyzer() -> Analyzer:
    """The analyzer with the artefact shipped in the package, read once on first use."""
    return Analyzer(Learned.load())


def analyze(text: str, *, now: datetime, tz: str) -> Analysis:
    """Read one deal-channel message. `now` may be naive (wall clock in `tz`) or aware."""
    return default_analyzer().analyze(text, now=now, tz=tz)
