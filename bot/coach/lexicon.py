"""The sales vocabulary the analyzer recognises, one compiled pattern per idea.

Patterns describe general B2B sales language (quota, pushed out, went dark, too expensive, their CFO),
never a particular deal or company, so they carry over to other industries and voices.
"""

from __future__ import annotations

import re

from bot.coach.gate import Lexicon, one_of

_rx = Lexicon
_RUN = re.compile(r"[a-z]+")


def phrases(*words: str) -> tuple[str, ...]:
    """Literal phrases, each a whole word or words (`\\b…\\b`), as Lexicon patterns: one small trie per trigger.

    One long trie has no literal start, so a search tries it at every letter of a message; split by trigger,
    the gate runs only the few tries whose trigger the message has, and each searches for its literal start.
    A phrase's trigger is its longest run of letters (the rarest, as a rule): every run of letters in a
    `\\b`-bounded literal phrase is a whole run of letters wherever it matches, so its stem is among the
    message's (see gate.stems) and gating never hides a match."""
    groups: dict[str, list[str]] = {}
    for phrase in words:
        trigger = max(_RUN.findall(phrase), key=len)[:4]
        groups.setdefault(trigger, []).append(phrase)
    return tuple(rf"(?#{trigger})\b{one_of(*group)}\b" for trigger, group in groups.items())


_CLOSE = r"(?:sign(?:ed|s|ing|ature)?|close[sd]?|closing|book(?:ed|ing)?|land(?:s|ed)?|over the line|in|po)"
_PERIOD_END = (
    r"(?:(?:month|quarter|year|q[1-4])(?<!their month)(?<!their quarter)(?<!their year)(?<!their q\d)"
    r"(?<!their fiscal month)(?<!their fiscal quarter)(?<!their fiscal year)(?<!their fiscal q\d)[- ]end\b"
    r"|end of (?:the )?(?:month"
    r"|quarter|q[1-4]|fy)"
    r"|\beo[mqy]\b|last (?:week|day|days) of the (?:month|quarter)|before (?:the )?(?:2[89]|3[01])(?:st|th)"
    r"|by the (?:2[89]|3[01])(?:st|th))"
)

