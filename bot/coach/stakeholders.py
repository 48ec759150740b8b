"""Buyer-side people and roles named in a message, as written ("Aisha", "CFO", "head of IT").

Single people and roles count; groups and departments ("their IT team") do not, nor our own colleagues
("Raj from our solutions team", "my manager").
"""

from __future__ import annotations

import re

from bot.coach.names import AMBIGUOUS, FIRST_NAMES, NOT_NAMES

_ACRONYM_ROLES = (
    r"C[EFOITMRHP]O|CISO|CMIO|CNO|CCO|CDO|CSO|CAO|CXO|GC|EA|VPE|DPO|SVP|EVP|CHRO|CMO"  # C-suite and assistants
)
_FUNCTION = (
    r"IT|finance|sales|ops|operations|procurement|purchasing|engineering|security|people|HR|legal|marketing|"
    r"product|data|nursing|logistics|supply chain|transport|transportation|clinical|revenue cycle|billing|"
    r"facilities|infrastructure|compliance|risk|treasury|accounting|customer service|support|quality|"
    r"manufacturing|maintenance|warehouse|fleet|pharmacy|claims|underwriting|growth|partnerships|digital|"
    r"technology|innovation|talent|recruiting|payroll|dispatch|safety|patient access|strategy|analytics"
)
_QUALIFIER = (
    r"practice|plant|office|ops|operations|project|program|programme|facilities|warehouse|fleet|procurement|"
    r"purchasing|category|general|finance|HR|clinic|site|store|branch|regional|IT|network|nurse|ward|"
    r"transport|logistics|billing|revenue cycle|dispatch|production|quality|maintenance|safety|hospital"
)
ROLE_RE = re.compile(
    rf"\b(?P<role>(?-i:{_ACRONYM_ROLES})"
    rf"|(?:S?VP|EVP|AVP)(?: of)? (?:{_FUNCTION})"
    rf"|(?:chief|head|director|vp|vice president|manager) of (?:{_FUNCTION})"
    rf"|(?:{_FUNCTION}) (?:director|lead|head|chief|vp)"
    rf"|(?:{_QUALIFIER}) (?:manager|mgr|director|supervisor|administrator|lead)"
    r"|general counsel|controller|comptroller|founder|co-founder|medical director|superintendent|treasurer|"
    r"economic buyer|(?-i:EVP|SVP|VP|MD|GM))\b"
    r"(?! (?:team|department|dept|group|org|function|office|staff))",
    re.IGNORECASE,
)
# Every role pattern contains one of these words: a cheap check before the long role pattern runs.
_ROLE_WORDS = frozenset(
    [
        *("ceo", "cfo", "coo", "cio", "cto", "cmo", "cro", "cho", "cpo", "ciso", "cmio", "cno", "cco", "cdo"),
        *("cso", "cao", "cxo", "gc", "ea", "vpe", "dpo", "svp", "evp", "avp", "chro", "vp", "md", "gm"),
        *("chief", "head", "director", "vice", "manager", "mgr", "lead", "supervisor", "administrator"),
        *("counsel", "controller", "comptroller", "founder", "superintendent", "treasurer", "buyer"),
    ]
)
_WORD = re.compile(r"[a-z]+")
_INTERNAL_ROLE = re.compile(r"\b(?:our|my)\s+(?:own\s+)?$", re.IGNORECASE)
_GROUP_PREFIX = re.compile(r"\b(?:their|the|our|his|her)\s+$", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b(?-i:[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!-)")
_PERSON_CONTEXT = re.compile(
    r"^(?:'s|’s)?\s*(?:said|says|told|asked|wants|wanted|insists|thinks|confirmed|mentioned|agreed|replied|"
    r"emailed|is worried|is the one|owns|can do|is out|'s out|'s been|has been|is in|signed off|approved|pushed)\b",
)
_COLLEAGUE_AFTER = re.compile(r"^\s*(?:from|on|in) (?:our|my)\b|^\s*\((?:se|ae|csm|sdr|bdr)\)", re.IGNORECASE)
_COLLEAGUE_BEFORE = re.compile(
    r"\b(?:thanks|thank you|thx|ty|cc|welcome|our|my|ask|hey|hi)\s*,?\s*$|\b(?:our|my) (?:\w+ ){0,2}$",
    re.IGNORECASE,
)
_WITH_BEFORE = re.compile(r"\b(?:with|from|for|and)\s+$", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him)\b", re.IGNORECASE)


def stakeholders_in(text: str) -> tuple[str, ...]:
    """Names and roles in order of first mention, as written, deduplicated."""
    found: list[tuple[int, str]] = []
    roles = ROLE_RE.finditer(text) if not _ROLE_WORDS.isdisjoint(_WORD.findall(text.lower())) else ()
    for match in roles:
        if _INTERNAL_ROLE.search(text, max(0, match.start() - 12), match.start()):
            continue
        found.append((match.start(), match.group("role")))
    has_pronoun = _PRONOUN.search(text) is not None
    for match in _CAPITALISED.finditer(text):
        word, lower = match.group(0), match.group(0).lower()
        if lower in NOT_NAMES or not (has_pronoun or word in FIRST_NAMES):
            continue
        if any(start <= match.start() < start + len(r) for start, r in found):
            continue
        after = text[match.end() : match.end() + 40]
        before = text[max(0, match.start() - 24) : match.start()]
        person = _PERSON_CONTEXT.search(after) is not None
        if lower in AMBIGUOUS:
            if not (person or _WITH_BEFORE.search(before)):
                continue
        elif word not in FIRST_NAMES and not (has_pronoun and person):
            continue
        if _COLLEAGUE_BEFORE.search(before) or _COLLEAGUE_AFTER.search(after):
            continue
        found.append((match.start(), word))
    seen: dict[str, str] = {}
    for _, name in sorted(found):
        seen.setdefault(name.lower(), name)
    return tuple(seen.values())
