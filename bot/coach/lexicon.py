"""The sales vocabulary the analyzer recognises, one compiled pattern per idea.

Patterns describe general B2B sales language (quota, pushed out, went dark, too expensive, their CFO),
never a particular deal or company, so they carry over to other industries and voices.
"""

from __future__ import annotations

from bot.coach.gate import Lexicon

_rx = Lexicon


_CLOSE = r"(?:sign(?:ed|s|ing|ature)?|close[sd]?|closing|book(?:ed|ing)?|land(?:s|ed)?|over the line|in|po)"
_PERIOD_END = (
    r"(?:(?<!their )(?<!their fiscal )(?:month|quarter|year|q[1-4])[- ]end\b|end of (?:the )?(?:month"
    r"|quarter|q[1-4]|fy)"
    r"|\beo[mqy]\b|last (?:week|day|days) of the (?:month|quarter)|before (?:the )?(?:2[89]|3[01])(?:st|th)"
    r"|by the (?:2[89]|3[01])(?:st|th))"
)

SELLER_PRESSURE = _rx(
    r"\b(?:my|our) (?:quota|number|numbers|target|forecast)\b(?! (?:is|was) (?:fine|safe))",
    r"\bquota\b",
    r"\baccelerators?\b",
    r"president'?s club",
    r"\bcommission\b",
    r"\bbookings?\b(?! (?:a|the) (?:call|meeting))",
    r"\bmy number'?s?\b",
    r"\bq[1-4] number\b",
    r"\b(?:i'?m|i am) (?:way |so |a bit |still )?(?:short|behind)\b",
    r"\bbehind (?:plan|quota|target|my number)\b",
    r"\b(?<!their )(?<!fiscal )(?:q[1-4]|quarter|month|year) (?:closes|ends|is over)\b"
    r"(?![^.!?\n]{0,30}\b(?:for them|their))",
    r"\bzero closed\b",
    r"\bneed (?:this|it|the) (?:one|deal|signed|closed|in|booked)\b",
    r"^need this one\b",
    r"\bi need this deal\b",
    r"\bi need (?:the|a) (?:win|close|signature)\b",
    r"\bi (?:need|want) (?:it|this) in (?:this|before|by)\b",
    r"\bwant (?:this|it) (?:booked|in|closed|signed) (?:in|by|before|this)\b",
    rf"{_CLOSE}\b[^.!?\n]{{0,40}}{_PERIOD_END}",
    rf"{_PERIOD_END}[^.!?\n]{{0,30}}\b(?:sign|close|book|discount|push)",
    r"\bpull(?:ing|ed)? (?:it|this|them|the (?:deal|signature|close|date)|something|\w+) (?:in|into|forward|up)\b",
    r"\bpull (?:it|this|something) in\b",
    r"\bmove (?:the \w+ (?:date )?)?up\b",
    r"\bmove the (?:start|go-live|close) date up\b",
    r"\bpush(?:ing)? (?:hard|them|for (?:the )?signature|for (?:a )?close|to (?:sign|close))\b",
    r"\b(?:offer(?:ed|ing)?|give|giving|lead with|throw in|threw in|sweeten(?:ed)?|waive|waiving"
    r"|have the)\b[^.!?\n]{0,40}"
    r"\b(?:discount|% off|off if|free|rate|waive|fees)\b",
    r"\b\d+% off if\b",
    r"\bif (?:they|he|she) (?:sign|close)s? (?:by|before|this)\b",
    r"\bsweetened\b",
    r"\b(?:only|expires?|hold (?:this|the) pric\w*)\b[^.!?\n]{0,25}\b(?:until|by|friday"
    r"|end)\b[^.!?\n]{0,30}\b(?:want|month|quarter|need)\b",
    r"\bpromo(?:tional)? pric\w+ (?:expires|ends)\b",
    r"\bmulti-year rate on a 1-year\b",
    r"\b(?:slipping|slip) into next (?:quarter|month|year)\b",
    r"\bcan'?t afford (?:this|it|the deal) slipping\b",
    r"\bforecast(?:ing)? \w+ to close\b",
    r"\bfinance here is pushing\b",
    r"\bannual prepay\b",
    r"\binstead of next\b",
    r"\bwhy the rush\b",
    r"\bhelp us land it\b",
    r"\b(?:this|the) (?:month|quarter)'?s? (?:number|target)\b",
    r"\bfor the (?:q[1-4]|quarter|month) number\b",
    r"\bover the line by\b",
    r"\bsigned (?:before|by) (?:the )?(?:\d|friday|month|quarter|eo)",
    r"\bthis month\b[^.!?\n]{0,20}\b(?:need|want|so)\b",
    r"\b(?:close|book|land|in) (?:it )?(?:this|by) (?:month|quarter|eom|eoq)\b",
    r"\b(?:lands|land it|booked|book it|close it|closed) (?:in |this )(?:month|quarter|q[1-4]|january"
    r"|february|march|april|june|july|august|september|october|november|december)\b",
    r"\bmy (?:whole )?q[1-4]\b",
    r"\bpays for my\b",
    r"\bi'?m motivated\b",
    r"\b(?:before|by) (?:ours|our (?:fiscal )?(?:year|quarter))\b",
    r"\bbefore ours ends\b",
)
CALM = _rx(
    r"\b(?:no|not any|zero) (?:pressure|rush|urgency)\b",
    r"\bnot going to (?:squeeze|push|rush)\b",
    r"\bnot (?:squeezing|pushing|rushing)\b",
    r"\bwon'?t (?:squeeze|push|rush)\b",
)