SELLER_PRESSURE = _rx(
    r"(?#quota number numbers target forecast)"
    r"\b(?:my|our) (?:quota|number|numbers|target|forecast)\b(?! (?:is|was) (?:fine|safe))",
    r"(?#quota)\bquota\b(?<!their quota)(?! (?:system|tool|tools|management|planning|setting|data|spreadsheet))",
    r"(?#accelerator)\baccelerators?\b",
    r"(?#president)president'?s club",
    r"(?#commission)\bcommission\b",
    r"(?#booking)\bbookings?\b(?! (?:a|the) (?:call|meeting))",
    r"(?#number)\bmy number'?s?\b",
    r"(?#number)\bq[1-4] number\b",
    r"(?#behind short)\b(?:i'?m|i am) (?:way |so |a bit |still )?(?:short|behind)\b",
    r"(?#behind)\bbehind (?:plan|quota|target|my number)\b",
    r"(?#closes ends over)\b(?<!their )(?<!fiscal )(?:q[1-4]|quarter|month|year) (?:closes|ends|is over)\b"
    r"(?![^.!?\n]{0,30}\b(?:for them|their))",
    r"(?#closed)\bzero closed\b",
    r"(?#need)\bneed (?:this|it|the) (?:one|deal|signed|closed|in|booked)\b",
    r"(?#need)^need this one\b",
    r"(?#need)\bi need this deal\b",
    r"(?#need)\bi need (?:the|a) (?:win|close|signature)\b",
    r"(?#need want)\bi (?:need|want) (?:it|this) in (?:this|before|by)\b",
    r"(?#want)\bwant (?:this|it) (?:booked|in|closed|signed) (?:in|by|before|this)\b",
    rf"(?#end eom eoq eoy last st th){_CLOSE}\b[^.!?\n]{{0,40}}{_PERIOD_END}",
    rf"(?#end eom eoq eoy last st th){_PERIOD_END}(?! close)[^.!?\n]{{0,30}}\b(?:sign|close|book|discount|push)",
    r"(?#pull)"
    r"\bpull(?:ing|ed)? (?:it|this|them|the (?:deal|signature|close|date)|something|\w+) (?:in|into|forward|up)\b",
    r"(?#pull)\bpull (?:it|this|something) in\b",
    r"(?#move)\bmove (?:the \w+ (?:date )?)?up\b",
    r"(?#move)\bmove the (?:start|go-live|close) date up\b",
    r"(?#push)\bpush(?:ing)? (?:hard|them|for (?:the )?signature|for (?:a )?close|to (?:sign|close))\b",
    r"(?#discount fees free off rate waive)"
    r"\b(?:offer(?:ed|ing)?|give|giving|lead with|throw in|threw in|sweeten(?:ed)?|waive|waiving"
    r"|have the)\b[^.!?\n]{0,40}"
    r"\b(?:discount|% off|off if|free|rate|waive|fees)\b",
    r"(?#off)\b\d+% off if\b",
    r"(?#sign signs close closes)\bif (?:they|he|she) (?:sign|close)s? (?:by|before|this|in)\b",
    r"(?#sweetened)\bsweetened\b",
    r"(?#expire hold only)\b(?:only|expires?|hold (?:this|the) pric\w*)\b[^.!?\n]{0,25}\b(?:until|by|friday"
    r"|end)\b[^.!?\n]{0,30}\b(?:want|month|quarter|need)\b",
    r"(?#promo)\bpromo(?:tional)? pric\w+ (?:expires|ends)\b",
    r"(?#multi)\bmulti-year rate on a 1-year\b",
    r"(?#slip)\b(?:slipping|slip) into next (?:quarter|month|year)\b",
    r"(?#slipping)\bcan'?t afford (?:this|it|the deal) slipping\b",
    r"(?#forecast)\bforecast(?:ing)? \w+ to close\b",
    r"(?#finance)\bfinance here is pushing\b",
    r"(?#annual)\bannual prepay\b",
    r"(?#instead)\binstead of next\b",
    r"(?#rush)\bwhy the rush\b",
    r"(?#help)\bhelp us land it\b",
    r"(?#number target)\b(?:this|the) (?:month|quarter)'?s? (?:number|target)\b",
    r"(?#number)\bfor the (?:q[1-4]|quarter|month) number\b",
    r"(?#line)\bover the line by\b",
    r"(?#signed)\bsigned (?:before|by) (?:the )?(?:\d|friday|month|quarter|eo)",
    r"(?#month)\bthis month\b[^.!?\n]{0,20}\b(?:need|want|so)\b",
    r"(?#month quarter eom eoq)\b(?:close|book|land|in) (?:it )?(?:this|by) (?:month|quarter|eom|eoq)\b",
    r"(?#in this)\b(?:lands|land it|booked|book it|close it|closed) (?:in |this )(?:month|quarter|q[1-4]|january"
    r"|february|march|april|june|july|august|september|october|november|december)\b",
    r"(?#my)\bmy (?:whole )?q[1-4]\b",
    r"(?#pays)\bpays for my\b",
    r"(?#motivated)\bi'?m motivated\b",
    r"(?#ours year quarter)\b(?:before|by) (?:ours|our (?:fiscal )?(?:year|quarter))\b",
    r"(?#before)\bbefore ours ends\b",
    r"(?#%)\b(?:i'?m|i am|we'?re|we are|sitting) at \d+% (?:of|to) (?:my |the |our )?(?:target|quota|plan|number)\b",
    r"(?#need)(?-i:\b[Nn]eed [A-Z][\w&-]*(?: [A-Z][\w&-]*)? (?:in|signed|closed|booked)\b)",
    r"(?#need)\bneed (?:this|it) to (?:land|close|sign|book|be signed|come in)\b",
    r"(?#q)\b(?:land|lands|book|booked) (?:it |this )?in q[1-4]\b",
    r"(?#push)\bgoing to push\b",
    r"(?#commit forecast)"
    r"\b(?:commit (?:column|category|number)|in (?:the )?commit|pull (?:it |\w+ )?(?:from|out of) (?:the |my"
    r" )?forecast)\b",
    r"(?#quarter month)\b(?:deal|one) is my (?:whole |entire )?(?:quarter|month|year|number)\b",
    r"(?#making make)\b(?:mak(?:e|ing) (?:my (?:number|quota|target|plan)|quota|club)|shot at making it)\b",
    r"(?#eom eoq eoy)\beo[mqy] is\b",
    r"(?#hold)\bhold (?:the|this|that|our) (?:discount|price|pricing|rate|offer)\b",
)
CALM = _rx(
    r"(?#pressure rush urgency)\b(?:no|not any|zero) (?:pressure|rush|urgency)\b",
    r"(?#squeeze push rush)\bnot going to (?:squeeze|push|rush)\b",
    r"(?#squeezing pushing rushing)\bnot (?:squeezing|pushing|rushing)\b",
    r"(?#squeeze push rush)\bwon'?t (?:squeeze|push|rush)\b",
)

