"""Who else is in the deal: a competitor ("went w dockhero", "Rivalsoft offered them 20% off") and other
named things (a product, a standard: "SOC 2 Type II", "NZISM checklist")."""

from __future__ import annotations

import re

from bot.coach.clauses import MONTHS, anchored, clause, word_positions
from bot.coach.people import PersonFact

# A competitor: a name after the words that introduce one, or before the words that follow one. A name in
# lower case ("went w dockhero") counts only after a verb that can only introduce a competitor.
_CAP_WORD = r"[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*"

_CAP_NAME = rf"(?:{_CAP_WORD}|[a-z]+[A-Z]\w*)(?:\s(?:{_CAP_WORD}|AI|IQ|HR|\d+))*"

_ANY_NAME = rf"(?:{_CAP_NAME}|[a-z][a-z0-9-]{{3,}})"

COMPETITOR_BEFORE = re.compile(
    r"\b(?i:(?:went|gone|going|go)\s(?:with|w/?)|(?:moved|moving|switched|switching)\s(?:to|over to)"
    r"|(?:signed|signing)\s(?:with|w/?)|awarded\s(?:to|it to)"
    r"|decided\s(?:for|on)"
    r"|(?:sticking|stick|staying|stay|stayed|renewed|renewing)\s(?:with|w/?|on)|locked\s(?:in\s)?(?:with|w/?|into|to)"
    r"|(?:chose|picked|selected|choosing|picking|lost to|losing to|lose to|lost it to|replaced by|won by)"
    r"|lost\s(?-i:(?:[A-Z][\w&'’-]*\s){1,3})to"
    r"|(?:use|uses|using|run|runs|running)\s(?:their\s)?(?=[A-Z]\w+\s(?:already|today|now|for years)))"
    rf"\s(?P<name>(?:the\s|their\s|a\s)?{_ANY_NAME})"
    r"|\b(?i:vs\.?|versus|against|instead of|competitor|competitors|incumbent|rival|piloting|trialling|"
    r"trialing|evaluating|comparing us (?:to|with)|cheaper than|extending|extend)\s(?:is\s|was\s|,\s?)?(?:the\s)?"
    rf"(?P<name2>{_CAP_NAME})",
)

COMPETITOR_AFTER = re.compile(
    rf"\b(?P<name>{_CAP_NAME})['’]s?\s(?:commercial\s|whole\s|new\s|own\s)?"
    r"(?:discount|offer|quote|pricing|price|bid|proposal|bundle offer|rep)\b"
    rf"|\b(?P<name2>{_CAP_NAME})\s(?:partner\s|integrator\s|reseller\s|rep\s|team\s)?(?:has\s|have\s|had\s)?"
    r"(?:now\s|just\s|already\s|also\s)?(?:offered|offers?|"
    r"is offering|are offering|quoted|came in|undercut|is cheaper|was cheaper|is piloting|beat us|gave them|given|"
    r"gave|is giving|threw in|is throwing in|can bundle|bundled|told them|is telling them|pitched them)\b"
    rf"|\b(?P<name3>{_ANY_NAME})\s(?:won it|won the deal|got it|got the deal)\b"
    rf"|\b(?P<name5>{_CAP_NAME})\s(?:selected|chosen|picked|preferred|shortlisted|won|alongside us)\b(?!['’]t)"
    rf"|\b(?i:got|has|have|received|with|from)\s(?:an?\s)?(?P<name7>{_CAP_NAME})\s(?:bundle\s)?"
    r"(?:offer|discount|quote|bid|proposal)\b"
    rf"|\b(?i:quote from|offer from|bid from|proposal from|why not(?: just)?|price|priced|match(?:ing)? the)\s"
    rf"(?P<name6>{_CAP_NAME})\b(?=\s(?:alongside|against|at|panel|rate|since|instead|too|as well|for)|[?.,]|$)"
    rf"|\b(?P<name4>{_CAP_NAME})\s(?:comparison|battlecard)\b",
)

_NOT_COMPETITORS_WORDS = """
the them they their it this that us we our a an another someone somebody everyone anyone nobody
incumbent incumbents competitor competitors vendor vendors supplier suppliers provider partner price
pricing budget legal procurement finance security it board cfo ceo coo cio cto vp team in-house inhouse
house internal excel spreadsheets spreadsheet paper status quo current existing me you him her his hers
time timeline timing later now then next signing sign signature plan option options approach solution
product platform tool system one lot ones us mine ours yours which what who whom whose whoever whatever
date offer offers bundle deal free so sign also just cheaper crowd local group global extra full them
all maternity leave holiday holidays i i've i'm i'd thinking honestly look frankly sadly luckily
hopefully i'll we've we'd we'll i’ve i’m will going gonna need can could would should might must maybe
perhaps
"""
NOT_COMPETITORS = frozenset(_NOT_COMPETITORS_WORDS.split())

_COMPETITOR_TRIGGERS_WORDS = """
went gone going go moved moving switched switching signed signing awarded decided sticking stick
staying stay stayed renewed renewing locked chose picked selected choosing picking lost losing lose
replaced won vs versus against instead competitor competitors incumbent rival piloting trialling
trialing evaluating comparing cheaper extending extend discount offer quote pricing price bid
proposal rep offered offers offering quoted came undercut beat gave given giving threw throwing
bundle bundled told telling pitched comparison battlecard chosen preferred shortlisted alongside
match matching priced why already today years
"""
COMPETITOR_TRIGGERS = frozenset(_COMPETITOR_TRIGGERS_WORDS.split())
_WORD = re.compile(r"[a-z]+")
# "AB", "aB", "a1": a letter, then a capital or a digit.
_NAMED_HINT = re.compile(r"[A-Za-z][A-Z\d]")
_MONTH_OR_DAY = re.compile(rf"(?:{MONTHS})|mon|tue|wed|thu|fri|sat|sun|\w+day|today|tomorrow", re.I)
_LEADS_TO_BUYER = re.compile(r"\b(?:at|with|from|for|to)\s$")
_BUYER_ORG_AFTER = re.compile(r"(?:['’]s?\b|\s(?:procurement|legal|it|team|finance|ops|board|people|staff)\b)")
_ROLE_END = re.compile(r"\b(?:director|manager|lead|head|team|officer|chief)$", re.I)
COMPETITOR_STOP = re.compile(
    r"^(?:til|till|until|for|since|because|cheaper|instead|after|before|in|on|at|by|as|who|which|that|with)$", re.I
)

