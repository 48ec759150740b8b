"""Buyer-side people in one message: one entry per person, with the name and the role apart.

The stakeholder tagger may list "CFO", "Dana" and "Whitfield" for "their CFO Dana Whitfield"; here they
become one person, `Dana Whitfield`, role `CFO`. Pure: text and stakeholder strings in, people out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.coach.names import NOT_NAMES
from bot.coach.stakeholders import ROLE_RE

# Between two parts of one person: "CFO Dana", "Dana, their CFO", "Priya (VP Finance)", "head of ops, Riaan".
_JOIN = re.compile(r"\s*,?\s*(?:(?:their|the|who is|who's|is)\s+)?|\s*\(\s*|\s*[-–—]\s*", re.IGNORECASE)
_WORD = r"[A-Z](?:['’][A-Z])?[a-z]+(?:-[A-Z][a-z]+)?"
_SURNAME = re.compile(rf"[ \t]+((?:(?:van|von|de|da|del|der|le|la|di|bin|al)[ \t]+)?{_WORD})\b")
_HONORIFICS = r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Pan|Pani|Herr|Frau|Sr|Sra)\.?"
_NAME_AFTER_ROLE = re.compile(rf",?[ \t]+((?:{_HONORIFICS}[ \t]+)?{_WORD}(?:[ \t]+{_WORD}){{0,2}})\b")
_CLOSE = re.compile(r"\s*\)")
_NOT_A_PERSON = re.compile(
    r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|tues|wed|thu|thur|thurs|fri)\.?", re.I
)
_TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.?\s$")
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Mx|Dr|Prof|Pan|Pani|Herr|Frau|Sr|Sra)\.?\s+", re.IGNORECASE)
_FUNCTION_WORDS = (
    r"ops|operations|sales|finance|it|hr|marketing|procurement|engineering|product|data|security|legal|"
    r"digital|supply chain|logistics|quality|clinical|nursing|technology|strategy|partnerships|people"
)
_ABBREVIATIONS = {
    "dir": "director",
    "mgr": "manager",
    "ops": "operations",
    "vp": "vp",
    "vice president": "vp",
    "svp": "svp",
    "hr": "hr",
    "it": "it",
}


@dataclass(frozen=True, slots=True)
class PersonFact:
    """One person as the message names them: `span` as written ("CFO Dana Whitfield"), `name`
    ("Dana Whitfield") and `role` ("CFO") where present; a role alone has no name."""

    span: str
    name: str | None
    role: str | None

    @property
    def label(self) -> str:
        """How a question names them: the name as written, or the role with an article ("the CFO")."""
        return self.name if self.name else the_role(self.role or self.span)

    @property
    def key(self) -> str:
        return person_key(self.name, self.role)


def the_role(role: str) -> str:
    """ "CFO" -> "the CFO", "Head of data" -> "the head of data", "VP Finance" -> "the VP Finance"."""
    words = role.split()
    if words and not words[0].isupper():
        words[0] = words[0].lower()
    return "the " + " ".join(words)


def role_key(role: str) -> str:
    words = " ".join(role.casefold().replace(".", "").split())
    for short, long in _ABBREVIATED:
        words = short.sub(long, words)
    return words.removeprefix("the ")


_ABBREVIATED = tuple((re.compile(rf"\b{short}\b"), long) for short, long in _ABBREVIATIONS.items())


def name_key(name: str) -> str:
    return " ".join(_HONORIFIC.sub("", name.strip()).casefold().split())


def person_key(name: str | None, role: str | None) -> str:
    return f"name:{name_key(name)}" if name else f"role:{role_key(role or '')}"


def same_person(a_name: str | None, a_role: str | None, b_name: str | None, b_role: str | None) -> bool:
    """Whether two mentions are one person: the same name (a first name matches its full name), or, where
    at least one has no name, the same role."""
    if a_name and b_name:
        first, second = name_key(a_name).split(), name_key(b_name).split()
        if first == second:
            return True
        shorter, longer = sorted((first, second), key=len)
        return len(shorter) == 1 and shorter[0] == longer[0]
    if a_role and b_role:
        return role_key(a_role) == role_key(b_role)
    return False


def split_person(span: str) -> tuple[str | None, str | None]:
    """(name, role) of a span: the role is the title in it, the name the capitalised words around it."""
    text = span.strip().strip(",()").strip()
    found = ROLE_RE.search(text)
    if found is None:
        if text[:1].isupper() or _HONORIFIC.match(text):
            return text, None
        return None, text
    role = found.group("role")
    before, after = text[: found.start()], text[found.end() :]
    # A department word right after the title is part of it: "GM Ops", "VP Sales".
    extra = _FUNCTION_AFTER.match(after)
    if extra:
        role, after = role + " " + extra.group(1), after[extra.end() :]
    rest = (before + " " + after).replace("(", " ").replace(")", " ")
    rest = _NOT_NAME_WORDS.sub(" ", rest)
    words = [w for w in rest.split() if w[:1].isupper() or _HONORIFIC.match(w + " ")]
    titled = next((i for i, w in enumerate(words) if _HONORIFIC.match(w + " ")), 0)
    words = words[titled:]  # "VP Academic Dr. Helen Park": the name starts at the honorific
    return (" ".join(words) if words else None), role


_FUNCTION_AFTER = re.compile(rf"\s+((?:{_FUNCTION_WORDS})(?:\s(?:{_FUNCTION_WORDS}))*)\b", re.IGNORECASE)
_NOT_NAME_WORDS = re.compile(r"\b(?:their|the|of|at|from|who is|is|'s)\b|[,–—-]", re.IGNORECASE)


def people_in(text: str, stakeholders: tuple[str, ...]) -> tuple[PersonFact, ...]:
    """The message's people in order, one each: a name keeps the surname after it, a role keeps the name
    that follows it ("head of IT Raj"), spans that touch ("CFO" "Dana") become one, and each person is
    split into name and role."""
    spans: list[tuple[int, int, bool]] = []  # start, end, is a role
    cursor = 0
    for stakeholder in stakeholders:
        at = text.find(stakeholder, cursor)
        if at < 0:
            at = text.find(stakeholder)
        if at < 0:
            continue
        cursor = at + len(stakeholder)
        is_role = ROLE_RE.fullmatch(stakeholder) is not None
        title = None if is_role else _TITLE_BEFORE.search(text, max(0, at - 8), at)
        start = title.start() if title else at
        spans.append((start, _extend(text, at + len(stakeholder), is_role), is_role))
    spans.sort()
    merged: list[list[int]] = []  # start, end, roles in it
    for start, end, is_role in spans:
        if merged and (start < merged[-1][1] or _JOIN.fullmatch(text[merged[-1][1] : start])):
            last = merged[-1]
            if start < last[1] or last[2] + is_role <= 1:
                last[1], last[2] = max(last[1], end), last[2] + (is_role and start >= last[1])
                continue
        merged.append([start, end, int(is_role)])
    people: list[PersonFact] = []
    for start, end, _ in merged:
        close = _CLOSE.match(text, end)
        if close and text.count("(", start, end) > text.count(")", start, end):
            end = close.end()
        span = text[start:end].strip(" ,")
        name, role = split_person(span)
        if name and not role and _NOT_A_PERSON.fullmatch(name):
            continue  # "Jan", "Sept": a month the tagger took for a name
        if any(same_person(name, role, p.name, p.role) for p in people):
            continue
        people.append(PersonFact(span=span, name=name, role=role))
    return tuple(people)


def _extend(text: str, end: int, is_role: bool) -> int:
    """Where a person's span really ends: after a surname, or after the name that follows a role."""
    pattern = _NAME_AFTER_ROLE if is_role else _SURNAME
    found = pattern.match(text, end)
    while found is not None and found.group(1).casefold() not in NOT_NAMES and not ROLE_RE.fullmatch(found.group(1)):
        end = found.end(1)
        if is_role:
            break
        found = _SURNAME.match(text, end)
    return end