SELF_PITCH = _rx(
    r"(?#attached covered demo gave pitch present ran recorded run send sending sent show through walkthrough)"
    r"\b(?:show(?:ed|ing|n)?(?: off)?|demo(?:ed|'d)?|walk(?:ed)? (?:them|him|her) through|walkthrough"
    r"|pitch(?:ed|ing)?|"
    r"present(?:ed|ing)?|covered|run|ran|sent|send|sending|attached|recorded|gave (?:them|him|her))\b[^.!?\n]{0,60}"
    r"\b(?:features?|modules?|product|platform|deck|slides?|dashboards?|integrations?|roadmap|release|overview|"
    r"tour|ui|architecture|whitepaper|catalogue|catalog|one-pager|analyst report|case stud(?:y|ies)|loom|video|"
    r"portal|app|copilot|marketplace|sdk|api|gateway|suite|engine|connector|feature matrix|validation package|"
    r"battlecards?|"
    r"demo|tier|capabilities|screens?|functionality|our \w+)\b",
    r"(?#market)\bmarket leader\b",
    r"(?#technically)\btechnically superior\b",
    r"(?#better superior best leader faster cheaper stronger more)"
    r"\bwhy (?:we'?re|we are|our \w+ is) (?:better|superior|the best|the leader|faster|cheaper|stronger|more \w+)",
    r"(?#beat)\bwe beat (?:them|\w+)\b",
    r"(?#uptime release)\bour (?:uptime|new release|latest release)\b",
    r"(?#told)\btold them (?:that )?our\b",
    r"(?#product)\bproduct (?:tour|overview|walkthrough)\b",
    r"(?#walkthrough)\bplatform walkthrough\b",
    r"(?#deep)\bdeep dive on the\b",
    r"(?#every)\bevery (?:[\w-]+ )?(?:module|screen|feature|rule|integration|capability|report|dashboard|workflow)\b",
    r"(?#modules integrations features)\ball \d+ (?:modules|integrations|features)\b",
    r"(?#product)\bshow (?:them|him|her) the product\b",
    r"(?#dashboards)\bsee the dashboards\b",
    r"(?#overview)\bcompany overview\b",
    r"(?#demo)\b(?:a|the|second|our|another|full|live) (?:product |platform )?demo\b(?! of their)",
    r"(?#demo)^\w+ demo\b",
    r"(?#customer)\bcustomer logos\b",
    r"(?#feature)\bfeature video\b",
    r"(?#release)\brelease notes\b",
    r"(?#works)\bthe works\b",
    r"(?#demoed)\bdemo(?:ed|'d)\b",
    r"(?#demo)\b(?:the|a|our|another|full|live) (?:full |whole |complete |quick )?[\w-]+ demo\b(?! of their)",
    r"(?#through)"
    r"\b(?:walk|walked|walking|run|ran|running|take|took|taking) (?!us\b|me\b|through\b)[\w&-]+ through (?:the |our |"
    r"all |every )",
    r"(?#spent spend)\bspen[dt]\b[^.!?\n]{0,40}\bon (?:our|why our|why we)\b",
    r"(?#mins minutes hour hours)\b(?:mins?|minutes|hours?) on (?:our|the (?:product|platform|roadmap|demo))\b",
    r"(?#tour demo walkthrough rundown pitch)"
    r"\b(?:the|a) (?:full|whole|complete|grand) (?:product |platform )?(?:tour|demo|walkthrough|rundown|pitch)\b",
)
NO_PITCH = _rx(
    r"(?#demo pitch show)\b(?:not|never|no|without) (?:planning to |going to )?(?:show|pitch|demo)(?:ing)?\b",
    r"(?#demo)\bdemo of their\b",
    r"(?#demo)\btheir own\b[^.!?\n]{0,20}\bdemo\b",
)

