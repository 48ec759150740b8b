"""Every request answered: a listener that fails still tells the person, and the log says why.

Bolt, left to itself, answers a listener's exception with nothing: raised before `ack()` it becomes a 404
three seconds later, and raised just after `ack()` it can take the acknowledgement back. Every listener is
wrapped with `answered`, which catches the exception, logs it with a short error id, and sends the person a
short apology carrying that id: in the acknowledgement when there has been none yet (a slash command's
answer, a modal's new content), else privately through the request's response URL, else by DM.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt.kwargs_injection.args import Args

from bot.slack.cards import section
from bot.work import modals

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side and I couldn't finish that (error id `{error_id}`). "
    "Try again in a moment; if it keeps happening, your Slack admin can look that id up in wiift's log."
)


def answered(listener: Callable[..., None]) -> Callable[..., None]:
    """The listener, made to answer the person whatever happens. Bolt hands the wrapper every argument
    (`args`); the listener gets the ones it names, as if Bolt had called it."""
    wanted = list(inspect.signature(listener).parameters)

    def guarded(args: Args) -> None:
        try:
            listener(**{name: getattr(args, name) for name in wanted})
        except Exception:
            error_id = new_error_id()
            log.exception("%s failed: error id %s", listener.__name__, error_id)
            apologise(args, error_id)

    guarded.__name__, guarded.__qualname__, guarded.__doc__ = listener.__name__, listener.__qualname__, listener.__doc__
    return guarded


def new_error_id() -> str:
    return uuid.uuid4().hex[:8]


def apologise(args: Args, error_id: str) -> None:
    text = APOLOGY.format(error_id=error_id)
    body: dict[str, Any] = args.body if isinstance(args.body, dict) else {}
    kind = body.get("type")
    try:
        if args.ack is not None and args.ack.response is None:
            if kind == "view_submission":
                args.ack(response_action="update", view=modals.message_modal(text))
                return
            if "command" in body:
                args.ack(text=text)  # a slash command's acknowledgement is shown to the person, privately
                return
            args.ack()
        if args.respond is not None and ("command" in body or body.get("response_url")):
            args.respond(text=text, response_type="ephemeral", replace_original=False)
        elif kind in ("block_actions", "view_submission"):
            user = (body.get("user") or {}).get("id")
            if user:
                args.client.chat_postMessage(channel=str(user), text=text)
        elif kind == "event_callback" and (body.get("event") or {}).get("type") == "app_home_opened":
            user = str((body.get("event") or {}).get("user") or "")
            if user:
                args.client.views_publish(user_id=user, view={"type": "home", "blocks": [section(text)]})
    except Exception:
        log.exception("could not tell the person about error id %s", error_id)
