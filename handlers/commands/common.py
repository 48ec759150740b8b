"""What both slash commands share: splitting the text, and answering privately."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, Respond

from bot.slack.escape import from_slack

MAX_COMMAND_TEXT = 2000


@dataclass(frozen=True, slots=True)
class Invocation:
    team_id: str
    channel_id: str
    user_id: str
    sub: str
    rest: str

    @classmethod
    def from_command(cls, command: dict[str, Any]) -> Invocation:
        text = from_slack(str(command.get("text") or "")).strip()  # as typed: P&amp;L is P&L
        sub, _, rest = text.partition(" ")
        if "\n" in sub:
            sub, _, more = sub.partition("\n")
            rest = (more + " " + rest).strip()
        return cls(
            team_id=str(command.get("team_id") or ""),
            channel_id=str(command.get("channel_id") or ""),
            user_id=str(command.get("user_id") or ""),
            sub=sub.lower(),
            rest=rest.strip(),
        )


def private(respond: Respond, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
    respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)


class AnswerInAck:
    """A `respond` whose first answer goes in the acknowledgement itself (the work was done before it);
    any later one goes to the response_url. `close()` acknowledges if nothing was said."""

    def __init__(self, ack: Ack, respond: Respond) -> None:
        self._ack, self._respond, self._acked = ack, respond, False

    def __call__(self, text: str = "", blocks: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        if self._acked:
            self._respond(text=text, blocks=blocks, **kwargs)
            return
        self._acked = True
        self._ack(text=text, blocks=blocks, response_type=kwargs.get("response_type", "ephemeral"))

    def close(self) -> None:
        if not self._acked:
            self._acked = True
            self._ack()
