"""Buyer-side people and roles named in a message, as written ("Aisha", "CFO", "head of IT").

Single people and roles count; groups and departments ("their IT team") do not, nor our own colleagues
("Raj from our solutions team", "my manager").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.coach.gate import Lexicon, one_of, stems
from bot.coach.names import AMBIGUOUS, FIRST_NAMES, NOT_NAMES

_ACRONYM_ROLES = (
    r"C[EFOITMRHP]O|CISO|CMIO|CNO|CCO|CDO|CSO|CAO|CXO|GC|EA|VPE|DPO|SVP|EVP|CHRO|CMO"  # C-suite and assistants
)
_FUNCTION = (
    r"IT|finance|sales|ops|operations|procurement|purchasing|engineering|security|people|HR|legal|marketing|"
    r"product|data|nursing|logistics|supply chain|transport|transportation|clinical|revenue cycle|billing|"
    r"facilities|infrastructure|compliance|risk|treasury|accounting|customer service|support|quality|"
    r"manufacturing|maintenance|warehouse|fleet|pharmacy|claims|underwriting|growth|partnerships|digital|"
    r"technology|innovation|talent|recruiting|payroll|dispatch|safety|patient access|strategy|analytics|"
    r"distribution|payments|fraud|infosec|cyber|cybersecurity|commercial ops|commercial operations|commercial|"
    r"academics|admissions|curriculum|student services|pharmacovigilance|regulatory affairs|regulatory|"
    r"medical affairs|QA|quality assurance|trading|lending|credit|merchandising|store operations|estates|"
    r"construction|information security|underwriting|actuarial|catering|IT security"
)
_QUALIFIER = (
    r"practice|plant|office|ops|operations|project|program|programme|facilities|warehouse|fleet|procurement|"
    r"purchasing|category|general|finance|HR|clinic|site|store|branch|regional|IT|network|nurse|ward|"
    r"transport|logistics|billing|revenue cycle|dispatch|production|quality|maintenance|safety|hospital|"
    r"deputy|assistant|associate|area|district|country|account|program|portfolio|category|fraud|branch|school"
)
_TITLES = (
    rf"(?:S?VP|EVP|AVP)(?: of)? (?:{_FUNCTION})"
    rf"|(?:chief|head|director|vp|vice president|manager) of (?:{_FUNCTION})"
    rf"|(?:{_FUNCTION}) (?:director|lead|head|chief|vp)"
    rf"|(?:{_QUALIFIER}) (?:manager|mgr|director|supervisor|administrator|lead|super)"
    # "head of X" names one person whatever X is; the known functions above come first so that
    # "VP of supply chain" is read whole.
    r"|(?:head|director|vp|vice president|dean) of "
    r"(?!the\b|a\b|an\b|our\b|my\b|their\b|his\b|her\b|it\b|this\b)[A-Za-z]+"
    r"|general counsel|controller|comptroller|founder|co-founder|medical director|superintendent|treasurer|"
    r"economic buyer|principal|vice principal|headteacher|head teacher|dean|bursar|registrar|provost|chancellor|"
    r"foreman|commissioner|deputy director"
)
_NOT_A_GROUP = r"\b(?! (?:team|department|dept|group|org|function|office|staff))"
ROLE_RE = re.compile(
    rf"\b(?P<role>(?-i:{_ACRONYM_ROLES})|{_TITLES}|(?-i:EVP|SVP|VP|MD|GM)){_NOT_A_GROUP}", re.IGNORECASE
)
# ROLE_RE in three parts, so the long middle one can run on lowercased text without IGNORECASE, several times
# faster; `_roles` merges their matches back into ROLE_RE's.
_ROLE_PARTS = (
    re.compile(rf"\b(?P<role>(?-i:{_ACRONYM_ROLES})){_NOT_A_GROUP}", re.IGNORECASE),
    re.compile(rf"\b(?P<role>{_TITLES.lower()}){_NOT_A_GROUP}"),
    re.compile(rf"\b(?P<role>(?-i:EVP|SVP|VP|MD|GM)){_NOT_A_GROUP}", re.IGNORECASE),
)

# Every title starts with one of these words: the long title pattern is only tried where one begins.
_TITLE_FIRST_WORDS = {
    branch.split(" ")[0].split("-")[0] for branch in f"{_FUNCTION}|{_QUALIFIER}".lower().split("|")
} | {
    *("svp", "vp", "evp", "avp", "chief", "head", "director", "vice", "manager", "dean", "general", "controller"),
    *("comptroller", "founder", "co", "medical", "superintendent", "treasurer", "economic", "principal"),
    *("headteacher", "bursar", "registrar", "provost", "chancellor", "foreman", "commissioner", "deputy"),
}
_TITLE_STARTS = re.compile(rf"(?:{one_of(*_TITLE_FIRST_WORDS)})\b")


def _title_search(lowered: str, pos: int = 0) -> re.Match[str] | None:
    """`_ROLE_PARTS[1].search(lowered, pos)`, trying the pattern only where a title can start."""
    for start in _TITLE_STARTS.finditer(lowered, pos):
        at = start.start()
        if at and (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
            continue
        found = _ROLE_PARTS[1].match(lowered, at)
        if found is not None:
            return found
    return None


def _roles(text: str) -> Iterator[tuple[int, str]]:
    """(start, role as written) for each match of ROLE_RE.finditer(text)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        yield from ((m.start(), m.group("role")) for m in ROLE_RE.finditer(text))
        return
    subjects = (text, lowered, text)
    searches = (_ROLE_PARTS[0].search, _title_search, _ROLE_PARTS[2].search)
    pending = [search(subject) for search, subject in zip(searches, subjects, strict=True)]
    while True:
        # The leftmost match wins; at the same start, the earlier part (ROLE_RE tries its branches in order).
        first = min((i for i, m in enumerate(pending) if m is not None), key=lambda i: pending[i].start(), default=None)  # type: ignore[union-attr]
        if first is None:
            return
        match = pending[first]
        assert match is not None
        yield match.start(), text[match.start("role") : match.end("role")]
        resume = match.end()
        pending = [
            m if m is None or m.start() >= resume else search(subject, resume)
            for search, subject, m in zip(searches, subjects, pending, strict=True)
        ]


