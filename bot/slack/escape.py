"""The one way user text goes back to Slack, and the one way it comes in.

On the way in, Slack sends a person's text with `&`, `<` and `>` written as `&amp;`, `&lt;` and `&gt;`
(messages and slash commands; modal inputs come as typed). `from_slack` undoes that once, so what we store
is what they typed; `escape` does it once on the way out.

Slack reads `<…>` as links and mentions, `&` as an entity, `*_~\\`` as formatting, and `@channel`, `@here`
and `@everyone` as pings. User text we echo keeps its meaning but loses those powers: control characters
become entities, a word joiner after `@` defuses broadcast words, and a zero-width space beside each
formatting mark stops it pairing with another. Mentions of single users and channels survive, since they
notify no one new and read better as names.
"""

from __future__ import annotations

import re

_WJ = "\u2060"  # word joiner: invisible, breaks Slack's keyword match
_ZWSP = "\u200b"

_TOKEN = re.compile(r"<([^<>]*)>")
_SAFE_MENTION = re.compile(r"^(@[UW][A-Z0-9]+|#C[A-Z0-9]+(\|[^|<>]*)?)$")
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_SPECIAL = re.compile(r"^!(channel|here|everyone)(\|.*)?$|^!subteam\^[A-Z0-9]+(\|(.*))?$")
_FORMAT = re.compile(r"([*_~`])")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
# What no Slack client sends and PostgreSQL will not store (NUL): control characters but tab and newlines.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def typed(text: str) -> str:
    """A person's text without the control characters no keyboard types (NUL among them)."""
    return _CONTROL.sub("", text)


def from_slack(text: str) -> str:
    """Text as Slack sends it in a message or a slash command, as the person typed it: Slack's three
    entities decoded once (`P&amp;amp;L` stays `P&amp;L`), markup such as `<@U123>` left as it is."""
    return typed(_ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text))


def _plain(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _BROADCAST.sub(lambda m: "@" + _WJ + m.group(1), text)
    return _FORMAT.sub(_ZWSP + r"\1" + _ZWSP, text)


def escape(text: str) -> str:
    """Make user text safe to place inside a Slack mrkdwn or plain-text message."""
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        out.append(_plain(text[pos : match.start()]))
        inner = match.group(1)
        if _SAFE_MENTION.match(inner):
            out.append(f"<{inner}>")
        elif special := _SPECIAL.match(inner):
            word = special.group(1) or "group"
            out.append("@" + _WJ + word)
        elif "|" in inner and inner.split("|", 1)[0].startswith(("http://", "https://", "mailto:")):
            out.append(_plain(inner.split("|", 1)[1]))
        elif inner.startswith(("http://", "https://", "mailto:")):
            out.append(_plain(inner))
        else:
            out.append(_plain(match.group(0)))
        pos = match.end()
    out.append(_plain(text[pos:]))
    return "".join(out)


def quote(text: str) -> str:
    """Escaped user text as a Slack block quote, every line marked."""
    return "\n".join("> " + line for line in escape(text).splitlines() or [""])


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
