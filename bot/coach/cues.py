"""The cues that start a fact in words rather than numbers: a personal stake, a pain, a goal, what the buyer
asks of us, what stops them, why they decided, what a call is about, our own pressure, a cancelled call.

Every pattern finds a cue; `clauses.clause` then takes the words after it, so the fact comes back in the
seller's own words.
"""

from __future__ import annotations

import re

OUR_PRESSURE = re.compile(
    r"\b(?:(?:my|our|the team's|team)\s(?:own\s)?(?:annual\s|quarterly\s|sales\s|revenue\s|[\w]+-sourced\s|"
    r"h[12]\s|q[1-4]\s|fy\s|partner\s)?(?:quota|number|numbers|q[1-4]|quarter|month|target|fy|fiscal year|"
    r"financial year|"
    r"commission|forecast|year|half|h[12]|attainment|accelerators?|spiff|president'?s club|gate|month-end|"
    r"quarter-end|year-end)(?!\s(?:accounts|deals|pipeline|review|planning|plan|calls|meetings|update|business))"
    r"|quota|(?:my|our)\scommission|(?-i:commission)\s(?:check|cheque|payout|plan)|accelerators?|spiff|sweetener"
    r"|(?:short|light)\son\s(?:quota|the number|my number)"
    r"|(?:rush|hurry|urgency|pressure|push)\s(?:on\s[\w ]{1,20}\s)?is\s(?:all\s)?(?:mine|ours|from our side|on us|ours)"
    r"|(?:i|we)\s(?:really\s|badly\s|just\s)?(?:need|needs|want|gotta|have to|must)\s(?:this|it|them|one|"
    r"the logo|a logo|one more|[A-Z][\w-]*(?:\s[A-Z][\w-]*)?)\s(?:signed|closed|in|booked|done|before|by|"
    r"this|inked|landed)"
    r"|pull(?:ing)?\s(?:it|this|them|[A-Z][\w-]*(?:['’]s)?(?:\s[\w-]+){0,2})\s(?:in|into|forward)"
    r"|(?:offer|offering|give|giving|throw in|throwing in)\s(?:them\s)?(?:a\s)?(?:once-off\s|one-time\s)?"
    r"\d+\s?%(?:\soff|\sdiscount)?\s(?:if|to)\s(?:they|it)"
    r"|close (?:it |this )?(?:this|by|before) (?:month|quarter|eoq|eom|friday|the end)|end of (?:the )?quarter"
    r"|(?:^|(?<=[.!?]\s))need\s(?:it|this|them|[A-Z][\w-]*)\s(?:signed|closed|in|done|booked|over the line)"
    r"|eoq|eom)\b",
    re.IGNORECASE,
)

# Signs that an offer or a deadline in the message is someone else's: a rival's or the buyer's.
OTHER_PARTY = re.compile(
    r"\b(?:offered|is offering|are offering|has offered|gave them|giving them|is giving|has given|quoted them)\b"
    r"|\b(?:asked|asking|asks|wants to know)\s(?:if|whether)\swe\b|\bcan we match\b|\bmatch (?:it|that|them|the)\b"
    r"|\b(?:counter|counter-?offer|their deadline|their date|their year|their fiscal|their board)\b",
    re.IGNORECASE,
)

STOPPED_CHECK = re.compile(
    r"\b(?:stopped|stop|no longer|quit|won't|wont|not gonna|not going to|not|backed off|backing off|easing off|"
    r"eased off)\s(?:be\s)?(?:push|pushing|rush|rushing|chasing|nudging|pressuring|keep nudging)\b|"
    r"\b(?:backed|backing|eased|easing) off\b|\btake the time (?:she|he|they) needs?\b",
    re.IGNORECASE,
)

# Words the buyer said, quoted by the seller: 'a spreadsheet nobody trusts'.
QUOTED = re.compile(r"(?:(?<=\s)|^)['‘\"“]([^'’\"”\n]{6,80})['’\"”](?=[\s.,;:!?)]|$)")

