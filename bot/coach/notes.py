"""Which lens an untagged note answers, read from its content."""

from __future__ import annotations

import re

_LENS_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "personal_driver",
        re.compile(
            r"\b(?:bonus|promotion|promoted|career|kpi|personally|personal|job on the line|her boss|his boss|"
            r"look good|credit for|reputation with|wants to be seen|motivated|ambition|pet project|"
            r"(?:his|her) (?:goal|target|number|objective|neck|team)|(?:he|she) (?:wants|needs|cares|is worried))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "cost_of_inaction",
        re.compile(
            r"\b(?:costs?|costing|losing|lose|loses|lost|waste|wasting|every (?:month|week|day)|per (?:month|week|day)|"
            r"status quo|doing nothing|do nothing|if they wait|penalt\w+|fines?|overtime|churn|backlog|delay costs)\b"
            r"|[$€£]\s?\d",
            re.IGNORECASE,
        ),
    ),
    (
        "alignment",
        re.compile(
            r"\b(?:timeline|deadline|go-live|go live|fit|competitor|alternative|versus|vs\.?|evaluating|"
            r"fiscal|budget cycle|their date|by (?:q[1-4]|january|february|march|april|may|june|july|august|"
            r"september|october|november|december)|not a fit|better fit)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "call_prep",
        re.compile(r"\b(?:agenda|call|meeting|prep|walk away with|next session|questions? to ask)\b", re.IGNORECASE),
    ),
    (
        "relationship",
        re.compile(
            r"\b(?:referral|refer|reference|case study|testimonial|review|nps|advocate|intro(?:duce|duction)?|"
            r"word of mouth|tell (?:others|peers|people)|reputation|recommend(?:ed)? us)\b",
            re.IGNORECASE,
        ),
    ),
)


def tag_note(text: str) -> str:
    """The lens a note answers: the lens with most cues, ties to the earlier lens; wiift by default."""
    best, best_hits = "wiift", 0
    for lens, pattern in _LENS_CUES:
        hits = len(pattern.findall(text))
        if hits > best_hits:
            best, best_hits = lens, hits
    return best
