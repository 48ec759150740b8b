"""Common given names across many cultures, so a capitalised word can be told from a company or a place.

A word that is also an ordinary word ("Grace", "Will") only counts as a name when the sentence treats it
as a person; months, days and places are never names.
"""

from __future__ import annotations

_NAMES = """
aaron abby abdul abigail abdullah abhishek adam adaeze adebayo adela adele adil aditi aditya adrian adriana
agnes ahmed ahmad aiden aiko aisha ajay akira akash alan alana albert alberto alejandro alex alexa alexander
alexandra alexis alfred ali alice alicia alina alison amal amanda amara amelia amir amit amy ana anand anders
andre andrea andreas andrew andy angela angelica angus anil anita anjali ankit ann anna anne annie anthony
anton antonio anya arjun arnav arthur arun asha ashley ashok astrid aurora austin ava ayesha ayumi barbara
beatriz becky ben benjamin bernard beth bethany bianca bilal bjorn blake bob bogdan brad bradley brandon
brenda brendan brian bridget brittany bruce bruno bryan caitlin caleb callum camila cameron camille carl
carla carlos carmen carol caroline carter catherine cathy cecilia chandra chantal charles charlie charlotte
chen chiara chidi chinedu chloe chris christian christina christine christopher chuck claire clara claudia
cody colin connor craig cristina curtis cynthia dahlia daisuke dale damian dan dana daniel daniela danielle
danny darius darren dave david dean deborah deepak deepika denise dennis derek desmond devin diana diane
diego dimitri divya dmitri dominic donald donna doug douglas duncan dylan ed eddie edward eileen elena eli
elijah elizabeth ella ellen emeka emily emma eric erica erik erin esther ethan eugene eva evan fatima felipe
felix fernando fiona francesca francesco francisco frank fred freya gabriel gabriela gareth gary gavin
gemma george georgia gerald gina giovanni giulia gloria gordon greg gregory gustavo hailey hana hannah hans
harish harper harry hassan heather hector heidi helen helena henry hiroshi hugo hussein ian ibrahim ifeoma
igor ines ingrid irene isaac isabel isabella ivan jack jackie jacob jake james jamal jan jane janet janice
jared jason javier jay jean jeff jeffrey jen jenna jennifer jenny jeremy jerome jess jessica jim jimmy joan
joanna joe joel johan johannes john jon jonah jonathan jordan jorge jose joseph josh joshua juan judith
judy julia julian julie justin kai kamal karan karen karim karl kate katherine kathleen kathy katie kavya
keisha keith kelly ken kenji kenneth kevin khalid kim kimberly kiran kofi kris krishna kristen kumar kurt
kwame kyle lakshmi lars laura lauren leah lee leila lena leo leon leonardo liam lily lina linda lindsay lisa
liz logan lorenzo louis lucas lucia lucy luis luisa luka luke lydia lynn maddie madison magnus mahmoud
maja malik manoj manuel marco marcus margaret maria mariana marie marina mario marisa marta martin mary
mateo matt matteo matthew maurice max maya megan mehdi mei melanie melissa mia michael michelle miguel
mike mila min ming mohamed mohammed monica morgan muhammad nadia nancy naomi natalia natalie nathan
neha neil nicholas nick nicole nikhil nikita nina noah noor nora olga oliver olivia omar oscar owen pablo
paolo patricia patrick paul paula pedro peter philip pierre pooja prakash pranav priya priyanka rachel
rafael rahul raj rajesh ramesh ramon rana ravi rebecca reza ricardo richard rick rita rob robert roberto
robin rohan roman ronald rosa ross ruth ryan sabrina sachin sadia sally sam samantha samir samuel sandeep
sandra sanjay sara sarah sasha scott sean sebastian sergio seth shane shannon sharon shawn sheila shreya
simon simone sofia sonia sophia sophie stacy stefan stella stephanie stephen steve steven sunil susan
suresh svetlana tamara tanya tara ted teresa thomas tiffany tim timothy tina tobias todd tom tomas tony
tracy travis trevor tyler uma valentina valerie vanessa varun vera veronica victor victoria vijay vikram
vincent vivek wei wendy william xavier yasmin yuki yusuf zach zachary zainab zara zoe
"""
# Names that are also everyday words: accepted only where the sentence treats them as a person.
AMBIGUOUS = frozenset(
    [
        "will",
        "mark",
        "bill",
        "grace",
        "hope",
        "faith",
        "joy",
        "dawn",
        "rose",
        "chase",
        "ray",
        "art",
        "pat",
        "sue",
        "rich",
        "frank",
        "jack",
        "max",
        "dean",
        "gene",
        "page",
        "drew",
        "sunny",
        "june",
        "may",
        "april",
        "august",
        "summer",
        "hunter",
        "penny",
        "amber",
    ]
)
FIRST_NAMES: frozenset[str] = frozenset(n.capitalize() for n in _NAMES.split()) | frozenset(
    n.capitalize() for n in AMBIGUOUS
)
NOT_NAMES: frozenset[str] = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "today",
        "tomorrow",
        "the",
        "their",
        "they",
        "this",
        "that",
        "these",
        "those",
        "there",
        "then",
        "our",
        "we",
        "our",
        "it",
        "its",
        "he",
        "she",
        "his",
        "her",
        "hi",
        "hey",
        "thanks",
        "please",
        "just",
        "still",
        "also",
        "any",
        "anyone",
        "everyone",
        "nothing",
        "sydney",
        "paris",
        "london",
        "boston",
        "dallas",
        "austin",
        "seattle",
        "chicago",
        "houston",
        "denver",
        "phoenix",
        "memphis",
        "reno",
        "jersey",
    ]
)
