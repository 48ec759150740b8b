"""Keeping a deal note, the same way from every surface: `/deal note`, a thread answer's modal, Home."""

from __future__ import annotations

import logging

from bot import coach
from bot.core.services import Services
from bot.work.memory import remember
from storage.db import unit_of_work
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
    (for a personal-driver note) the first person the text names. What the note tells about the buyer goes
    into the deal memory: the people it names, and for a personal-driver note about someone, their driver.

    Returns (lens, stakeholder, whether a note was added: False for a repeated submission)."""
    text = text.strip()
    lens = lens or coach.tag_note(text)
    now = services.clock()
    facts = coach.analyze(text, now=now, tz="UTC").facts  # read before the write lock is taken
    if not stakeholder and (lens == "personal_driver" or facts.driver) and facts.people:
        owner = next((p for p in facts.people if p.label == facts.driver_of), facts.people[0])
        stakeholder = owner.name or owner.role
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
        if added:
            remember(
                session,
                deal=deal,
                facts=facts,
                source=source,
                source_ts=source_ts,
                now=now,
                about=stakeholder,
                driver=text if lens == "personal_driver" and stakeholder else None,
            )
    log.info("note added: deal=%s lens=%s source=%s new=%s", deal.id, lens, source, added)
    return lens, stakeholder, added
