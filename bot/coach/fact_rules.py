"""The patterns behind fact extraction: where a figure, a buyer's date, a competitor, a pain, a goal or a
personal stake starts in a seller's sentence, and where the phrase that states it ends.

Every pattern finds a cue; `clause` then takes the words after it up to the end of the clause, so the fact
comes back in the seller's own words.
"""

from __future__ import annotations

import re

MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
    r"décembre|januar|februar|märz|juni|juli|oktober|dezember"
)
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"a hundred|hundreds|half|a third|a quarter|a dozen|dozens|double|twice|triple|several"
)
# A number as sellers write it: "$142,500", "~30k", "S$25k", "₹38 lakh", "14 %", "1.2m", "3+".
_NUMBER = (
    r"(?:[~≈+]\s?)?(?:(?:US|A|NZ|S|C|HK|R)?[$€£₹¥]\s?|(?:USD|EUR|GBP|INR|AUD|NZD|ZAR|SGD|R)\s?)?"
    r"\d+(?:[.,]\d+)*(?:\s?(?:k|m|bn|mn|mil|million|billion|lakh|crore|cr|K|M|%|x|pc|percent))?\+?(?![\dA-Za-z])"
)
# Words that end the phrase a figure or a cue starts.
_STOP = (
    r"and|but|so|which|because|since|though|although|while|whereas|if|when|unless|then|we|i|i'm|i've|"
    r"we're|they|they're|she|he|it's|that's|this|per our|lol|haha|tbh|fwiw|btw|also|plus|apparently|"
    r"said|says|told|according"
)
_STOP_RE = re.compile(rf"^(?:{_STOP})$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\.(?!\d)|[;!?\n:()\[\]\"“”]|\s[-–—]\s|,\s|\s&\s|\s\+\s|$")
_TRIM_TAIL = re.compile(
    r"(?:\s+(?:and|or|the|a|an|to|of|for|with|on|in|at|by|from|their|our|my|his|her|is|are|was|were|be|"
    r"just|still|now|too|which|that|it|so|like|very|really|per|where|what|how|who|when|if|up|out))+$",
    re.IGNORECASE,
)

FIGURE = re.compile(
    rf"(?<![\w$€£₹/:.,-])(?:{_NUMBER}|(?:{_NUMBER_WORDS})\b)"
    r"(?:\s(?:more\s|extra\s|full\s|whole\s|senior\s|late\s|big\s|separate\s|large\s|old\s|new\s)?"
    r"(?:[a-z][a-z'’-]*|[A-Z]{2,}s?))?",
    re.IGNORECASE,
)
# What makes a number a figure worth asking about rather than a time of day or a version.
UNIT_WORDS = re.compile(
    r"\b(?:days?|weeks?|months?|years?|yrs?|hours?|hrs?|mins?|minutes?|people|staff|fte|ftes|heads|nurses|"
    r"engineers|analysts|agents|drivers|trucks|sites|stores|boutiques|branches|plants|clinics|schools|beds|"
    r"users|seats|licen[cs]es|tickets|orders|invoices|claims|calls|shifts|errors|defects|fines|penalties|"
    r"accounts|customers|patients|students|vessels|shipments|loads|units|batches|lines|pages|emails|"
    r"excursions|incidents|outages|complaints|returns|write-offs?|overtime|per|each|every|a|an)\b",
    re.IGNORECASE,
)
CLOCK_AFTER = re.compile(
    r"(?:[:.h]\d{2}|\s?(?:am|pm|a\.m|p\.m|a|p|ish|o'?clock|hrs?\b(?!\s(?:a|per|every))))\b", re.IGNORECASE
)
NOT_A_UNIT = re.compile(
    r"(?:am|pm|a|an|the|to|and|or|of|on|in|at|by|for|with|is|are|was|were|min|mins|minutes|ish|o'?clock|"
    r"st|nd|rd|th|times?|more|so|it|this|that|then|tomorrow|today|pst|est|cet|gmt|et|pt|ct|aest|ist|"
    rf"(?:{MONTHS}))\b",
    re.IGNORECASE,
)