# Every role pattern contains one of these words: a cheap check before the long role pattern runs.
_ROLE_WORDS = frozenset(
    [
        *("ceo", "cfo", "coo", "cio", "cto", "cmo", "cro", "cho", "cpo", "ciso", "cmio", "cno", "cco", "cdo"),
        *("cso", "cao", "cxo", "gc", "ea", "vpe", "dpo", "svp", "evp", "avp", "chro", "vp", "md", "gm"),
        *("chief", "head", "director", "vice", "manager", "mgr", "lead", "supervisor", "administrator"),
        *("counsel", "controller", "comptroller", "founder", "superintendent", "treasurer", "buyer"),
        *("principal", "headteacher", "dean", "bursar", "registrar", "provost", "chancellor", "foreman"),
        *("commissioner", "super", "teacher"),
    ]
)
# The stems (see gate.stems) of the role words: a message with none of them names no role.
_ROLE_STEM_KEYS = frozenset(word[:4] for word in _ROLE_WORDS)
_ROLE_WORD = re.compile(rf"(?:{one_of(*_ROLE_WORDS)})\b")  # on lowercased text; see _has_role_word
_PRONOUNS = frozenset(["he", "she", "his", "her", "him"])
_INTERNAL_ROLE = re.compile(r"\b(?:our|my)\s+(?:own\s+)?$", re.IGNORECASE)
_GROUP_PREFIX = re.compile(r"\b(?:their|the|our|his|her)\s+$", re.IGNORECASE)
# The boundary check sits after the first capital, so the engine can skip straight to capitals.
_CAPITALISED = re.compile(r"[A-Z](?<![\w][A-Z])[a-z]+(?:-[A-Z][a-z]+)?\b(?!-)")
_PERSON_CONTEXT = re.compile(
    r"^(?:'s|’s)?\s*(?:said|says|told|asked|wants|wanted|insists|thinks|confirmed|mentioned|agreed|replied|"
    r"emailed|is worried|is the one|owns|can do|is out|'s out|'s been|has been|is in|signed off|approved|pushed)\b",
)
_COLLEAGUE_AFTER = re.compile(
    r"^\s*(?:from|on|in) (?:our|my)\b|^\s*\((?:our |my )?(?:se|ae|csm|sdr|bdr|am|sales engineer|solutions engineer)\)",
    re.IGNORECASE,
)
# "Mr. Venkatesh", "Dr Okafor": a title makes any capitalised word a person.
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.? ([A-Z][a-z]+)\b")
_COLLEAGUE_BEFORE = re.compile(
    r"\b(?:thanks|thank you|thx|ty|cc|welcome|our|my|ask|hey|hi)\s*,?\s*$|\b(?:our|my) (?:\w+ ){0,2}$",
    re.IGNORECASE,
)
_WITH_BEFORE = re.compile(r"\b(?:with|from|for|and)\s+$", re.IGNORECASE)
_PRONOUN = Lexicon(r"(?#he she his her him)\b(?:he|she|his|her|him)\b")