SELF_PITCH = _rx(
    r"\b(?:show(?:ed|ing|n)?(?: off)?|demo(?:ed|'d)?|walk(?:ed)? (?:them|him|her) through|walkthrough"
    r"|pitch(?:ed|ing)?|"
    r"present(?:ed|ing)?|covered|run|ran|sent|send|sending|attached|recorded|gave (?:them|him|her))\b[^.!?\n]{0,60}"
    r"\b(?:features?|modules?|product|platform|deck|slides?|dashboards?|integrations?|roadmap|release|overview|"
    r"tour|ui|architecture|whitepaper|catalogue|catalog|one-pager|analyst report|case stud(?:y|ies)|loom|video|"
    r"demo|tier|capabilities|screens?|functionality|our \w+)\b",
    r"\bmarket leader\b",
    r"\btechnically superior\b",
    r"\bwhy (?:we'?re|we are|our \w+ is) (?:better|superior|the best|the leader)",
    r"\bwe beat (?:them|\w+)\b",
    r"\bour (?:uptime|new release|latest release)\b",
    r"\btold them (?:that )?our\b",
    r"\bproduct (?:tour|overview|walkthrough)\b",
    r"\bplatform walkthrough\b",
    r"\bdeep dive on the\b",
    r"\bevery (?:module|screen|feature)\b",
    r"\ball \d+ (?:modules|integrations|features)\b",
    r"\bshow (?:them|him|her) the product\b",
    r"\bsee the dashboards\b",
    r"\bcompany overview\b",
    r"\b(?:a|the|second|our|another|full|live) (?:product |platform )?demo\b(?! of their)",
    r"^\w+ demo\b",
    r"\bcustomer logos\b",
    r"\bfeature video\b",
    r"\brelease notes\b",
    r"\bthe works\b",
)
NO_PITCH = _rx(
    r"\b(?:not|never|no|without) (?:planning to |going to )?(?:show|pitch|demo)(?:ing)?\b",
    r"\bdemo of their\b",
    r"\btheir own\b[^.!?\n]{0,20}\bdemo\b",
)

