"""Why the engine read a message as it did: each signal's rule verdict and model score, for `--explain`."""

from __future__ import annotations

from bot.coach.engine import Analyzer, Reading
from bot.coach.learned import sigmoid


def _feature(name: str) -> str:
    kind, _, rest = name.partition(":")
    return {"b": f"words {rest!r}", "r": f"rule {rest}", "m": f"markup {rest}"}.get(kind, name)


def explain(analyzer: Analyzer, reading: Reading, *, top: int = 4) -> list[str]:
    """One line per signal (rule hit, model probability against its threshold, the verdict), the features that
    weighed most for each signal found, and where the stakeholders and the meeting time came from."""
    model = analyzer.learned.signals
    signals = reading.analysis.signals
    lines: list[str] = []
    if not reading.logits:
        return ["no words to read: chatter"]
    words = [token for token, _, _ in reading.tokens]
    chatter = "chatter" in signals
    for label in model.labels:
        policy = model.policies[label]
        probability = sigmoid(reading.logits[label])
        rule = label in reading.rules.signals or (label == "chatter" and reading.rules.chatter)
        decided = label in signals
        how = "model" if policy.with_rule is None else f"{policy.with_rule:.2f} with the rule"
        verdict = "yes" if decided else "no"
        if label == "chatter" and not decided and probability >= policy.threshold:
            verdict = "no: another signal was read, so an update"
        if label != "chatter" and chatter and probability >= policy.threshold:
            verdict = "dropped: chatter stands alone"
        lines.append(
            f"{label:<16} rule {'hit ' if rule else 'miss'}  model {probability:.2f} "
            f"(needs {policy.threshold:.2f}, {how})  -> {verdict}"
        )
        if label in signals:
            parts = model.contributions(words, reading.context, label)[:top]
            lines.append("    weighed most: " + ", ".join(f"{_feature(n)} {w:+.2f}" for n, w in parts))
    if reading.analysis.people:
        for person in reading.analysis.people:
            lines.append(f"stakeholder      tagger: {person.text!r} (name {person.name!r}, role {person.role!r})")
    elif not chatter:
        lines.append("stakeholder      tagger found nobody")
    if reading.rules.meeting_at is not None:
        kept = "kept" if reading.analysis.meeting_at is not None else "dropped: no meeting signal"
        lines.append(f"meeting time     rules read {reading.rules.meeting_at.isoformat()} ({kept})")
    return lines