# What the message is about: "a call about integration with the customs system", "re: credit risk use case".
TOPIC_STOP = re.compile(r"^(?:so|because|but|and|then|as|we|i|they|which|who)$", re.I)

TOPIC = re.compile(
    r"\b(?:about|(?<!['’])re:?|regarding|around|to (?:talk|go|walk) through|to discuss|to agree|to sort|"
    r"on the subject of|"
    r"agenda(?: from their side)?:|aim is to)\s(?=[a-zA-Z])",
    re.IGNORECASE,
)

# What stops them: "no budget this year", "capex is frozen", "hiring freeze", "not a priority".
BLOCKER = re.compile(
    r"\b(?:no (?:budget|money|funding|capex|headcount)|(?:budget|capex|spend|spending|hiring|capital)\s"
    r"(?:is\s|are\s|was\s|'s\s)?"
    r"(?:frozen|freeze|closed|cut|on hold|gone|spent|pulled)|(?:hiring|budget|capex|spending|capital) freeze|"
    r"not (?:a |the )?(?:top )?priority|not fundable|can'?t (?:justify|fund|afford)|"
    r"budget\s(?:is\s|was\s)?(?:exhausted|used up|spent|gone))\b",
    re.IGNORECASE,
)

BLOCKER_STOP = re.compile(r"^(?:so|because|but|and|when|maybe|we|i|they)$", re.I)

# Why they decided: "switching mid-season was too much risk", "reason given: the change effort is too high".
REASON = re.compile(
    r"\b(?:because(?: of)?|reason(?: given)?:?|primarily on|mainly on|due to)\s"
    r"|\b(?:said|says|felt)\s(?:that\s)?"
    r"(?=[\w' -]{0,40}\b(?:too|risk|cheaper|expensive|price|cost|easier|simpler|relationship|already|trust)\b)",
    re.IGNORECASE,
)

# What the buyer asks of us: a counter-offer or a condition ("only if we throw in …", "want a 3-year price lock").
ASKS = (
    re.compile(r"\b(?:only|unless)\s(?:if\s)?we\s(?:can\s)?", re.IGNORECASE),
    re.compile(
        r"\b(?:asked|asking|asks|ask|pushing|pushed|holding out|hold out)\s(?:us\s)?for\s"
        r"|\b(?:wants?|want us to|demand(?:s|ed|ing)?|insist(?:s|ed|ing)? on|requir(?:e|es|ed|ing))\s"
        r"(?=(?:a|an|the|us|full|free|flat|fixed|\d)\b)",
        re.IGNORECASE,
    ),
    re.compile(r"\bcounter(?:-?offer|-?proposal)?(?:ed)?:?\s(?:is\s|of\s|with\s)?", re.IGNORECASE),
    re.compile(
        r"\b(?:request(?:s|ed)? for|requires?|require that|need(?:s)? (?:our|a|an|the|to see)|"
        r"wants? (?:our|proof|to see))\s",
        re.IGNORECASE,
    ),
)

CANCELLED = re.compile(
    r"\b(?:cancel+(?:ed|led|s)?|bailed|bail(?:ed)? on|pulled out of|no-?show(?:ed)?|called off|ghosted|"
    r"postponed|dropped off|didn'?t show|did not show|skipped)\b",
    re.IGNORECASE,
)

# Why a call was called off or a decision parked: "an inspection visit has landed on her", "buried in Magnet prep".
WHY_PAUSED = re.compile(
    r"\b(?:cancel+(?:ed|led)|postponed|bailed on|pulled|dropped|moved|paused|parked|called off)\b[^.;\n]{0,40}?"
    r"(?:,|;|:|\s-|\s–|\.)\s+(?!no\b|will\b|he\b|she\b|they\b|we\b|i\b|not\b|totally\b|fair\b|which\b)"
    r"|\b(?:in the middle of|dragged into|pulled into|buried in|swamped with|busy with|tied up with|because of|"
    r"due to|thanks to)\s",
    re.IGNORECASE,
)