CUSTOMER_VALUE = _rx(
    r"[$€£]\s?\d",
    r"\b\d[\d.,]*\s?(?:k|m)?\s?(?:/|a |per )(?:month|mo|year|yr|week|day)\b",
    r"\b\d+\+?\s*(?:hours?|hrs?|minutes?|mins?|min|days?|weeks?|people|staff|forms|calls)\b[^.!?\n]{0,30}"
    r"\b(?:every|a day|a week|a month|a shift|an hour|per|each|on average|of (?:their|his|her) (?:week|day|time))\b",
    r"\b(?:half|most|all) (?:of )?(?:every|their|his|her) (?:monday|day|week|morning)",
    r"\b(?:real|big|biggest|main|core) (?:problem|issue)\b|\bproblem (?:for|is|was)\b",
    r"\b(?:pain|painful|headache|bottleneck|backlog|errors?|denials|denied claims|fined|fines|penalt\w+|"
    r"churn|attrition|overtime|no-shows?|downtime|re-keys?|re-typed|re-typing|double-document\w*|manual|drowning|"
    r"burned|babysitting|phone tag|detention fees|missed (?:slas?|loads?|deadlines)|mis-shipments|turnover|"
    r"waste[sd]?|bleeding|scrambl\w+)\b",
    r"\b(?:losing|they lose|loses|lost revenue|eating|eats|costs? (?:them|her|him)|costing)\b",
    r"\b(?:his|her|their|\w+'s) (?:bonus|kpi|promotion|goal|target|objective|job|reputation|number one)\b",
    r"\b(?:goal|target|objective|kpi)s? (?:is|was|for them)\b",
    r"\bpromotion\b",
    r"\bon the line\b",
    r"\b(?:care|cares|cared) about\b",
    r"\bbiggest (?:issue|problem|pain|headache|risk)\b",
    r"\bwants? (?:it |them |this )?(?:fixed|gone|down|solved|to (?:cut|reduce|stop|end|fix|retire"
    r"|eliminate|get rid))\b",
    r"\b(?:under pressure to|took the heat|the stake for|stake for them|why they need)\b",
    r"\b(?:deciding factor|what sold it|sold (?:them|it) (?:on|was))\b",
    r"\b(?:would|could|it'?d|will) (?:save|cut|end)\b",
    r"\bsaves? (?:his|her|their|them|\w+ ~?\$|~?\d)",
    r"\b(?:dropped|dropping|fell|jumped|rose) (?:from |to |by )?~?\d",
    r"\b(?:cutting|reduce|reducing|cut) [\w-]+(?: [\w-]+)? (?:from|by|to|under)\b",
    r"\bunder control\b",
    r"\bstops? drowning\b",
    r"\bend to (?!end)",
    r"\bfinally (?:end|stop|fix|solve|get rid)",
    r"\b(?:'s|their|his|her) (?:worry|concern|fear|frustration) is\b",
    r"\bkeeps? (?:failing|breaking|crashing)\b",
    r"\b(?:get|gets|bring|brings) (?:their|the|his|her) [\w-]+ (?:time|cost|rate|count|volume)s? (?:under"
    r"|below|down)\b",
    r"\bcould have caught\b|\bwould have caught\b",
    r"\bdays-to-close\b",
    r"\bstatus quo\b",
    r"\bso (?:she|he)'?s motivated\b",
    r"\bwait \d+ ?min",
)
NO_VALUE = _rx(r"\bcompare total cost\b")

STAKE_HOLDER_GROUPS = _rx(r"\b(?:team|department|dept|dispatchers|staff|folks|people)\b")

STALL = _rx(
    r"\bradio silence\b",
    r"\b(?:went|gone|been|going) (?:dark|quiet|silent|cold)\b",
    r"\bghost(?:ed|ing)\b",
    r"\b(?:no|still no) (?:reply|response|answer|word|decision|new date|news|movement)\b",
    r"\bnothing (?:back|from|since|yet)\b",
    r"\bhaven'?t heard\b",
    r"\bdisappeared\b",
    r"\bsitting (?:with|on)\b",
    r"\bstill waiting\b",
    r"\bwaiting on (?:their|them|the|his|her|legal|procurement)\b",
    r"\bstall(?:ed|ing)?\b",
    r"\b(?:put|puts|putting|is|are|was|been|be|went|gone|placed|it'?s"
    r"|everything'?s)\s+(?:\w+\s+){0,4}on (?:hold|ice|pause)\b",
    r"\bon (?:hold|ice|pause) (?:pending|until|for now)\b",
    r"\bpaused\b",
    r"\bpushed (?:the \w+ |it |us |back |out )?(?:to|out|back|until)\b",
    r"\bslipped\b",
    r"\bslid\b",
    r"\bslides to\b",
    r"\brescheduled\b",
    r"\b(?:they'?ve|they) moved it\b",
    r"\bgot (?:moved|pushed|delayed|postponed|cancell?ed)\b",
    r"\b(?:delayed|postponed)\b",
    r"\bcancell?ed\b",
    r"\bkeep saying\b",
    r"\bcan'?t do it this year\b",
    r"\bnot this year\b",
    r"\bnext (?:fiscal )?year\b[^.!?\n]{0,20}\b(?:maybe|now|instead)\b",
    r"\bisn'?t there until\b",
    r"\bno budget (?:this|until)\b",
    r"\bpushed the decision\b",
    r"\bdelay\b",
    r"\bback-burner\b|\bback burner\b",
)
STALL_HYPOTHETICAL = _rx(r"\bif [^.!?\n]{0,20}\b(?:slips?|pushes)\b")

