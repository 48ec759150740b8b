"""Modals: a note for a deal, a call to book, a deal card to read, and what they answer on submission.

Block and action ids here are the contract with `handlers.views`, which reads the submitted values.
"""

from __future__ import annotations

import json
from typing import Any

from bot.slack.cards import Block, context, section
from bot.slack.escape import escape, truncate, typed
from bot.slack.lenses import LABELS, label
from bot.work.deal_notes import MAX_NOTE, MAX_STAKEHOLDER
from storage.models import Deal

NOTE_VIEW = "deal_note"
CALL_VIEW = "deal_call"
NOTE_BLOCK, LENS_BLOCK, WHO_BLOCK = "note", "lens", "who"
WHEN_BLOCK, TOPIC_BLOCK = "when", "topic"
AUTO_LENS = "auto"
MAX_TOPIC = 200

View = dict[str, Any]


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, 75), "emoji": True}


def _modal(
    title: str, blocks: list[Block], *, submit: str | None = None, callback_id: str = "", meta: Any = None
) -> View:
    view: View = {"type": "modal", "title": _text(truncate(title, 24)), "close": _text("Close"), "blocks": blocks}
    if submit:
        view["submit"] = _text(submit)
        view["callback_id"] = callback_id
    if meta is not None:
        view["private_metadata"] = json.dumps(meta)
    return view


def _input(block_id: str, label_text: str, element: dict[str, Any], *, optional: bool = False, hint: str = "") -> Block:
    block: Block = {"type": "input", "block_id": block_id, "label": _text(label_text), "element": element}
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = _text(hint)
    return block


def _option(lens: str) -> dict[str, Any]:
    return {"text": _text(label(lens) if lens != AUTO_LENS else "Let wiift decide"), "value": lens}


def note_modal(
    deal: Deal,
    *,
    lens: str | None = None,
    stakeholder: str | None = None,
    question: str | None = None,
    origin: str,
    question_id: int | None = None,
    text: str | None = None,
    source: str | None = None,
) -> View:
    """Add a note to `deal`, prefilled with the lens and stakeholder of the question it answers, or with a
    message's words (`text`) and where they came from (`source`, mrkdwn)."""
    blocks: list[Block] = [section(f"*{escape(deal.name)}*")]
    if question:
        blocks.append(context(f"Answering: _{escape(question)}_"))
    if source:
        trimmed = f" Trimmed to its first {MAX_NOTE} characters." if text and len(text) > MAX_NOTE else ""
        blocks.append(context(source + trimmed))
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "text",
        "multiline": True,
        "max_length": MAX_NOTE,
    }
    if text:
        element["initial_value"] = text[:MAX_NOTE]
    blocks.append(
        _input(NOTE_BLOCK, "Note", element, hint="What did you learn about the buyer? In their words if you can.")
    )
    select: dict[str, Any] = {
        "type": "static_select",
        "action_id": "lens",
        "options": [_option(AUTO_LENS)] + [_option(key) for key in LABELS],
        "initial_option": _option(lens if lens in LABELS else AUTO_LENS),
    }
    blocks.append(_input(LENS_BLOCK, "What it answers", select))
    who: dict[str, Any] = {"type": "plain_text_input", "action_id": "who", "max_length": MAX_STAKEHOLDER}
    if stakeholder:
        who["initial_value"] = stakeholder
    blocks.append(_input(WHO_BLOCK, "About whom (buyer side)", who, optional=True))
    meta = {"deal": deal.id, "origin": origin} | ({"question": question_id} if question_id else {})
    return _modal("Add a note", blocks, submit="Save note", callback_id=NOTE_VIEW, meta=meta)


def call_modal(deal: Deal, *, origin: str) -> View:
    blocks = [
        section(f"Book a customer call for *{escape(deal.name)}*. The owner gets a prep DM before it."),
        _input(
            WHEN_BLOCK,
            "When",
            {"type": "plain_text_input", "action_id": "when", "max_length": 100},
            hint="e.g. tomorrow 3pm, Thu 10:30, next Tuesday 9am PT, 2026-12-03 14:00",
        ),
        _input(
            TOPIC_BLOCK,
            "Topic",
            {"type": "plain_text_input", "action_id": "topic", "max_length": MAX_TOPIC},
            optional=True,
        ),
    ]
    return _modal(
        "Book a call", blocks, submit="Book it", callback_id=CALL_VIEW, meta={"deal": deal.id, "origin": origin}
    )


def card_modal(blocks: list[Block]) -> View:
    return _modal("Deal card", blocks[:100])


def done_modal(title: str, message: str) -> View:
    """What a modal turns into after a submission whose outcome the person should read."""
    return _modal(title, [section(message)])


def message_modal(message: str) -> View:
    return done_modal("wiift", message)


def submitted(view: dict[str, Any], block_id: str, action_id: str) -> str:
    """A plain-text input's or a select's submitted value ("" when empty). Slack sends inputs as typed, with
    no entities to decode."""
    values = (view.get("state") or {}).get("values") or {}
    block = values.get(block_id) if isinstance(values, dict) else None
    value = block.get(action_id) if isinstance(block, dict) else None
    if not isinstance(value, dict):
        return ""
    if value.get("type") == "static_select" or "selected_option" in value:
        option = value.get("selected_option")
        return typed(str(option.get("value") or "")) if isinstance(option, dict) else ""
    return typed(str(value.get("value") or ""))


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}