CUSTOMER_VALUE = _rx(
    r"(?#$ € £)[$€£]\s?\d",
    r"(?#day mo month week year yr)\b\d[\d.,]*\s?(?:k|m)?\s?(?:/|a |per )(?:month|mo|year|yr|week|day)\b",
    r"(?#calls day days forms hour hr hrs min mins minute people staff week)"
    r"\b\d+\+?\s*(?:hours?|hrs?|minutes?|mins?|min|days?|weeks?|people|staff|forms|calls)\b[^.!?\n]{0,50}"
    r"\b(?:every|a day|a week|a month|a shift|an hour|per|each|on average|of (?:their|his|her) (?:week|day|time))\b",
    r"(?#all half most)\b(?:half|most|all) (?:of )?(?:every|their|his|her) (?:monday|day|week|morning)",
    r"(?#issue problem)\b(?:(?:real|big|biggest|main|core) (?:problem|issue)\b|problem (?:for|is|was)\b)",
    r"(?#penalt)\bpenalt\w+\b",
    r"(?#document)\bdouble-document\w*\b",
    r"(?#scrambl)\bscrambl\w+\b",
    *phrases(
        *("pain", "painful", "headache", "bottleneck", "backlog", "error", "errors", "denials", "denied claims"),
        *("fined", "fines", "churn", "attrition", "overtime", "no-show", "no-shows", "downtime", "re-key"),
        *("re-keys", "re-typed", "re-typing", "manual", "drowning", "burned", "babysitting", "phone tag"),
        *("detention fees", "missed sla", "missed slas", "missed load", "missed loads", "missed deadlines"),
        *("mis-shipments", "turnover", "waste", "wastes", "wasted", "bleeding"),
    ),
    r"(?#lose losing lost eating eats cost costs costing)"
    r"\b(?:losing|they lose|loses|lost revenue|eating|eats|costs? (?:them|her|him)|costing)\b",
    r"(?#bonus goal job kpi number objective promotion reputation target)"
    r"\b(?:his|her|their|\w+'s) (?:bonus|kpi|promotion|goal|target|objective|job|reputation|number one)\b",
    r"(?#goal target objective kpi kpis)\b(?:goal|target|objective|kpi)s? (?:is|was|for them)\b",
    r"(?#promotion)\bpromotion\b",
    r"(?#line)\bon the line\b",
    r"(?#about)\b(?:care|cares|cared) about\b",
    r"(?#biggest)\bbiggest (?:issue|problem|pain|headache|risk)\b",
    r"(?#want)"
    r"\bwants? (?:it |them |this )?(?:fixed|gone|down|solved|under \d|below \d|faster|halved|digital|to (?:cut|reduce|"
    r"stop|end|fix|retire"
    r"|eliminate|get rid))\b",
    r"(?#pressure heat stake need)\b(?:under pressure to|took the heat|the stake for|stake for them|why they need)\b",
    r"(?#deciding sold what)\b(?:deciding factor|what sold it|sold (?:them|it) (?:on|was))\b",
    r"(?#cut end save)\b(?:would|could|it'?d|will) (?:save|cut|end)\b",
    r"(?#save)\bsaves? (?:his|her|their|them|\w+ ~?\$|~?\d)",
    r"(?#dropped dropping fell jumped rose)\b(?:dropped|dropping|fell|jumped|rose) (?:from |to |by )?~?\d",
    r"(?#cut cutting reduce reducing halve halved)"
    r"\b(?:cutting|reduce|reducing|cut|halve|halved) (?:the )?[\w-]+(?: [\w-]+){0,3} (?:from|by|to|under|in half)\b",
    r"(?#control)\bunder control\b",
    r"(?#drowning)\bstops? drowning\b",
    r"(?#end)\bend to (?!end)",
    r"(?#finally)\bfinally (?:end|stop|fix|solve|get rid)",
    r"(?#worry concern fear frustration)\b(?:'s|their|his|her) (?:worry|concern|fear|frustration) is\b",
    r"(?#keep)\bkeeps? (?:failing|breaking|crashing)\b",
    r"(?#below down under)"
    r"\b(?:get|gets|bring|brings) (?:their|the|his|her) [\w-]+ (?:time|cost|rate|count|volume)s? (?:under"
    r"|below|down)\b",
    r"(?#caught)\b(?:could|would) have caught\b",
    r"(?#close)\bdays-to-close\b",
    r"(?#status)\bstatus quo\b",
    r"(?#motivated)\bso (?:she|he)'?s motivated\b",
    r"(?#wait)\bwait \d+ ?min",
    r"(?#queue queues write writing wrote shrink shrinkage mess messy chaos chaotic paper spreadsheet spreadsheets"
    r" hand lost savings saving warning findings)"
    r"\b(?:queues?|write[- ]?offs?|writing off|wrote off|shrink(?:age)?|a mess|messy|chaos|chaotic|on paper|"
    r"paper-based|"
    r"by hand|gets? lost|savings|warning letters?|audit findings|(?:in|on|across|multiple|several|different|\d+|two|"
    r"three"
    r"|four|five|six|seven|eight|ten) spreadsheets)\b",
    r"(?#behind)\b\d+ (?:days?|weeks?|months?) behind\b",
    # "Their close takes 9 days": what a buyer's process costs in time (not how long our rollout takes).
    r"(?#takes take taking took)\b(?:their|his|her)\b[^.!?\n]{0,40}"
    r"\b(?:takes|take|taking|took) (?:them |her |him |us )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\+?"
    r" (?:days|hours|weeks|minutes|mins|people)\b",
    r"(?#%)"
    r"\b(?:rate|ratio|time|cost|backlog|turnaround)\b[^.!?\n]{0,30}\b(?:is|was|sits at|at|of|down to|up to|dropped to|"
    r"jumped to|fell to|rose to)\s+~?\d+(?:\.\d+)?\s?%",
    r"(?#fte ftes)\b\d+(?:\.\d+)? ftes?\b",
    r"(?#holding)"
    r"\bholding (?:up )?[\w-]+(?: [\w-]+){0,3} for (?:\d+|two|three|four|five|several) (?:days|hours|weeks)\b",
    r"(?#instead)\bwants? [^.!?\n]{0,40}\binstead of\b",
    r"(?#stitch stitching)\bstitch(?:ing|es)? (?:\w+ )?together\b",
)
NO_VALUE = _rx(r"(?#compare)\bcompare total cost\b")