OBJECTION = _rx(
    r"\b(?:too expensive|too pricey|too high|pricey|over budget|more expensive|cheaper|too much money)\b",
    r"\bprice (?:is|was) (?:too|an issue|a problem|the issue)\b",
    r"^price\b|\bprice, mostly\b",
    r"\b(?:budget (?:isn'?t|is not|got|was|has been) (?:there|cut|frozen|slashed|pulled)|budget (?:cut"
    r"|freeze)|no budget)\b",
    r"\bbudget\b[^.!?\n]{0,20}\bcut\b",
    r"\bwhy (?:they'?d|they would|should they) pay\b",
    r"\bworth the (?:difference|money|price)\b",
    r"\b(?:asked|asking|ask(?:s)?|want(?:s|ed)?|pushing) (?:us )?(?:for )?(?:a |an )?(?:\d+% (?:off|cut"
    r"|discount)|discount|lower price|better price|net-\d+)",
    r"\bnet-\d+\b",
    r"\b\d+% cut\b",
    r"\balso (?:looking at|talking to|evaluating|considering|speaking with)\b",
    r"\bbrought up \w+(?:'s)? pricing\b",
    r"\bbundling\b",
    r"\bfor free\b",
    r"\bnot a priority\b",
    r"\bnot (?:the )?right time\b",
    r"\bobjections? (?:from|on|about|is|was)\b",
    r"\bpush(?:ed)? ?back (?:on|from)\b",
    r"\bpushback\b",
    r"\b(?:worried|concerned|concerns|nervous|skeptical|sceptical|hesitant|flagged|red flags?)\b",
    r"\bwon'?t (?:adopt|approve|sign off|buy)\b",
    r"\bsecurity (?:is|was) (?:the |a )?(?:real )?(?:blocker|concern|issue)\b",
    r"\breal blocker\b",
    r"\bsoc ?2\b",
    r"\bcame back with \d+ findings\b",
    r"\bon-prem\b",
    r"\bmid-audit\b",
    r"\bcan'?t do it this year\b",
    r"\bisn'?t there until\b",
    r"\bno budget\b",
    r"\bprice\b[^.!?\n]{0,20}\bmostly\b",
    r"\bsays? we'?re \W?\d+% more\b",
)
NO_OBJECTION = _rx(r"\bany objections\b", r"\bprice is fine\b(?![^.!?\n]*\b(?:but|without)\b)")

WON = _rx(
    r"\bclosed[- ]won\b",
    r"(?<!\bget )(?<!\bhave )(?<!\bbe )(?<!\bit )\b(?:signed|countersigned)\b(?! (?:before|by|off))",
    r"\bwe won\b",
    r"^won\b",
    r"\bwon (?:it|the deal|them|\w+!)",
    r"\brenewed\b",
    r"\bpo (?:came|has come) (?:through|in)\b",
    r"\bofficially a customer\b",
    r"\bdocusign completed\b",
    r"\bwe got it\b",
    r"\bit'?s done\b",
    r"^closed (?!lost|-lost)(?-i:[A-Z])",
    r"\bwent for \d+ more years\b",
    r"\bis a customer\b",
    r"\bgreen-?lit\b",
    r"\bwe'?re in\b!",
)
NO_WON = _rx(r"\bget \w+ signed\b", r"\bsigned by\b", r"\bif (?:they|he|she) sign")

LOST = _rx(
    r"\bclosed[- ]lost\b",
    r"\bwe lost\b",
    r"^lost\b",
    r"\blost (?:it|the deal|this one|them|out|\w+ to)\b",
    r"\bwent with\b",
    r"\b(?:chose|picked|selected) (?!us\b)(?-i:[A-Z])",
    r"\bchose (?:another|a competitor|the other)\b",
    r"\bgoing with (?:another|a competitor|the other|(?-i:[A-Z]))",
    r"\bdecided to (?:build|go with|stay|stick)\b",
    r"\bbuild it in-house\b",
    r"\brenewal is gone\b",
    r"\bconsolidating on\b",
    r"\bnot renewing\b",
    r"\bchurned\b",
)