# A named thing that is neither a person nor a month: a product, a rival, a standard, an event.
NAMED = re.compile(
    r"(?<![\w@#])(?:[A-Z][\w&.-]*\d[\w.-]*|[A-Z]{2,}[A-Za-z]*\s\d[\w.-]*|[a-z]*[A-Z][a-z]+[A-Z][\w-]*"
    r"|[A-Z]{3,}[\w-]*)"
    r"(?:\s(?:[A-Z][\w&-]+|\d[\w.]*))*"
    r"(?:\s(?!(?:and|or|but|so|to|of|in|on|at|for|with|is|are|was|were|the|a|an|can|can't|will|by|from|as|if|that|"
    r"which|we|they|it|this|all|be|been|has|have|had|our|their|its|not|no)\b)[a-z][a-z-]+){0,2}(?:\s\d+)?"
)

ID_LIKE = re.compile(r"^(?:[A-Z]{1,4}-?\d{4,}|Q[1-4]|H[12]|FY\d*|[A-Z]{1,3}\d{1,2})$")


_ARTICLE = re.compile(r"^(?:the|their|a)\s(?=[A-Z])")
_CONTRACTED = re.compile(r"['’](?:ve|re|ll|d|m)$", re.I)
_OPENING_NAME = re.compile(r"\W*[A-Z][\w&’'-]*(?:\s[A-Z][\w&’'-]*)*")


def competitor_in(text: str, people: tuple[PersonFact, ...], words: frozenset[str] | None = None) -> str | None:
    """A competitor in the deal, by name, or as written when the seller writes it in lower case."""
    present = COMPETITOR_TRIGGERS & (words if words is not None else frozenset(_WORD.findall(text.lower())))
    if not present:
        return None
    hits = word_positions(text, present)
    named = {part.casefold() for p in people for part in (p.name or "").split()}
    for pattern in (COMPETITOR_BEFORE, COMPETITOR_AFTER):
        for found in anchored(pattern, hits, text, back=4):
            name = next((g for g in found.groups() if g), "").strip(" .,'’")
            if name[:1].islower():  # "went with the bank's own collections product": the phrase, as written
                at = text.find(name, found.start())
                name = clause(text, at, max_words=5, stop=COMPETITOR_STOP) or name
                name = _ARTICLE.sub("", name)
            name = name.strip(" .,;:'’")
            if _CONTRACTED.search(name):
                continue  # "They've offered": a pronoun, not a name
            words = name.split()
            while words and (words[-1].casefold() in NOT_COMPETITORS or words[-1].isdigit()):
                words.pop()
            name = " ".join(words)
            first = name.split()[0].casefold() if name else ""
            if first in ("the", "their", "a") and len(words) > 1:
                first = words[1].casefold()
            if not name or first in NOT_COMPETITORS or first in named or is_month_or_day(first):
                continue
            return name
    return None


def named_in(text: str, people: tuple[PersonFact, ...], competitor: str | None) -> str | None:
    if not _NAMED_HINT.search(text):
        return None
    """The first named thing past the message's opening words (which usually name the buyer's company)."""
    names = {part.casefold() for p in people for part in f"{p.name or ''} {p.role or ''}".split()}
    first = _OPENING_NAME.match(text)
    skip = first.end() if first else 0
    for found in NAMED.finditer(text, skip):
        name = found.group().strip(" .,'’")
        words = name.split()
        before = text[max(0, found.start() - 6) : found.start()].lower()
        after = text[found.end() : found.end() + 14].lower()
        if (
            (competitor and name in competitor)
            or _LEADS_TO_BUYER.search(before)
            or _BUYER_ORG_AFTER.match(after)
            or any(is_month_or_day(w) for w in words)
            or words[0].casefold() in names
            or words[0].casefold() in NOT_COMPETITORS
            or is_month_or_day(words[0])
            or words[0] in _ROLES_AND_NOISE
            or ID_LIKE.match(words[0])
            or _ROLE_END.search(name)
            or (text[max(0, found.start() - 2) : found.start()].strip() in (".", "!", "?", ":") and len(words) == 1)
        ):
            continue
        return name
    return None


_ROLES_AND_NOISE_WORDS = """
CEO CFO COO CIO CTO CMO CRO CISO CNO CNIO CDO CSO CPO VP SVP EVP GM MD HR IT PO POC QBR RFP RFI MSA SOW
NDA DPA SLA SSO API UI UX AI ASAP FYI EOD EOM EOQ EOY TBH IMO OOO PM AM PT ET CT MT GMT UTC IST AEST CET
BST ROI KPI OKR CRM ERP SE AE SDR BDR CSM LOL OK PS NB QA HQ
"""
_ROLES_AND_NOISE = frozenset(_ROLES_AND_NOISE_WORDS.split())


def is_month_or_day(word: str) -> bool:
    return bool(_MONTH_OR_DAY.fullmatch(word))