# A buyer's own date or event: "March audit", "board meeting in May", "go-live", "renewal date is 1 March".
_EVENT_WORDS = (
    r"audit|audits|board (?:meeting|review|pack|day|presentation|approval|sign-?off|vote)|go-?live|go live|"
    r"launch|inspection|renewal date|"
    r"renewal|permit review|year[- ]end|fiscal year|financial year|budget cycle|tender|election|opening|"
    r"reopening|season|open enrollment|shutdown|deadline|cut-?over|migration|rollout|roll-out|peak|"
    r"accreditation|certification|review|visit|conference|summit|show|exam|exams|inspections|filing|"
    r"window|kick-?off|merger|acquisition|ipo|funding round|relaunch|refit|harvest|intake|term"
)
_DATE_TAIL = (
    rf"(?:\s(?:is|are|was|lands|wraps|starts|falls|hits|due|scheduled|planned|set|fixed|kicks off))?"
    rf"(?:\s(?:for|on|in|at|by|before))?\s(?:the\s)?(?:(?:early|mid|late|end of|end-)\s?)?"
    rf"(?:(?:{MONTHS})\b(?:\s\d{{1,2}}(?:st|nd|rd|th)?\b)?|\d{{1,2}}(?:st|nd|rd|th)?(?:\s(?:of\s)?(?:{MONTHS}))?\b|"
    rf"q[1-4]\b|fy\d*\b|20\d\d\b|next (?:week|month|year|quarter)\b)"
)
EVENT = re.compile(
    rf"\b(?:(?:{MONTHS})\.?\s(?:[A-Za-z-]+\s)?(?:{_EVENT_WORDS})\b"
    rf"|(?:(?-i:[A-Z]{{2,}}[\w&-]*)\s|(?:their|her|his|the)\s(?:[A-Za-z-]+\s)?)?(?:{_EVENT_WORDS})\b(?:{_DATE_TAIL})"
    rf"|(?:their|her|his)\s(?:[A-Za-z-]+\s)?(?:{_EVENT_WORDS})\b"
    rf"|(?-i:[A-Z]{{2,}}[\w&-]*)\s(?:audit|inspection|review|visit|deadline|filing|go-?live|launch|board)\b)",
    re.IGNORECASE,
)
# A decision pushed out: "after the summer", "till March", "once the freeze lifts", "next FY".
_PERIOD = (
    rf"summer|winter|spring|autumn|fall|holidays?|the holidays|new year|christmas|xmas|easter|diwali|ramadan|"
    rf"eid|labou?r day|the break|harvest|monsoon|[\w-]+ season|(?:{MONTHS})\b|q[1-4]|fy\w*|next [\w-]+|"
    rf"their [\w-]+|(?:the )?budget\w*|(?:the )?(?:new )?(?:financial|fiscal|budget) year|year[- ]end|"
    rf"the (?:new |next )?[\w-]+ (?:lifts|ends|settles|is over|closes|recovers|is done|arrives|lands)|20\d\d"
)
DELAY = re.compile(
    rf"\b(?:(?:after|till|til|until|untill|post|once|not before)\s(?:the\s)?(?:{_PERIOD})[\w'’ -]{{0,30}}"
    rf"|(?<=\s)(?:to|into|in)\s(?:the\s)?(?:new year|next (?:fy|financial year|fiscal(?: year)?|budget|year|"
    rf"quarter|half|season)|q[1-4](?:\s20\d\d)?|20\d\d)\b"
    rf"|next (?:fy|financial year|fiscal year|budget(?: cycle)?|year's budget)\b"
    rf"|(?:(?<=back\s)|(?<=visit\s)|(?<=revert\s)|(?<=then\s))(?:in|after|on)\s(?:the\s)?(?:{_PERIOD})"
    rf"[\w'’ -]{{0,20}})",
    re.IGNORECASE,
)
DATE = re.compile(
    rf"\b(?:(?:{MONTHS})\.?\s\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?(?:{MONTHS})\b|"
    rf"the\s\d{{1,2}}(?:st|nd|rd|th)\b|end of (?:{MONTHS})\b|(?:early|mid|late)[ -](?:{MONTHS}|20\d\d)\b|"
    rf"\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b)",
    re.IGNORECASE,
)

