"""`wiift demo`: a scripted deal channel played through the real app, offline.

Everything is real but Slack: the Bolt app served over HTTP by waitress, a SQLite file, the coaching engine.
Slack is the built-in stand-in; the script posts signed events and commands to the app as Slack would,
and the transcript shows what the seller saw.
"""

from __future__ import annotations

import html
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TextIO

from sqlmodel import select

from bot.core.clock import ManualClock
from bot.ops.sandbox import Sandbox
from bot.slack.timefmt import fallbacks
from bot.standin import ApiCall, FakeSlack
from storage.db import unit_of_work

SELLER, MANAGER = "USAM", "UMIA"
CHANNEL = "CDEALACME"
DEMO_START = datetime(2026, 11, 16, 14, 30, tzinfo=UTC)  # Monday 09:30 in New York

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#(C[A-Z0-9]+)(?:\|([^>]*))?>")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
_INVISIBLE = str.maketrans("", "", "\u200b\u2060")


class Names(Protocol):
    """Where a transcript looks up the names behind user and channel ids (the stand-in, or real Slack)."""

    def user_name(self, user_id: str) -> str | None: ...

    def channel_name(self, channel_id: str) -> str | None: ...


class Transcript:
    def __init__(self, out: TextIO, slack: Names) -> None:
        self.out = out
        self.slack = slack

    def readable(self, text: str) -> str:
        text = fallbacks(text)  # Slack shows each reader the time in their own zone; the terminal, the fallback
        text = _USER.sub(lambda m: "@" + (self.slack.user_name(m.group(1)) or m.group(1)), text)
        text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or self.slack.channel_name(m.group(1)) or m.group(1)), text)
        text = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))  # the terminal shows no mrkdwn
        return html.unescape(text.translate(_INVISIBLE))

    def line(self, text: str = "") -> None:
        print(text, file=self.out)

    def scene(self, title: str) -> None:
        self.line()
        self.line(f"── {title} " + "─" * max(0, 74 - len(title)))

    def said(self, who: str, text: str) -> None:
        self.line(f"{who:>6} │ {text}")

    def shown(self, who: str, text: str, *, note: str) -> None:
        lines = self.readable(text).splitlines() or [""]
        self.line(f"{who:>6} │ {note}")
        for line in lines:
            self.line(f"{'':>6} │   {line}")

    def message_text(self, message: dict[str, Any] | ApiCall) -> str:
        if isinstance(message, ApiCall):
            blocks, text = message.json("blocks") or [], str(message.params.get("text") or "")
        else:
            blocks, text = message.get("blocks") or [], str(message.get("text") or "")
        parts = [_block_text(block) for block in blocks]
        return "\n".join(p for p in parts if p) or text


def _block_text(block: dict[str, Any]) -> str:
    if block.get("type") == "divider":
        return "────"
    if block.get("type") == "actions":
        return "  ".join(f"[{e['text']['text']}]" for e in block.get("elements", []) if "text" in e)
    if isinstance(block.get("text"), dict):
        return str(block["text"].get("text", ""))
    return " ".join(str(e.get("text", "")) for e in block.get("elements", []) if isinstance(e, dict))


def run_demo(out: TextIO) -> int:
    with tempfile.TemporaryDirectory(prefix="wiift-demo-") as tmp, FakeSlack() as slack:
        slack.add_user(SELLER, name="sam", real_name="Sam Seller", tz="America/New_York")
        slack.add_user(MANAGER, name="mia", real_name="Mia Manager", tz="America/New_York")
        slack.add_channel(CHANNEL, name="deal-acme", members=[SELLER, MANAGER, slack.bot_user_id])
        database = Path(tmp) / "wiift-demo.db"
        sandbox = Sandbox(slack, database_url=f"sqlite:///{database}", clock=ManualClock(DEMO_START))
        try:
            play(sandbox, Transcript(out, slack))
        finally:
            sandbox.close()
        out.write(f"\n(everything above went through the real app over HTTP, with notes kept in {database.name})\n")
    return 0


