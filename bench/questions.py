"""How grounded the questions are: the engine over the labelled corpus, scored against its `facts` labels.

Run from the repo root: python bench/questions.py [CORPUS_DIR]. The corpus is `data/updates/*.jsonl` when the
repo has it, else the labelled parts beside the workspace (`../corpus/part*.jsonl`; a `partN.reviewed.jsonl`
replaces its `partN.jsonl`). Each voice (one seller) is played in order as one channel, so the anti-repeat
rule sees that seller's recent questions, as it would in Slack.

The ground truth is the corpus's hand-labelled `facts` spans, not the engine's own extractor. A labelled fact
counts as used when the question carries at least half of the numbers in it (one of "3 sites, 5 years")
and at least one of its other words, or, for a fact without numbers, at least half of its words (short
words such as "the" or "of" aside). The strict figure asks for the labelled span word for word. The baseline is
the same engine restricted to its generic wording of the same lens: what a template with a name slot does.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.coach import Analysis, DealState, Question, analyze, choose_question  # noqa: E402
from bot.coach.facts import NO_FACTS  # noqa: E402
from bot.coach.questions import opening  # noqa: E402

SHORT = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "their",
        "them",
        "they",
        "this",
        "that",
        "these",
        "those",
        "our",
        "my",
        "his",
        "her",
        "your",
        "from",
        "as",
        "per",
        "than",
        "then",
        "so",
        "up",
        "out",
        "over",
        "into",
        "about",
        "very",
        "just",
    ]
)
NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "fifteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "half",
        "third",
        "quarter",
        "dozen",
        "double",
        "twice",
        "triple",
    ]
)
OUR_QUARTER = re.compile(r"\bour (?:quarter|clock|number)\b|\bthe quarter\b", re.IGNORECASE)
FEATURES = re.compile(r"\bfeatures?\b|\bdemo\b|\bshowed\b|\bpark\b", re.IGNORECASE)


def corpus_files(argument: str | None) -> list[Path]:
    """The labelled files: an explicit folder, else data/updates in the repo, else ../corpus."""
    folders = [Path(argument)] if argument else [ROOT / "data" / "updates", ROOT.parent / "corpus"]
    folders += [ROOT.parent.parent / "corpus"] if not argument else []
    for folder in folders:
        files = sorted(folder.glob("*.jsonl"))
        reviewed = {f.name.replace(".reviewed", "") for f in files if ".reviewed." in f.name}
        files = [f for f in files if f.name not in reviewed and not f.name.startswith(("dev", "fresh"))]
        if files:
            return files
    raise SystemExit("no labelled corpus found: pass its folder, e.g. python bench/questions.py ../corpus")


def tokens(text: str) -> list[str]:
    return re.findall(r"\d+(?:[.,]\d+)*[a-z%]*|[a-z]+(?:['’][a-z]+)?", text.lower())


def uses(fact: str, question: str) -> bool:
    """Whether `question` hands back the labelled `fact` (see the module docstring)."""
    asked = set(tokens(question))
    words = [t for t in tokens(fact) if t not in SHORT]
    if not words:
        return fact.lower() in question.lower()
    numbers = [t for t in words if re.search(r"\d", t) or t in NUMBER_WORDS]
    others = [t for t in words if t not in numbers]
    if numbers:
        enough = sum(n in asked for n in numbers) >= (len(numbers) + 1) // 2
        return enough and (not others or any(w in asked for w in others))
    return sum(w in asked for w in others) >= (len(others) + 1) // 2


def _names(stakeholder: str, question: str) -> bool:
    """Whether the question names a labelled stakeholder: one of the span's words, as a word, in it."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]+", stakeholder) if w.lower() not in SHORT | {"their", "mr", "ms"}]
    return any(re.search(rf"\b{re.escape(w)}\b", question, re.IGNORECASE) for w in words)


def verbatim(fact: str, question: str) -> bool:
    squash = " ".join(fact.lower().split())
    return squash in " ".join(question.lower().split())


