"""Slack mrkdwn to plain text, so the analyzer reads what a person would read."""

from __future__ import annotations

import re

_USER = re.compile(r"<@[UW][A-Z0-9]+(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#C[A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([^>|]*)(?:\|([^>]*))?>")
_LINK = re.compile(r"<([^<>|\s]+)(?:\|([^<>]*))?>")
# Lookbehinds sit after the first character, so the engine can skip straight to it.
_EMOJI = re.compile(r":(?<!\d:)[a-z0-9_+\-']*[a-z+][a-z0-9_+\-']*:")
_CODE_BLOCK = re.compile(r"```(.*?)```", re.DOTALL)
_WRAPPERS = tuple(
    re.compile(rf"{m}(?<![\w{m}]{m})(?=\S)(.+?)(?<=\S){m}(?![\w{m}])", re.DOTALL) for m in (r"\*", "_", "~", "`")
)
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,.!?;:])")


def _special(match: re.Match[str]) -> str:
    # <!here>, <!channel>, <!everyone> vanish; <!subteam^ID|@team> and <!date^…|fallback> keep their label.
    return match.group(2) or ""


def strip_markup(text: str) -> str:
    """Remove Slack markup: mentions, channel and URL wrappers, formatting markers, emoji codes, escapes."""
    original = text
    if "<" in text:
        text = _USER.sub(lambda m: m.group(1) or "", text)
        text = _CHANNEL.sub(lambda m: "#" + m.group(1) if m.group(1) else "", text)
        text = _SPECIAL.sub(_special, text)
        text = _LINK.sub(lambda m: m.group(2) or "", text)
    if ":" in text:
        text = _EMOJI.sub("", text)
    if "```" in text:
        text = _CODE_BLOCK.sub(r"\1", text)
    for marker, pattern in zip("*_~`", _WRAPPERS, strict=True):
        if marker in text:
            text = pattern.sub(r"\1", text)
    if "&" in text:
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    if text is not original:
        text = _SPACES.sub(" ", _SPACE_BEFORE_PUNCT.sub(r"\1", text))
    if "\n" in text:
        return "\n".join(line.strip() for line in text.split("\n")).strip()
    return text.strip()