def play(sandbox: Sandbox, show: Transcript) -> None:
    show.line("wiift demo: #deal-acme, offline. Sam sells; wiift coaches.")

    def post(text: str, *, thread_ts: str | None = None, user: str = SELLER) -> str:
        who = sandbox.slack.user_name(user) or user
        show.said(who, ("(in thread) " if thread_ts else "") + text)
        ts = sandbox.post(text, channel=CHANNEL, user=user, thread_ts=thread_ts)
        for reply in sandbox.thread_replies(CHANNEL, thread_ts or ts):
            if reply.get("user") == sandbox.slack.bot_user_id and reply["ts"] not in shown_replies:
                shown_replies.add(reply["ts"])
                show.shown("wiift", show.message_text(reply), note="replies in the thread:")
        for name in sandbox.slack.reactions(CHANNEL, ts):
            show.said("wiift", f"reacts :{name}:")
        return ts

    def command(text: str, *, user: str = SELLER) -> None:
        show.said(sandbox.slack.user_name(user) or user, text)
        command_name, _, rest = text.partition(" ")
        answer = sandbox.run_command(command_name, rest, channel=CHANNEL, user=user)
        show.shown("wiift", show.message_text(answer), note="(only visible to you)")

    shown_replies: set[str] = set()

    show.scene("Seller pressure")
    post("Need Acme signed by Friday, I'm one deal short of quota this quarter.")

    show.scene("A feature pitch")
    post("Demoed our new analytics dashboard and the AI forecasting module to Acme. Great session!")

    show.scene("A stall, with a named stakeholder")
    stalled = post("Acme has gone quiet since the pricing call. Their CFO Dana hasn't replied in two weeks.")

    show.scene("Sam answers in the thread: it becomes a note")
    post(
        "Dana's bonus rides on cutting month-end close from 8 days to 3; every late close is a board question.",
        thread_ts=stalled,
    )

    show.scene("A buyer-focused update gets a nod, not a question")
    post("Their controller says the manual reconciliation costs two people a week every month-end.")

    show.scene("The deal card")
    command("/deal show")

    show.scene("What to ask next")
    command("/coach")

    show.scene("An update that names a call: one click books the prep nudge")
    call_ts = post("Call with Dana and their head of IT Raj tomorrow at 2pm to walk through the rollout plan.")
    click(sandbox, show, call_ts, "call_remind")

    show.scene("Tuesday 13:00, an hour before the call (fast-forwarded)")
    nudge_scene(sandbox, show)

    show.scene("Monday morning: the week in one direct message")
    digest_scene(sandbox, show)


def click(sandbox: Sandbox, show: Transcript, thread_ts: str, action_id: str, *, user: str = SELLER) -> None:
    """Press one of wiift's buttons on its reply in a thread, as Slack would send it."""
    reply = next(m for m in sandbox.thread_replies(CHANNEL, thread_ts) if m.get("user") == sandbox.slack.bot_user_id)
    button = next(
        e
        for b in reply.get("blocks") or []
        if b.get("type") == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )
    show.said(sandbox.slack.user_name(user) or user, f"clicks [{button['text']['text']}]")
    before = len(sandbox.slack.calls_to("response_url"))
    sandbox.driver.action(
        action_id=action_id, value=button["value"], user=user, channel=CHANNEL, message_ts=reply["ts"]
    )
    sandbox.settle()
    for answer in sandbox.slack.calls_to("response_url")[before:]:
        show.shown("wiift", show.message_text(answer), note="(only visible to you)")


def nudge_scene(sandbox: Sandbox, show: Transcript) -> None:
    """Move the clock to the nudge's time: the nudge's job falls due and a worker sends it."""
    from storage.models import Nudge

    clock = sandbox.clock
    assert isinstance(clock, ManualClock), "the demo runs on a ManualClock"
    with unit_of_work(sandbox.services.engine) as session:
        due = min(n.due_at for n in session.exec(select(Nudge)))
    clock.set(due)
    sandbox.settle()
    for message in sandbox.slack.messages(sandbox.slack.dm_channel_id(SELLER)):
        if any(str(b.get("block_id", "")).startswith("wiift-nudge-") for b in message.get("blocks") or []):
            show.shown("wiift", show.message_text(message), note="sends Sam a direct message:")


def digest_scene(sandbox: Sandbox, show: Transcript, *, tz: str = "America/New_York") -> None:
    """Fast-forward to the next Monday 08:00 in Sam's zone, run the scheduler's digest tick (one job per
    person due) and let the workers send them; show the one Sam gets."""
    from datetime import time, timedelta
    from zoneinfo import ZoneInfo

    from bot.work.digest_run import enqueue_due_digests

    clock = sandbox.clock
    assert isinstance(clock, ManualClock), "the demo runs on a ManualClock"
    here = clock().astimezone(ZoneInfo(tz))
    monday = here.date() + timedelta(days=(7 - here.weekday()) % 7 or 7)
    clock.set(datetime.combine(monday, time(8, 0), tzinfo=ZoneInfo(tz)))
    show.line(f"{'':>6} │ (a week on: {clock().astimezone(ZoneInfo(tz)):%A %-d %B, %H:%M} for Sam)")
    enqueue_due_digests(sandbox.services, sandbox.instance.workers.clients, now=clock())
    sandbox.settle()
    for message in sandbox.slack.messages(sandbox.slack.dm_channel_id(SELLER)):
        if any(str(b.get("block_id", "")).startswith("wiift-digest-") for b in message.get("blocks") or []):
            show.shown("wiift", show.message_text(message), note="sends Sam a direct message:")