def play(
    rows: list[dict], ask: Callable[[Analysis, DealState, str], Question]
) -> list[tuple[dict, Analysis, Question]]:
    """Every message, voice by voice in order, with the question the engine would ask (asked or not)."""
    played = []
    by_voice: dict[str, list[dict]] = {}
    for row in rows:
        by_voice.setdefault(row.get("voice") or row["id"].split("-")[0], []).append(row)
    for voice_rows in by_voice.values():
        recent: list[Question] = []
        for row in voice_rows:
            analysis = analyze(row["text"], now=datetime.fromisoformat(row["now"]), tz=row["tz"])
            state = DealState(
                recent_lenses=tuple(q.lens for q in recent[-5:]), recent_questions=tuple(q.text for q in recent[-5:])
            )
            question = ask(analysis, state, row["id"])
            if analysis.reply == "question":
                recent.append(question)
            played.append((row, analysis, question))
    return played


def engine(analysis: Analysis, state: DealState, salt: str) -> Question:
    return choose_question(analysis, state, salt=salt)


def baseline(analysis: Analysis, state: DealState, salt: str) -> Question:
    """The same lens and person, but generic wording only: the message's facts withheld."""
    people = analysis.facts.people
    bare = Analysis(analysis.signals, analysis.stakeholders, analysis.meeting_at, NO_FACTS)
    if people:
        from bot.coach.facts import Facts

        bare = Analysis(analysis.signals, analysis.stakeholders, analysis.meeting_at, Facts(people=people))
    return choose_question(bare, state, salt=salt)


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.1%}" if whole else "0/0"


def score(played: Iterable[tuple[dict, Analysis, Question]]) -> dict[str, object]:
    asked = [(r, a, q) for r, a, q in played if a.reply == "question"]
    grounded = [(r, q) for r, a, q in asked if r.get("facts")]
    used = sum(any(uses(f, q.text) for f in r["facts"]) for r, q in grounded)
    strict = sum(any(verbatim(f, q.text) for f in r["facts"]) for r, q in grounded)
    every = [(r, q) for r, a, q in played if r.get("facts") and "chatter" not in r["signals"]]
    used_every = sum(any(uses(f, q.text) for f in r["facts"]) for r, q in every)
    labelled = [(r, q) for r, a, q in asked if r.get("stakeholders")]
    names_person = sum(any(_names(s, q.text) for s in r["stakeholders"]) for r, q in labelled)
    openings = Counter(opening(q.text) for _, _, q in asked)
    not_ours = [q for r, a, q in asked if "seller_pressure" not in r["signals"]]
    lectures = sum(bool(OUR_QUARTER.search(q.text)) for q in not_ours)
    no_pitch = [q for r, a, q in asked if "self_pitch" not in r["signals"]]
    feature_talk = sum(bool(FEATURES.search(q.text)) for q in no_pitch)
    return {
        "asked": len(asked),
        "fact used (asked, labelled facts)": share(used, len(grounded)),
        "fact verbatim (asked, labelled facts)": share(strict, len(grounded)),
        "fact used (every update with facts)": share(used_every, len(every)),
        "names a labelled stakeholder of the update": share(names_person, len(labelled)),
        "distinct openings (first 3 words)": f"{len(openings)} of {len(asked)} questions",
        "most common opening": f"{openings.most_common(1)[0][0]!r}: {share(openings.most_common(1)[0][1], len(asked))}"
        if openings
        else "-",
        "distinct question texts": len({q.text for _, _, q in asked}),
        "our-quarter talk without our pressure (labelled)": share(lectures, len(not_ours)),
        "feature talk without a pitch (labelled)": share(feature_talk, len(no_pitch)),
        "lenses": dict(Counter(q.lens for _, _, q in asked).most_common()),
    }


def main() -> None:
    files = corpus_files(sys.argv[1] if len(sys.argv) > 1 else None)
    rows = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"corpus: {len(rows)} labelled updates from {', '.join(f.name for f in files)}")
    print(f"  with labelled facts: {sum(1 for r in rows if r.get('facts'))}")
    results = {"baseline (generic wording, same lens)": score(play(rows, baseline)), "wiift": score(play(rows, engine))}
    keys = list(next(iter(results.values())))
    width = max(len(k) for k in keys)
    for key in (k for k in keys if k != "lenses"):
        print(f"{key:<{width}}  " + "  |  ".join(f"{name}: {res[key]}" for name, res in results.items()))
    print(f"lenses (wiift): {results['wiift']['lenses']}")


if __name__ == "__main__":
    main()
