"""wiift's coaching engine: pure functions from message text and deal state to the next question.

Nothing here touches Slack, storage or the clock: `now` and `tz` are always passed in.
"""

from __future__ import annotations

from bot.coach.call_time import parse_when
from bot.coach.engine import Analyzer, analyze, default_analyzer
from bot.coach.facts import Facts, extract_facts
from bot.coach.gaps import call_agenda, gaps
from bot.coach.markup import strip_markup
from bot.coach.model import LENSES, SIGNALS, Analysis, DealState, Question, decide_reply
from bot.coach.notes import tag_note
from bot.coach.people import PersonFact
from bot.coach.person import Person
from bot.coach.questions import choose_question, closing_question, stakeholder_question

__all__ = [
    "LENSES",
    "SIGNALS",
    "Analysis",
    "Analyzer",
    "DealState",
    "Facts",
    "Person",
    "PersonFact",
    "Question",
    "analyze",
    "call_agenda",
    "choose_question",
    "closing_question",
    "decide_reply",
    "default_analyzer",
    "extract_facts",
    "gaps",
    "parse_when",
    "stakeholder_question",
    "strip_markup",
    "tag_note",
]