# A competitor: a name after the words that introduce one, or before the words that follow one. A name in
# lower case ("went w dockhero") counts only after a verb that can only introduce a competitor.
_CAP_NAME = r"(?:[A-Z][\w&'’.-]*|[a-z]+[A-Z]\w*)(?:\s(?:[A-Z][\w&'’.-]*|AI|IQ|HR|\d+))*"
_ANY_NAME = rf"(?:{_CAP_NAME}|[a-z][a-z0-9-]{{3,}})"
COMPETITOR_BEFORE = re.compile(
    r"\b(?i:(?:went|gone|going|go|moved|moving|switched|switching|signed|signing|decided|awarded)\s(?:with|w/?|to|for)"
    r"|(?:sticking|stick|staying|stay|stayed|renewed|renewing)\s(?:with|w/?|on)|locked\s(?:in\s)?(?:with|w/?|into|to)"
    r"|(?:chose|picked|selected|choosing|picking|lost to|losing to|lose to|lost it to|replaced by|won by)"
    r"|(?:use|uses|using|run|runs|running)\s(?:their\s)?(?=[A-Z]\w+\s(?:already|today|now|for years)))"
    rf"\s(?P<name>(?:the\s|their\s|a\s)?{_ANY_NAME})"
    r"|\b(?i:vs\.?|versus|against|instead of|competitor|competitors|incumbent|rival|piloting|trialling|"
    r"trialing|evaluating|comparing us (?:to|with)|cheaper than|extending|extend)\s(?:is\s|was\s|,\s?)?(?:the\s)?"
    rf"(?P<name2>{_CAP_NAME})",
)
COMPETITOR_AFTER = re.compile(
    rf"\b(?P<name>{_CAP_NAME})['’]s?\s(?:commercial\s|whole\s|new\s|own\s)?"
    r"(?:discount|offer|quote|pricing|price|bid|proposal|bundle offer|rep)\b"
    rf"|\b(?P<name2>{_CAP_NAME})\s(?:has\s|have\s|had\s)?(?:now\s|just\s|already\s|also\s)?(?:offered|offers?|"
    r"is offering|are offering|quoted|came in|undercut|is cheaper|was cheaper|is piloting|beat us|gave them|given|"
    r"gave|is giving|threw in|is throwing in|can bundle|bundled|told them|is telling them|pitched them)\b"
    rf"|\b(?P<name3>{_ANY_NAME})\s(?:won it|won the deal|got it|got the deal)\b"
    rf"|\b(?P<name5>{_CAP_NAME})\s(?:selected|chosen|picked|preferred|shortlisted|won|alongside us)\b"
    rf"|\b(?i:quote from|offer from|bid from|proposal from|why not(?: just)?|price|priced|match(?:ing)? the)\s"
    rf"(?P<name6>{_CAP_NAME})\b(?=\s(?:alongside|against|at|panel|rate|since|instead|too|as well|for)|[?.,]|$)"
    rf"|\b(?P<name4>{_CAP_NAME})\s(?:comparison|battlecard)\b",
)
NOT_COMPETITORS = frozenset(
    [
        "the",
        "them",
        "they",
        "their",
        "it",
        "this",
        "that",
        "us",
        "we",
        "our",
        "a",
        "an",
        "another",
        "someone",
        "somebody",
        "everyone",
        "anyone",
        "nobody",
        "incumbent",
        "incumbents",
        "competitor",
        "competitors",
        "vendor",
        "vendors",
        "supplier",
        "suppliers",
        "provider",
        "partner",
        "price",
        "pricing",
        "budget",
        "legal",
        "procurement",
        "finance",
        "security",
        "it",
        "board",
        "cfo",
        "ceo",
        "coo",
        "cio",
        "cto",
        "vp",
        "team",
        "in-house",
        "inhouse",
        "house",
        "internal",
        "excel",
        "spreadsheets",
        "spreadsheet",
        "paper",
        "status",
        "quo",
        "current",
        "existing",
        "me",
        "you",
        "him",
        "her",
        "his",
        "hers",
        "time",
        "timeline",
        "timing",
        "later",
        "now",
        "then",
        "next",
        "signing",
        "sign",
        "signature",
        "plan",
        "option",
        "options",
        "approach",
        "solution",
        "product",
        "platform",
        "tool",
        "system",
        "one",
        "lot",
        "ones",
        "us",
        "mine",
        "ours",
        "yours",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "whoever",
        "whatever",
        "date",
        "offer",
        "offers",
        "bundle",
        "deal",
        "free",
        "so",
        "sign",
        "also",
        "just",
        "cheaper",
        "crowd",
        "local",
        "group",
        "global",
        "extra",
        "full",
        "them",
        "all",
        "maternity",
        "leave",
        "holiday",
        "holidays",
        "i",
        "i've",
        "i'm",
        "i'd",
        "thinking",
        "honestly",
        "look",
        "frankly",
        "sadly",
        "luckily",
        "hopefully",
    ]
) | frozenset(["i'll", "we've", "we'd", "we'll", "i’ve", "i’m"])

