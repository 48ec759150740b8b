"""A modal's submission answered within Slack's three seconds, however long the work behind it takes.

Slack shows "We had some trouble connecting" when a submission is not acknowledged in 3 s, and the person
never learns what happened. `ModalDeadline` starts a timer when the work starts: if the work ends in time,
its outcome is the acknowledgement (field errors, new content, or closing the modal) as usual; if not, the
modal is acknowledged with "Working on it…" at `BUDGET_S` and updated with the outcome when the work ends.
"""

from __future__ import annotations

import html
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.work import modals

log = logging.getLogger(__name__)

BUDGET_S = 2.0  # of Slack's 3 s, leaving room for the network
WORKING = "Working on it… this takes longer than usual. I'll show the result here."


@dataclass(frozen=True)
class Outcome:
    errors: dict[str, str] = field(default_factory=dict)  # by block id: shown beside the fields
    view: dict[str, Any] | None = None  # the modal's new content; None closes it
    done: str = "Done. You can close this."  # what a late answer shows instead of closing the modal


class ModalDeadline:
    def __init__(self, ack: Ack, *, budget_s: float = BUDGET_S) -> None:
        self._ack = ack
        self._lock = threading.Lock()
        self._late = False
        self._timer = threading.Timer(budget_s, self._too_slow)
        self._timer.daemon = True

    def __enter__(self) -> ModalDeadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _too_slow(self) -> None:
        with self._lock:
            if self._ack.response is None:
                self._ack(response_action="update", view=modals.message_modal(WORKING))
                self._late = True

    def answer(self, client: WebClient, view: dict[str, Any], outcome: Outcome) -> None:
        """Acknowledge with the outcome, or, past the budget, show it in the modal that says "Working"."""
        self._timer.cancel()
        with self._lock:
            if not self._late:
                if outcome.errors:
                    self._ack(response_action="errors", errors=outcome.errors)
                elif outcome.view is not None:
                    self._ack(response_action="update", view=outcome.view)
                else:
                    self._ack()
                return
        if outcome.errors:
            problems = " ".join(html.unescape(text) for text in outcome.errors.values())
            final = modals.message_modal(f"Nothing was saved: {problems} Close this and try again.")
        else:
            final = outcome.view or modals.message_modal(outcome.done)
        try:
            client.views_update(view_id=str(view.get("id") or ""), view=final)
        except SlackApiError as exc:
            log.warning("views.update failed: %s", (exc.response.data or {}).get("error"))