STALL = _rx(
    r"(?#silence)\bradio silence\b",
    r"(?#dark quiet silent cold)\b(?:went|gone|been|going) (?:dark|quiet|silent|cold)\b",
    r"(?#ghost)\bghost(?:ed|ing)\b",
    r"(?#reply response answer word decision new news movement progress traction)"
    r"\b(?:no|still no|zero|little) (?:reply|response|answer|word|decision|new date|news|movement|progress|traction)\b",
    r"(?#nothing)\bnothing (?:back|from|since|yet)\b",
    r"(?#haven)\bhaven'?t heard\b",
    r"(?#disappeared)\bdisappeared\b",
    r"(?#sitting)\bsitting (?:with|on)\b",
    r"(?#waiting)\bstill waiting\b",
    r"(?#waiting)\bwaiting on (?:their|them|the|his|her|legal|procurement)\b",
    r"(?#stall)\bstall(?:ed|ing)?\b",
    r"(?#hold ice pause)\b(?:put|puts|putting|is|are|was|been|be|went|gone|placed|it'?s"
    r"|everything'?s)\s+(?:\w+\s+){0,4}on (?:hold|ice|pause)\b",
    r"(?#hold ice pause)\bon (?:hold|ice|pause) (?:pending|until|for now)\b",
    r"(?#paused)\bpaused\b",
    r"(?#pushed)\bpushed (?:the [\w-]+ |it |us |back |out )?(?:to|out|back|until)\b",
    r"(?#slipped)\bslipped\b",
    r"(?#slid)\bslid\b",
    r"(?#slides)\bslides to\b",
    r"(?#rescheduled)\brescheduled\b",
    r"(?#moved)\b(?:they'?ve|they) moved it\b",
    r"(?#got)\bgot (?:moved|pushed|delayed|postponed|cancell?ed)\b",
    r"(?#delayed postponed)\b(?:delayed|postponed)\b",
    r"(?#cancel)\bcancell?ed\b",
    r"(?#saying)\bkeep saying\b",
    r"(?#year)\bcan'?t do it this year\b",
    r"(?#year)\bnot this year\b",
    r"(?#next)\bnext (?:fiscal )?year\b[^.!?\n]{0,20}\b(?:maybe|now|instead)\b",
    r"(?#until)\bisn'?t there until\b",
    r"(?#budget)\bno budget (?:this|until)\b",
    r"(?#decision)\bpushed the decision\b",
    r"(?#delay)\bdelay\b",
    r"(?#burner)\bback[- ]burner\b",
    r"(?#bumped parked shelved)\b(?:bumped|parked|shelved)\b",
    r"(?#moved)\bmoved (?:[\w'&-]+ ){1,3}to\b",
    r"(?#been sat stuck)\b(?:been|sat|stuck) (?:with|in|at) (?:their|the|his|her) [\w-]+(?: [\w-]+)? (?:for|since)\b",
    r"(?#chased chasing)\bchas(?:ed|ing) (?:them |him |her )?(?:twice|again|\w+ times)\b",
    r"(?#picking answering returning taking)"
    r"\bnot (?:picking|answering|returning|taking) (?:up )?(?:my |our )?(?:calls|the phone|emails)\b",
    r"(?#pending)\bpending (?:at|on|with) (?:their|the \w+'?s?) (?:end|side)\b",
    r"(?#haven havent)\band haven'?t\W*$",
)
STALL_HYPOTHETICAL = _rx(r"(?#slip slips pushes)\bif [^.!?\n]{0,20}\b(?:slips?|pushes)\b")

