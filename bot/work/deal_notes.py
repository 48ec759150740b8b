"""Keeping a deal note, the same way from every surface: `/deal note`, a thread answer's modal, Home."""

from __future__ import annotations

import logging

from bot import coach
from bot.core.services import Services
from storage.db import unit_of_work
from storage.deals import add_stakeholders
from storage.models import Deal
from storage.notes import add_note

log = logging.getLogger(__name__)

MAX_NOTE = 500  # as `/deal note`
MAX_STAKEHOLDER = 80


def note_problem(text: str) -> str | None:
    """Why a note cannot be kept, or None when it can."""
    if not text.strip():
        return "Write the note itself: what did you learn about the buyer?"
    if len(text.strip()) > MAX_NOTE:
        return f"That note is {len(text.strip())} characters; notes hold at most {MAX_NOTE}. Trim it and save again."
    return None


def keep_note(
    services: Services,
    *,
    deal: Deal,
    author_id: str,
    text: str,
    lens: str | None,
    stakeholder: str | None,
    source: str,
    source_ts: str | None = None,
) -> tuple[str, str | None, bool]:
    """Store a note as `/deal note` does: the lens given or read from the text, the stakeholder given or
    (for a personal-driver note) the first person the text names, who joins the deal's stakeholders.

    Returns (lens, stakeholder, whether a note was added: False for a repeated submission)."""
    text = text.strip()
    lens = lens or coach.tag_note(text)
    if not stakeholder and lens == "personal_driver":
        people = coach.analyze(text, now=services.clock(), tz="UTC").stakeholders
        stakeholder = people[0] if people else None
    now = services.clock()
    assert deal.id is not None
    with unit_of_work(services.engine) as session:
        added = add_note(
            session=session,
            team_id=deal.team_id,
            deal_id=deal.id,
            author_id=author_id,
            lens=lens,
            stakeholder=stakeholder,
            text=text,
            source=source,
            source_ts=source_ts,
            now=now,
        )
        if stakeholder and added:
            add_stakeholders(session=session, team_id=deal.team_id, deal_id=deal.id, names=[stakeholder], now=now)
    log.info("note added: deal=%s lens=%s source=%s new=%s", deal.id, lens, source, added)
    return lens, stakeholder, added
