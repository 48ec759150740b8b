"""The features the learned parts read, defined once for training and for run time.

Signal model (one message): each distinct word, its character n-grams, each distinct pair of neighbouring
words, and what the rules and the tagger found (`r:`, `p:`, `m:` features). Stakeholder tagger (one token):
the word, its shape, last letters and lexicon classes, the same for two words either side, its place in the
sentence, and for a capitalised word whether a verb of ACTS follows it and whether the message says "he" or
"she". Every feature's weight depends on one word, read in a slot its neighbours or the message choose, so a
model can sum cached per-word weights.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from bot.coach.names import FIRST_NAMES, NOT_NAMES
from bot.coach.tokens import normal, shape


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are job titles or parts of one; a hint for the tagger, not a list it is confined to.
ROLE_WORDS = _words(
    "ceo cfo coo cio cto cmo cro cpo ciso cmio cno cco cdo cso cao chro cxo gc ea dpo svp evp avp vp md"
    " gm don dir chief head director directors vice president manager mgr lead supervisor administrator"
    " counsel controller comptroller founder co-founder owner partner superintendent treasurer buyer"
    " principal headteacher head-teacher dean bursar registrar provost chancellor foreman commissioner"
    " officer coordinator engineer architect analyst champion sponsor specialist consultant nurse matron"
    " doctor surgeon pharmacist cmo clinician physician super secretary chair chairman chairwoman trustee"
    " councillor minister mayor inspector auditor accountant planner dispatcher superintendant gp fd cdio"
    " pvc dvc vc hod tl pm jefe jefa gerente directora directeur directrice responsable leiter leiterin"
    " werksleiter geschäftsführer einkaufsleiter direttore direttrice responsabile dirigente diretor"
    " diretora inkoper hoofd"
)
_CALENDAR = _words(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august"
    " september october november december mon tue tues wed thu thur thurs fri sat sun monday tuesday"
    " wednesday thursday friday saturday sunday today tomorrow tmrw easter christmas xmas diwali ramadan"
    " eid"
)
_PLACES = frozenset(word for word in NOT_NAMES if word not in _CALENDAR) - {
    *("the", "their", "they", "this", "that", "these", "those", "there", "then", "our", "we", "it", "its"),
    *("he", "she", "his", "her", "hi", "hey", "thanks", "please", "just", "still", "also", "any", "anyone"),
    *("everyone", "nothing"),
}
# Titles written before a name, in the Englishes and languages sellers mix in; and those written after one.
_HONORIFICS = _words(
    "mr mrs ms mx dr prof professor sir madam dame lord lady captain capt capitán col major supt sr sra"
    " srta don doña dona m mme mlle herr frau signor signora sig dott dott.ssa ing pak bu ibu mdm dottor"
    " dottore dottoressa avv ingeniero lic encik cik datuk dato tan sri oom tannie auntie aunty uncle ji"
    " shri smt mevrouw meneer"
)
_AFTER_NAME = frozenset(["sir", "ma'am", "madam", "ji", "san", "sahib", "saab", "bhai", "garu"])
_OURS = frozenset(["our", "my", "we", "us", "i"])
SENTENCE_END = frozenset([".", "!", "?", ":", ";", "\n"])
_EMOJI = re.compile(r":([a-z0-9_+\-']+):")


# -- the signal model -------------------------------------------------------------------------------


def is_word(token: str) -> bool:
    return token[0].isalnum()


def word_features(word: str, char_range: tuple[int, int] | None) -> list[str]:
    """The features one distinct word brings to a message: itself and its character n-grams."""
    found = [f"w:{word}"]
    if char_range is not None and len(word) > 3:
        low, high = char_range
        padded = f"<{word}>"
        for n in range(low, high + 1):
            found.extend(f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1))
    return found


def message_words(tokens: Iterable[str]) -> tuple[list[str], list[str]]:
    """The distinct normal words of a message, and its distinct word pairs within a sentence ("b:" features)."""
    words: dict[str, None] = {}
    pairs: dict[str, None] = {}
    previous = "<s>"
    for token in tokens:
        if token[0].isalnum():  # is_word(), inline: this loop runs for every token of every message
            word = normal(token)
            words[word] = None
            pairs["b:" + previous + " " + word] = None
            previous = word
        elif token in SENTENCE_END:
            if previous != "<s>":
                pairs["b:" + previous + " </s>"] = None
            previous = "<s>"
        elif token in "?!$%£€":
            words[token] = None
    if previous != "<s>":
        pairs["b:" + previous + " </s>"] = None
    return list(words), list(pairs)


def context_features(
    raw: str,
    rule_signals: Iterable[str],
    rule_chatter: bool,
    rule_time: bool,
    rule_people: bool,
    cues: Iterable[str] = (),
) -> list[str]:
    """What the rules and the raw markup say about a message, as features."""
    found = [f"r:{signal}" for signal in rule_signals]
    found.extend(f"r:{cue}" for cue in cues)
    if not rule_signals and not rule_chatter:
        found.append("r:none")
    if rule_time:
        found.append("r:time")
    if rule_people:
        found.append("r:stakeholder")
    if "<@" in raw:
        found.append("m:mention")
    if "~" in raw:
        found.append("m:strike")
    if "<http" in raw:
        found.append("m:link")
    if ":" in raw:
        found.extend(f"m:emoji:{name}" for name in dict.fromkeys(_EMOJI.findall(raw)))
    size = len(raw)
    found.append("m:short" if size < 40 else "m:medium" if size < 160 else "m:long")
    return found


def message_features(
    tokens: Iterable[str], char_range: tuple[int, int] | None, context: list[str], bigrams: bool = True
) -> list[str]:
    """Every feature of one message, repeated as often as it counts (what training sees)."""
    words, pairs = message_words(tokens)
    found = [feature for word in words for feature in word_features(word, char_range)]
    if bigrams:
        found.extend(pairs)
    found.extend(context)
    return found


# -- the stakeholder tagger -------------------------------------------------------------------------

# The tagger's features come in groups by which token they read: the token itself ("o"), it at a sentence
# start ("s"), and the tokens one and two before ("p1", "p2") and after ("n1", "n2"). A capitalised token's
# word classes are also read against the message: whether "he", "she", "his" or "her" is in it ("h0", "h1"),
# and whether a verb of speech or action follows the token ("v1…") or not ("v0…"), at a sentence start ("v…1")
# or not ("v…0"): "Thandeka moved our call", "Gráinne's real problem", "… and she fought for it".
TOKEN_SLOTS = ("o", "s", "p1", "p2", "n1", "n2", "h0", "h1", "v00", "v01", "v10", "v11")
PRONOUNS = _words("he she his her him hers")
# What a person does in a deal update, written after their name: "Rui says", "Fergal came back", "Kowal out".
ACTS = _words(
    "said says say saying told tells asked asks wants want wanted is was has had will would can cant can't"
    " thinks reckons mentioned confirmed agreed signed called rang emailed replied texted pushed moved"
    " cancelled bailed needs needed likes loved hates"
)
_POSSESSIVE = frozenset(["'s", "’s"])


def _lines(name: str) -> frozenset[str]:
    text = (Path(__file__).resolve().parent / "lists" / name).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


# Given names and surnames in many languages (lists/, from Faker's person providers): a hint, like FIRST_NAMES.
GIVEN_NAMES = _lines("given_names.txt")
SURNAMES = _lines("surnames.txt")


def token_features(token: str, common: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """The tagger's features of one token, by the slot it is read in (see TOKEN_SLOTS).

    `common` are words the training corpus writes in lower case: a capitalised word that is not one of them is
    more likely a name ("Rohan", "Begoña") than a capitalised ordinary word ("Going", "Planning"). The word's
    last letters and a capitalised word's length describe names the lists don't hold ("Zielińska", "Okafor").
    """
    word = normal(token)
    kind = shape(token)
    classes: list[str] = []
    capitalised = token[:1].isupper()
    if capitalised:
        classes.append("common" if word in common else "rare")
    if word in ROLE_WORDS:
        classes.append("role")
    if capitalised and token.capitalize() in FIRST_NAMES:
        classes.append("name")
    if word in _CALENDAR:
        classes.append("cal")
    if word in _PLACES:
        classes.append("place")
    if word.rstrip(".") in _HONORIFICS:
        classes.append("hon")
    if word in _AFTER_NAME:
        classes.append("after")
    if word in _OURS:
        classes.append("ours")
    if capitalised:
        cased = token.capitalize() if token.isupper() else token
        if cased in GIVEN_NAMES:
            classes.append("given")
        if cased in SURNAMES:
            classes.append("surname")
    own = [f"w={word}", f"s={kind}", *(f"k={c}" for c in classes), f"c={kind}|{'|'.join(classes)}"]
    if len(token) > 2 and token[0].isalpha():
        own += (f"f3={word[-3:]}", f"f2={word[-2:]}")
    if capitalised and token[1:2].islower():
        own.append(f"len={min(len(token), 9)}")
    near = [f"w={word}", f"s={kind}", *(f"k={c}" for c in classes)]
    found = {
        "o": own,
        "s": [f"s={kind}", *(f"k={c}" for c in classes)],
        "p1": near,
        "p2": [f"w={word}", *(f"k={c}" for c in classes)],
        "n1": near,
        "n2": [f"w={word}", *(f"k={c}" for c in classes)],
    }
    read = [f"k={'|'.join(classes) or '-'}"] if capitalised else []
    for slot in TOKEN_SLOTS[6:]:
        found[slot] = read
    return found


def acts_after(tokens: list[str], index: int) -> bool:
    """Whether a verb of ACTS follows token `index` ("Rui says", "Gráinne's come back")."""
    after = tokens[index + 1 : index + 3]
    if not after:
        return False
    if after[0] in _POSSESSIVE:
        return len(after) == 2 and normal(after[1]) in ACTS
    return normal(after[0]) in ACTS


_PRONOUN_FORMS = frozenset(form for word in PRONOUNS for form in (word, word.capitalize(), word.upper()))


def has_pronoun(tokens: list[str]) -> bool:
    """Whether the message says "he", "she", "his", "her", "him" or "hers" anywhere (as written: "He", "HER")."""
    return not _PRONOUN_FORMS.isdisjoint(tokens)


def starts_sentence(tokens: list[str], index: int) -> bool:
    """Whether token `index` opens a sentence (first token, or after . ! ? : ; or a line break marker)."""
    return index == 0 or tokens[index - 1] in SENTENCE_END


def common_words(texts: Iterable[list[str]], least: int = 2) -> frozenset[str]:
    """Words written in lower case at least `least` times in these tokenised texts."""
    counts: dict[str, int] = {}
    for tokens in texts:
        for token in tokens:
            if token.islower() and token.isalpha():
                counts[token] = counts.get(token, 0) + 1
    return frozenset(word for word, count in counts.items() if count >= least)


def rule_marks(tokens: list[tuple[str, int, int]], spans: Iterable[str], plain: str) -> list[str]:
    """ "B"/"I" for the tokens of each span the rules found (their first occurrence), "" elsewhere."""
    marks = [""] * len(tokens)
    if not spans:
        return marks
    starts = {start: i for i, (_, start, _) in enumerate(tokens)}
    for span in spans:
        at = plain.find(span)
        first = starts.get(at)
        if first is None:
            continue
        marks[first] = "B"
        i = first + 1
        while i < len(tokens) and tokens[i][2] <= at + len(span):
            marks[i] = "I"
            i += 1
    return marks


def sequence_features(
    tokens: list[str], common: frozenset[str] = frozenset(), marks: list[str] | None = None
) -> list[list[str]]:
    """Each token's full feature list, slot-prefixed (what training sees for the tagger). `marks` are
    rule_marks(): where the hand-written stakeholder rules found someone."""
    per_token = [token_features(token, common) for token in tokens]
    pronoun = "h1" if has_pronoun(tokens) else "h0"
    found: list[list[str]] = []
    for i in range(len(tokens)):
        row = [f"o:{f}" for f in per_token[i]["o"]]
        if marks and marks[i]:
            row.append(f"r:{marks[i]}")
        start = starts_sentence(tokens, i)
        if start:
            row.extend(f"s:{f}" for f in per_token[i]["s"])
        for slot, j in (("p1", i - 1), ("p2", i - 2), ("n1", i + 1), ("n2", i + 2)):
            if 0 <= j < len(tokens):
                row.extend(f"{slot}:{f}" for f in per_token[j][slot])
            else:
                row.append(f"{slot}:edge")
        acts = f"v{int(acts_after(tokens, i))}{int(start)}"
        row.extend(f"{slot}:{f}" for slot in (pronoun, acts) for f in per_token[i][slot])
        found.append(row)
    return found