OBJECTION = _rx(
    r"(?#budget cheaper expensive high money pricey)"
    r"\b(?:too expensive|too pricey|too high|pricey|over budget|more expensive|most expensive|cheaper|too much money"
    r"|too much|undercut|way under us|under us on price)\b",
    r"(?#price)\bprice (?:is|was) (?:too|an issue|a problem|the issue)\b",
    r"(?#mostly price)^price\b|\bprice, mostly\b",
    r"(?#budget)"
    r"\b(?:budget(?:'s| is| isn'?t| is not| got| was| has been)? (?:there|cut|frozen|slashed|pulled|gone|exhausted)|"
    r"budget (?:cut"
    r"|freeze)|no budget)\b",
    r"(?#budget)\bbudget\b[^.!?\n]{0,20}\bcut\b",
    r"(?#pay)\bwhy (?:they'?d|they would|should they) pay\b",
    r"(?#worth)\bworth the (?:difference|money|price)\b",
    r"(?#% discount lower better net)"
    r"\b(?:asked|asking|ask(?:s)?|want(?:s|ed)?|pushing) (?:us )?(?:for )?(?:a |an )?(?:\d+% (?:off|cut"
    r"|discount)|discount|lower price|better price|net-\d+)",
    r"(?#net)\bnet-\d+\b",
    r"(?#cut)\b\d+% cut\b",
    r"(?#also)\balso (?:looking at|talking to|evaluating|considering|speaking with)\b",
    r"(?#brought)\bbrought up \w+(?:'s)? pricing\b",
    r"(?#bundling)\bbundling\b",
    r"(?#free)\bfor free\b",
    r"(?#priority)\bnot a priority\b",
    r"(?#right)\bnot (?:the )?right time\b",
    r"(?#objection)\bobjections? (?:from|on|about|is|was)\b",
    r"(?#back)\bpush(?:ed)? ?back (?:on|from)\b",
    r"(?#pushback)\bpushback\b",
    r"(?#concerned concerns flag flagged hesitant nervous sceptical skeptical worried)"
    r"\b(?:worried|concerned|concerns|nervous|skeptical|sceptical|hesitant|flagged|red flags?)\b",
    r"(?#won wont)\bwon'?t (?:adopt|approve|sign off|buy)\b",
    r"(?#cover justify pay)\b(?:won'?t|doesn'?t|don'?t|can'?t) (?:cover|justify|pay for) (?:the |our |a )?(?:[\w-]+ )?"
    r"(?:cost|price|licen[cs]e|spend|investment|fees?|subscription)\b",
    r"(?#security)\bsecurity (?:is|was) (?:the |a )?(?:real )?(?:blocker|concern|issue)\b",
    r"(?#blocker)\breal blocker\b",
    r"(?#soc)\bsoc ?2\b",
    r"(?#findings)\bcame back with \d+ findings\b",
    r"(?#prem)\bon-prem\b",
    r"(?#audit)\bmid-audit\b",
    r"(?#year)\bcan'?t do it this year\b",
    r"(?#until)\bisn'?t there until\b",
    r"(?#budget)\bno budget\b",
    r"(?#mostly)\bprice\b[^.!?\n]{0,20}\bmostly\b",
    r"(?#say says)\bsays? we'?re \W?\d+% more\b",
    r"(?#price pricing cost)\b(?:lost|losing|lose|beat|beaten|went with)\b[^.!?\n]{0,40}\bon (?:price|pricing|cost)\b",
    r"(?#revised better lower cheaper different phased extended longer)"
    r"\b(?:asked|asking|wants?|pushing|pushed|requested|requesting)(?: us)?(?: for)? (?:a |an |the )?"
    r"(?:revised|better|lower|cheaper|different|phased|extended|longer) (?:pricing|price|quot\w+|terms|payment \w+)",
    r"(?#pricing)\bpricing per\b",
    r"(?#vendor competitor supplier)"
    r"\b(?:go|going) with (?:a |the |another |local |other |cheaper )?(?:\w+ )?(?:vendor|competitor|supplier)\b",
    r"(?#quote bid offer proposal)\b(?-i:(?:[Qq]uote|[Bb]id|[Oo]ffer|[Pp]roposal) from [A-Z])",
    r"(?#until)\bcan'?t (?:take on|start|do|fit|commit to|look at)\b[^.!?\n]{0,40}\buntil\b",
    r"(?#pen security audit infosec)"
    r"\b(?:pen ?test|security review|security questionnaire|audit|infosec|security)\b[^.!?\n]{0,60}\b(?:findings?|"
    r"highs|criticals|fix)\b",
    r"(?#pencil back)\b(?:sharpen (?:the|our|your) pencil|knock (?:it|us|this) back)\b",
)
NO_OBJECTION = _rx(r"(?#objections)\bany objections\b", r"(?#price)\bprice is fine\b(?![^.!?\n]*\b(?:but|without)\b)")