def _has_role_word(text: str, words: frozenset[str]) -> bool:
    """Whether the text may contain a role word: cheap, and never False when it does."""
    if _ROLE_STEM_KEYS.isdisjoint(words):
        return False
    lowered = text.lower()
    found = _ROLE_WORD.search(lowered)
    while found is not None:  # a role word that starts a word
        if not found.start() or not (lowered[found.start() - 1].isalnum() or lowered[found.start() - 1] == "_"):
            return True
        found = _ROLE_WORD.search(lowered, found.start() + 1)
    return False


def stakeholders_in(text: str, words: frozenset[str] | None = None) -> tuple[str, ...]:
    """Names and roles in order of first mention, as written, deduplicated.

    `words` is `gate.stems()` of the text (or of a text with the same words), if already computed.
    """
    found: list[tuple[int, str]] = []
    if words is None:
        words = stems(text.lower())
    for start, role in _roles(text) if _has_role_word(text, words) else ():
        if _INTERNAL_ROLE.search(text, max(0, start - 12), start):
            continue
        found.append((start, role))
    has_pronoun = not _PRONOUNS.isdisjoint(words) and _PRONOUN.search(text, None, words)
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        if not (has_pronoun or word in FIRST_NAMES):
            continue
        lower = word.lower()
        at = match.start()
        if lower in NOT_NAMES or any(start <= at < start + len(r) for start, r in found):
            continue
        after = text[match.end() : match.end() + 40]
        before = text[max(0, at - 24) : at]
        person = _PERSON_CONTEXT.match(after) is not None
        if lower in AMBIGUOUS:
            if not (person or _WITH_BEFORE.search(before)):
                continue
        elif word not in FIRST_NAMES and not (has_pronoun and person):
            continue
        if _COLLEAGUE_BEFORE.search(before) or _COLLEAGUE_AFTER.match(after):
            continue
        found.append((at, word))
    if "Mr" in text or "Ms" in text or "Dr" in text or "Prof" in text or "Mx" in text:
        for match in _HONORIFIC.finditer(text):
            at = match.start(1)
            if not any(start <= at < start + len(r) for start, r in found) and not _COLLEAGUE_BEFORE.search(
                text, max(0, match.start() - 24), match.start()
            ):
                found.append((at, match.group(1)))
    seen: dict[str, str] = {}
    for _, name in sorted(found):
        seen.setdefault(name.lower(), name)
    return tuple(seen.values())