OUR_PRESSURE = re.compile(
    r"\b(?:(?:my|our|the team's|team)\s(?:own\s)?(?:annual\s|quarterly\s|sales\s|revenue\s|[\w]+-sourced\s|"
    r"h[12]\s|q[1-4]\s|fy\s|partner\s)?(?:quota|number|numbers|q[1-4]|quarter|month|target|"
    r"commission|forecast|year|half|h[12]|attainment|accelerators?|spiff|president'?s club|gate|month-end|"
    r"quarter-end|year-end)"
    r"|quota|commission|accelerators?|spiff|sweetener|(?:short|light)\son\s(?:quota|the number|my number)"
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
STOPPED_PUSHING = re.compile(
    r"\b(?:stopped|stop|not|no longer|quit|won't be|wont be|not gonna|not going to|isn't|am not|i'm not|"
    r"backed off|backing off|easing off|eased off|not\s(?:gonna\s|going to\s)?rush(?:ing)?)\s?"
    r"(?:push|pushing|rush|rushing|chase|chasing|nudge|nudging|pressur\w+|hassl\w+)?\b(?:\s(?:them|it|on))?",
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
TOPIC = re.compile(
    r"\b(?:about|re:?|regarding|around|to (?:talk|go|walk) through|to discuss|to agree|to sort|on the subject of|"
    r"agenda(?: from their side)?:|aim is to)\s(?:the\s|their\s|our\s)?(?=[a-zA-Z])",
    re.IGNORECASE,
)
# What stops them: "no budget this year", "capex is frozen", "hiring freeze", "not a priority".
BLOCKER = re.compile(
    r"\b(?:no (?:budget|money|funding|capex|headcount)|(?:budget|capex|spend|spending|hiring|capital)\s"
    r"(?:is\s|are\s|was\s|'s\s)?"
    r"(?:frozen|freeze|closed|cut|on hold|gone|spent|pulled)|(?:hiring|budget|capex|spending|capital) freeze|"
    r"not (?:a |the )?(?:top )?priority|not fundable|can'?t (?:justify|fund|afford))\b",
    re.IGNORECASE,
)
# Why they decided: "switching mid-season was too much risk", "reason given: the change effort is too high".
REASON = re.compile(
    r"\b(?:because(?: of)?|reason(?: given)?:?|primarily on|mainly on|due to|cos|since)\s"
    r"|\b(?:said|says|felt)\s(?:that\s)?"
    r"(?=[\w' -]{0,40}\b(?:too|risk|cheaper|expensive|price|cost|easier|simpler|relationship|already|trust)\b)",
    re.IGNORECASE,
)
# A named thing that is neither a person nor a month: a product, a rival, a standard, an event.
NAMED = re.compile(
    r"(?<![\w@#])(?:[A-Z][\w&.-]*\d[\w.-]*|(?:[A-Z]{2,}|[A-Z][A-Za-z]+)\s\d[\w.-]*|[a-z]*[A-Z][a-z]+[A-Z][\w-]*"
    r"|[A-Z]{3,}[\w-]*)"
    r"(?:\s(?:[A-Z][\w&-]+|\d[\w.]*))*"
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
CALL_WORDS = re.compile(r"\b(?:call|meeting|demo|session|follow-?up|visit|workshop|sync|review|catch-?up|chat)\b", re.I)

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
    r"|(?:still|keeps?|kept)\s(?:\w+ing|running|doing|using|re-?\w+ing)\b"
    r"|(?:spend|spends|spending|spent|lose|loses|losing|lost|waste|wastes|wasting|burn|burns|burning)\s"
    r"(?:about\s|around\s|roughly\s|nearly\s|almost\s|over\s|up to\s)?(?:~\s?)?\d"
    r"|by hand\b|manually\b|on spreadsheets?\b|in excel\b|on paper\b|on whatsapp\b|off a whiteboard\b"
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
COST = re.compile(
    r"\b(?:cost(?:s|ing)?|costed)\s(?:them|her|him|the business|the team|us)?\s?|\bwritten off\b|\bwrite-?offs?\b|"
    r"\bpenalt(?:y|ies)\b|\bfines?\b|\bworth\s(?:about\s|around\s|roughly\s)?(?:~\s?)?[$€£₹\d]|"
    r"\b(?:a|per|every|each)\s(?:month|week|year|day|quarter|season|shift|fault|part|carrier|order)\b",
    re.IGNORECASE,
)
PITCH = re.compile(
    r"\b(?:demo(?:ed|'d|’d|ing)|demo of|showed|showing|walked\s(?:them|him|her)\sthrough|pitched|pitching|presented|"
    r"went through|ran through|spent\s\d+\s(?:min|mins|minutes|hours?)\son|lead with|led with|talked up)"
    r"\s(?:them\s|him\s|her\s|(?-i:[A-Z][a-z]+)\s)?(?:all\s)?(?:of\s)?(?:the\s|our\s|a\s|their\s)?(?:new\s|shiny\s)?"
    r"|\bour\s(?:new\s)?(?=[\w-]+(?:\s[\w-]+)?\s(?:feature|module|dashboard|integration|app|screens?|ai|engine|"
    r"api|platform|roadmap|architecture|deck|portal))",
    re.IGNORECASE,
)


FIGURE_STOP = re.compile(
    r"^(?:after|before|since|during|until|till|about|with|from|because|when|for|to|at|on|by|via|into|is|are|was|"
    r"were|has|have|had|will|would|can|could|should|under|over|between|within|without|against|->|→|ago|"
    r"arrives?|use|uses|used|eats?|takes?|costs?|runs?|goes|comes?|needs?|wants?|gets?|says?|said|makes?|"
    r"loses?|lost|spends?|sits?|waits?|fails?|breaks?|stays?|ships?|unanswered|left|later|earlier|across|"
    r"including|plus|vs|versus|than|\S*\d\S*)$",
    re.I,
)
COMPETITOR_STOP = re.compile(
    r"^(?:til|till|until|for|since|because|cheaper|instead|after|before|in|on|at|by|as|who|which|that|with)$", re.I
)
DELAY_STOP = re.compile(r"^(?:at|for|with|from|under|so|because|when|we|i|they|and|but|then|as)$", re.I)
LABEL_WORDS = re.compile(
    r"phase|line|form|version|v|tier|stage|level|step|round|wave|option|plan|batch|po|#|no\.?|number|id|ticket|"
    r"room|gate|floor|building|block|unit|site|zone|table|slide|page|item|q|fy|h"
)
# A figure that can be a cost: money, a share, or an amount of time or work per period or unit.
COSTLY = re.compile(
    r"[$€£₹%]|\d\s?(?:k|m|bn|lakh|crore|cr)\b|\b(?:a|per|every|each|an)\s(?:\w+\s)?(?:month|week|year|day|shift|quarter|"
    r"season|sprint|run|order|part|carrier|fault|pop|unit|batch|case)\b|/(?:month|mo|wk|week|yr|year|day)\b|"
    r"\b(?:hours?|hrs?|days?|weeks?|fte|ftes|people|staff)\b",
    re.IGNORECASE,
)
VERB_STOP = re.compile(r"^(?:costs?|is|are|was|were|takes|took|eats|ate|means|has|have|had|hits|kills)$", re.I)


def clause(
    text: str, start: int, *, max_words: int = 8, min_words: int = 1, stop: re.Pattern[str] | None = None
) -> str | None:
    """The words of `text` from `start` to the end of their clause, at most `max_words`, trimmed of
    dangling little words (and ended before any word `stop` matches); None when fewer than `min_words`
    remain."""
    end = _CLAUSE_END.search(text, start)
    piece = text[start : end.start() if end else len(text)]
    words: list[str] = []
    for word in piece.split():
        if words and (_STOP_RE.match(word.strip(",'’")) or (stop and stop.match(word.strip(",'’")))):
            break
        words.append(word)
        if len(words) >= max_words:
            break
    phrase = _TRIM_TAIL.sub("", " ".join(words)).strip(" ,'’\"-")
    return phrase if len(phrase.split()) >= min_words else None
