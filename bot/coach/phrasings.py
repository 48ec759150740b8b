"""How each lens is asked, several ways, so a channel never reads like a form letter.

`{who}` is the deal, or for personal_driver the stakeholder. Each text is at most two sentences of plain
text: the Slack side escapes and formats it.
"""

from __future__ import annotations

from bot.coach.person import word_kind

NAMED: dict[str, tuple[str, ...]] = {
    "wiift": (
        "If {who} says yes, what changes for them, put the way they would say it?",
        "Forget the features for a second: what outcome is {who} actually buying?",
        "What would {who} tell their own boss they got out of this?",
        "What does {who} gain from this that they can't get today?",
        "How will {who} know, six months in, that this was worth it?",
    ),
    "personal_driver": (
        "What's in this for {who} personally: a win to show, a headache gone, something else?",
        "Set the company aside: what does {who} stand to gain or lose if this goes ahead?",
        "What would make {who} look good to their own boss here?",
        "Why would {who} spend their own credibility pushing this internally?",
        "What keeps {who} up at night that this could fix?",
    ),
    "cost_of_inaction": (
        "What does another quarter of the status quo cost {who}, and do they feel it yet?",
        "If {who} does nothing, what gets worse for them, and who notices first?",
        "Has {who} put a number on waiting? What is standing still costing them?",
        "What pain would make this urgent for {who}, not for us?",
    ),
    "alignment": (
        "Whose timeline is this, {who}'s or ours? What date do they actually care about?",
        "Leave our quarter out of it: is this the right fit for {who}, even next to the alternatives?",
        "What would {who} lose by moving at our pace instead of theirs?",
        "If another option suited {who} better, would you tell them? What makes us right for them?",
    ),
    "call_prep": (
        "What does {who} want to walk away with from this call, and how will you know they got it?",
        "If {who} could get only one thing out of the next meeting, what would it be?",
        "What should {who} be deciding on this call, and what do they need from you to decide it?",
        "Which question will {who} be most glad you asked on this call?",
    ),
    "relationship": (
        "What will {who} tell a peer about working with us a year from now?",
        "What story do you want {who} telling others about this rollout?",
        "What would make {who} glad, six months in, that they picked us?",
        "What would it take for {who} to vouch for us to someone they respect?",
    ),
    "reflection": (
        "Whose self-interest did we not serve on {who}?",
        "Looking back at {who}: what did they need that we never found out?",
        "Where did what we wanted and what {who} wanted pull apart?",
        "If you replayed {who}, whose personal stake would you dig into sooner?",
    ),
}

UNNAMED: dict[str, tuple[str, ...]] = {
    "wiift": (
        "What does the buyer gain here, in their words rather than ours?",
        "Forget the features for a second: what outcome are they actually buying?",
        "What would your buyer tell their boss they got out of this?",
        "What can they do after this that they can't do today?",
    ),
    "personal_driver": (
        "Who on their side gains most personally if this goes ahead, and what do they want?",
        "Set the company aside: which person there wins or loses if this happens?",
        "Whose career looks better if this goes live, and do you know what they care about?",
        "Who is carrying this internally, and what's in it for them?",
    ),
    "cost_of_inaction": (
        "What does staying where they are cost them each month, and do they feel it?",
        "If they do nothing, what gets worse for them, and who notices first?",
        "Has anyone on their side put a number on waiting?",
        "What would make this urgent for them, not for us?",
    ),
    "alignment": (
        "Whose timeline is this, theirs or ours? What date do they actually care about?",
        "Leave our quarter out of it: is this the right fit for them, even next to the alternatives?",
        "What would they lose by moving at our pace instead of theirs?",
        "If another option suited them better, would you tell them?",
    ),
    "call_prep": (
        "What does the buyer want to walk away with from this call?",
        "If they could get only one thing from the next meeting, what would it be?",
        "What do they need to decide on this call, and what would help them decide?",
        "What's the agenda from their side of the table?",
    ),
    "relationship": (
        "What will they tell their peers about working with us a year from now?",
        "What story do you want them telling others about this?",
        "What would make them glad, six months in, that they picked us?",
        "What would it take for them to vouch for us to someone they respect?",
    ),
    "reflection": (
        "Whose self-interest did we not serve here?",
        "Looking back: what did they need that we never found out?",
        "Where did what we wanted and what they wanted pull apart?",
        "If you replayed this one, whose personal stake would you dig into sooner?",
    ),
}


def display(who: str) -> str:
    """A person's name as is; a role gets an article: "Aisha", "Dana Whitfield", "Dr Haddad", "the CFO",
    "the head of IT", "the CFO Dana Whitfield"."""
    if who[:1].isupper() and not who.split(" ")[0].isupper() and word_kind(who.split(" ")[0]) == "n":
        return who
    words = who.split(" ")
    if len(words) > 1 and not words[0].isupper():
        words[0] = words[0].lower()
    return "the " + " ".join(words)