CALL_WORDS = re.compile(
    r"\b(?:call|meeting|demo|session|follow-?up|visit|workshop|sync|review|catch-?up|chat|today|tomorrow|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|monday|tuesday|wednesday|thursday|friday|\d{1,2}(?::\d\d)?\s?(?:am|pm))\b",
    re.I,
)

# A personal stake: "Dana's bonus rides on …", "her KPI", "wants to be seen as …", "his neck is on the line".
DRIVER = re.compile(
    r"\b(?:(?:his|her|their|[A-Z][\w-]*['’]s)\s(?:own\s|personal\s|annual\s|year-end\s|whole\s)?"
    r"(?:bonus|promotion|kpis?|okrs?|targets?|review|job|neck|reputation|credibility|career|legacy|"
    r"mandate|first\s\d+\sdays|first year|scorecard|objectives?|name)\b"
    r"|(?:bonus|promotion|kpi)\s(?:rides|depends|hinges|is tied|riding|depending)\s(?:on|to)\b"
    r"|wants? (?:to be|the) (?:seen|known|credit|one)\b|make (?:him|her|them)self look good|look good to\b"
    r"|(?:up|going) for (?:promotion|partner|director|vp)\b|personally (?:accountable|responsible|on the hook)\b"
    r"|on the hook for\b|(?:his|her) (?:first|new) (?:big )?(?:project|win|initiative)\b)",
)

# The buyer's pain or problem, and what they want instead.
PAIN = re.compile(
    r"\b(?:(?:the\s|their\s|real\s|main\s|big\s|biggest\s|actual\s)?(?:pain|problem|issue|headache|bottleneck|"
    r"nightmare|frustration|worry|concern|challenge)(?:\spoint)?\s(?:is|was|=|are)\s"
    r"|(?:pain|problem|issue)s?:\s"
    r"|worried (?:about|that|because|by)\s|worries about\s|concerned about\s|frustrated (?:by|with)\s"
    r"|sick of\s|tired of\s|fed up with\s|struggl\w+ with\s|drowning in\s|stuck (?:with|on|in)\s"
    r"|(?:still|keeps|kept)\s(?!(?:waiting|chasing|hoping|hearing|nothing|pending|working)\b)(?:\w+ing|re-?\w+ing)\b"
    r"|(?:spend|spends|spending|spent|lose|loses|losing|lost|waste|wastes|wasting|burn|burns|burning)\s"
    r"(?:about\s|around\s|roughly\s|nearly\s|almost\s|over\s|up to\s)?(?:~\s?)?\d"
    r"|by hand\b|manually\b|on spreadsheets?\b|in excel\b|on paper\b|off a whiteboard\b"
    r"|\bmanual\s(?=[a-z])|\bre-?(?:keying|entering|typing)\b"
    r"|can'?t (?:see|tell|track|find|get|keep)\b|no (?:visibility|way to|idea)\b|blind\b)",
    re.IGNORECASE,
)

GOAL = re.compile(
    r"\b(?:(?:she|he|they|[A-Z][a-z][\w-]*|cfo|ceo|coo|cio|cto|gm|md|vp|director|head|manager|owner|lead|team|"
    r"board)\s(?:really\s|just\s|badly\s)?(?:wants?|needs?|would like|is trying|are trying|hopes?|aims?|"
    r"plans?)\s(?:to\s)?(?!(?:a|an|another|the)\s(?:quick\s)?(?:call|demo|meeting|catch-?up|chat|session|word)\b|"
    r"us\b|me\b|to talk\b|to meet\b|talk\b|meet\b|more time\b|to know\b|know\b|to see\b|see\b|pricing\b)"
    r"|(?:goal|target|aim|priority|mandate|brief)\s(?:is|was|=|:)\s"
    r"|(?:goal|target)\s(?:of|to)\s"
    r"|(?:get|bring|cut|cutting|reduce|reducing|halve|halving|drop|dropping)\s(?:it|that|this|[\w-]+)"
    r"(?:\s[\w-]+){0,3}\s(?:down\s)?(?:to|under|below|from)\s(?:~\s?)?\d)",
)