WON = _rx(
    r"(?#closed)\bclosed[- ]won\b",
    r"(?#countersigned signed)\b(?:signed|countersigned)\b(?! (?:before|by|off))"
    r"(?<!\bget signed)(?<!\bhave signed)(?<!\bbe signed)(?<!\bit signed)"
    r"(?<!\bget countersigned)(?<!\bhave countersigned)(?<!\bbe countersigned)(?<!\bit countersigned)",
    r"(?#won)\bwe won\b",
    r"(?#won)^won\b",
    r"(?#won)\bwon (?:it|the deal|them|\w+!)",
    r"(?#renewed)\brenewed\b",
    r"(?#po received)\b(?:po (?:came|has come|received|is in|landed|arrived)|received (?:the |their |a )?po)\b",
    r"(?#officially)\bofficially a customer\b",
    r"(?#completed)\bdocusign completed\b",
    r"(?#got)\bwe got it\b",
    r"(?#done)\bit'?s done\b",
    r"(?#closed)^closed (?!lost|-lost)(?-i:[A-Z])",
    r"(?#years)\b(?:\d+|two|three|four|five) more years\b",
    r"(?#customer)\bis a customer\b",
    r"(?#green)\bgreen-?lit\b",
    r"(?#we were)\bwe'?re in\b!",
    r"(?#renewal)\brenewal (?:is )?(?:done|signed|closed|complete|through)\b",
)
NO_WON = _rx(
    r"(?#signed)\bget \w+ signed\b",
    r"(?#signed)\bsigned by\b",
    r"(?#sign)\bif (?:they|he|she) sign",
    r"(?#nda mnda cda dpa loi)\bsigned (?:the |an |a |our |their )?(?:mutual )?(?:m?nda|cda|dpa|loi)\b",
)

LOST = _rx(
    r"(?#closed)\bclosed[- ]lost\b",
    r"(?#lost)\bwe lost\b",
    r"(?#lost)^lost\b",
    r"(?#lost)\blost (?:it|the deal|this one|them|out|\w+ to)\b",
    r"(?#went)\bwent with\b",
    r"(?#chose picked selected)\b(?:chose|picked|selected) (?!us\b)(?-i:[A-Z])",
    r"(?#chose)\bchose (?:another|a competitor|the other)\b",
    r"(?#going)\bgoing with (?:another|a competitor|the other|(?-i:[A-Z]))",
    r"(?#decided)\bdecided to (?:build|go with|stay|stick)\b",
    r"(?#build)\bbuild it in-house\b",
    r"(?#renewal)\brenewal is gone\b",
    r"(?#consolidating)\bconsolidating on\b",
    r"(?#renew renewing)(?:\bnot|n'?t) (?:be |going to )?renew(?:ing)?\b",
    r"(?#churned)\bchurned\b",
)