PITCH = re.compile(
    r"(?<![-\w])(?:demo(?:ed|'d|’d|ing)|showed|showing|walked\s(?:them|him|her)\sthrough|pitched|pitching|presented|"
    r"went through|ran through|spent\s\d+\s(?:min|mins|minutes|hours?)\son|lead with|led with|talked up)"
    r"\s(?:them\s|him\s|her\s|(?:(?-i:[A-ZÀ-Ý][\w'’-]*)\s){1,3}(?=(?:the|our|a|an|their|all|them)\s))?(?:all\s)?"
    r"(?:of\s)?(?:the\s|our\s|a\s|their\s)?"
    r"(?:new\s|shiny\s)?"
    r"|\bour\s(?:new\s)?(?=[\w-]+(?:\s[\w-]+)?\s(?:feature|module|dashboard|integration|app|screens?|ai|engine|"
    r"api|platform|roadmap|architecture|deck|portal))",
    re.IGNORECASE,
)

PITCH_STOP = re.compile(r"^(?:with|to|for|and|so|because|but|which|that|in|on|at)$", re.I)

VERB_STOP = re.compile(r"^(?:costs?|is|are|was|were|takes|took|eats|ate|means|has|have|had|hits|kills)$", re.I)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The words without which a pattern cannot match: a message with none of them skips it (see facts.words_of).
TRIGGERS: dict[str, frozenset[str]] = {
    "driver": _words(
        "bonus promotion kpi kpis okr okrs target targets review job neck reputation credibility career legacy "
        "mandate first scorecard objective objectives name seen known credit one look good partner director vp "
        "personally hook project win initiative"
    ),
    "goal": _words(
        "wants want needs need like trying hopes hope aims aim plans plan goal target priority mandate brief get "
        "bring cut cutting reduce reducing halve halving drop dropping"
    ),
    "pain": _words(
        "pain problem issue issues headache bottleneck nightmare frustration worry concern challenge worried worries "
        "concerned frustrated sick tired fed struggle struggles struggling struggled drowning stuck still keeps kept "
        "spend spends spending spent lose loses losing lost waste wastes wasting burn burns burning hand manually "
        "spreadsheet spreadsheets excel paper whiteboard manual rekeying keying reentering entering retyping typing "
        "can cant no blind"
    ),
    "topic": _words("about re regarding around through discuss agree sort subject agenda aim"),
    "blocker": _words(
        "budget money funding capex headcount spend spending hiring capital freeze frozen priority fundable justify "
        "fund afford exhausted"
    ),
    "reason": _words("because reason primarily mainly due said says felt"),
    "paused": _words(
        "cancelled canceled cancelling cancels postponed bailed pulled dropped moved paused parked called middle "
        "dragged buried swamped busy tied because due thanks"
    ),
    "ask": _words(
        "only unless asked asking asks ask pushing pushed holding hold wants want demand demands demanded demanding "
        "insist insists insisted insisting require requires required requiring counter counteroffer counterproposal "
        "countered offer proposal request requests requested need needs"
    ),
    "ours": _words(
        "my our team quota commission accelerator accelerators spiff sweetener short light rush hurry urgency "
        "pressure push need needs want gotta have must pull pulling offer offering give giving throw throwing close "
        "eoq eom end signed closed"
    ),
    "pitch": _words(
        "demoed demo demoing showed showing walked pitched pitching presented went ran spent lead led talked our"
    ),
    "cancelled": _words(
        "cancel cancels cancelled canceled cancelling bailed bail pulled show showed called ghosted "
        "postponed dropped didn skipped"
    ),
    "other": _words(
        "offered offering gave giving given quoted asked asking asks wants match counter counteroffer deadline date "
        "year fiscal board"
    ),
    "stopped": _words("stopped stop longer quit won wont gonna going not backed backing eased easing take"),
}
