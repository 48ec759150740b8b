"""`/deal` end to end: every subcommand, its bad inputs, and who may see what."""

from __future__ import annotations

from sqlmodel import select

from storage.db import unit_of_work
from storage.models import Deal, Note
from tests.conftest import DEAL_CHANNEL, GENERAL, MANAGER, OUTSIDER, PRIVATE_DEAL, SELLER, Wiift, answer_text


def _deals(wiift: Wiift) -> list[Deal]:
    with unit_of_work(wiift.services.engine) as session:
        return list(session.exec(select(Deal)))


def _notes(wiift: Wiift) -> list[Note]:
    with unit_of_work(wiift.services.engine) as session:
        return list(session.exec(select(Note)))


def test_every_answer_is_private(wiift: Wiift) -> None:
    answer = wiift.command("/deal", "new Acme Renewal")
    assert answer.params["response_type"] == "ephemeral"


def test_new_links_the_channel_to_a_deal_owned_by_the_caller(wiift: Wiift) -> None:
    answer = wiift.command("/deal", "new Acme Renewal", channel=GENERAL)
    assert "Acme Renewal" in answer_text(answer)
    [deal] = _deals(wiift)
    assert (deal.name, deal.owner_id, deal.channel_id, deal.is_private) == (
        "Acme Renewal",
        SELLER,
        GENERAL,
        False,
    )


def test_new_refuses_a_second_deal_in_a_channel_and_a_taken_name(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    assert "already follows" in answer_text(wiift.command("/deal", "new Other"))
    assert "already a deal called" in answer_text(wiift.command("/deal", "new acme", channel=GENERAL))
    assert len(_deals(wiift)) == 1


def test_new_in_a_private_channel_marks_the_deal_private(wiift: Wiift) -> None:
    wiift.command("/deal", "new Secret Co", channel=PRIVATE_DEAL)
    assert _deals(wiift)[0].is_private


def test_new_with_a_bad_name_explains_and_creates_nothing(wiift: Wiift) -> None:
    assert "Give the deal a name" in answer_text(wiift.command("/deal", "new"))
    assert "at most 80" in answer_text(wiift.command("/deal", "new " + "x" * 81))
    assert _deals(wiift) == []


def test_note_keeps_tagged_and_untagged_notes(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    tagged = wiift.command("/deal", "note #cost every late shipment costs them a penalty")
    assert "Cost of staying put" in answer_text(tagged)
    wiift.command("/deal", "note Dana wants the project done before her promotion review #driver")
    untagged = wiift.command("/deal", "note They lose two days a month reconciling by hand")
    assert "Noted" in answer_text(untagged)
    notes = {n.text: n for n in _notes(wiift)}
    assert notes["every late shipment costs them a penalty"].lens == "cost_of_inaction"
    assert notes["Dana wants the project done before her promotion review"].lens == "personal_driver"
    assert notes["Dana wants the project done before her promotion review"].stakeholder == "Dana"
    assert len(notes) == 3


def test_note_rejects_empty_and_too_long_text_and_keeps_nothing(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    assert "Add the note itself" in answer_text(wiift.command("/deal", "note"))
    assert "Add the note itself" in answer_text(wiift.command("/deal", "note #driver"))
    too_long = answer_text(wiift.command("/deal", "note " + "é" * 501))
    assert "501 characters" in too_long and "at most 500" in too_long
    assert _notes(wiift) == []
    wiift.command("/deal", "note " + "é" * 500)
    assert len(_notes(wiift)) == 1


def test_note_outside_a_deal_channel_says_how_to_start_one(wiift: Wiift) -> None:
    assert "/deal new" in answer_text(wiift.command("/deal", "note hello", channel=GENERAL))
    assert _notes(wiift) == []


def test_show_renders_the_card_with_notes_stakeholders_and_gaps(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.command("/deal", "note #driver Dana wants fewer late nights at quarter close")
    wiift.command("/deal", "note #cost they pay two contractors to reconcile by hand")
    card = answer_text(wiift.command("/deal", "show"))
    assert "Deal: Acme" in card
    assert "Dana" in card and "fewer late nights" in card
    assert "Cost of staying put" in card and "two contractors" in card
    assert "Still open" in card


def test_show_by_name_from_another_channel(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    assert "Deal: Acme" in answer_text(wiift.command("/deal", "show acme", channel=GENERAL, user=MANAGER))
    assert "No deal called" in answer_text(wiift.command("/deal", "show Nope", channel=GENERAL))


def test_a_private_deal_is_invisible_to_non_members(wiift: Wiift) -> None:
    wiift.command("/deal", "new Secret Co", channel=PRIVATE_DEAL)
    wiift.command("/deal", "note #driver the COO wants to hit the audit date", channel=PRIVATE_DEAL)
    hidden = answer_text(wiift.command("/deal", "show Secret Co", channel=GENERAL, user=OUTSIDER))
    assert "No deal called" in hidden and "audit" not in hidden
    listing = answer_text(wiift.command("/deal", "list", channel=GENERAL, user=OUTSIDER))
    assert "Secret Co" not in listing
    assert "audit" in answer_text(wiift.command("/deal", "show Secret Co", channel=GENERAL, user=SELLER))
    assert "Secret Co" in answer_text(wiift.command("/deal", "list", channel=GENERAL, user=SELLER))


def test_deals_of_another_workspace_are_invisible(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    other = wiift.driver.command("/deal", "show Acme", user=SELLER, channel=GENERAL, team_id="TOTHER")
    assert other.status == 200
    wiift.settle()
    answer = wiift.slack.calls_to("response_url")[-1]
    assert "No deal called" in answer_text(answer)


def test_list_shows_the_callers_deals_first(wiift: Wiift) -> None:
    wiift.command("/deal", "new Zeta", channel=GENERAL, user=MANAGER)
    wiift.command("/deal", "new Acme")
    listing = answer_text(wiift.command("/deal", "list"))
    assert listing.index("Acme") < listing.index("Zeta")


def test_the_list_counts_deals_in_words_a_person_would_use(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    assert wiift.command("/deal", "list").params["text"] == "1 deal"
    wiift.command("/deal", "new Zeta", channel=GENERAL)
    assert wiift.command("/deal", "list").params["text"] == "2 deals"


def test_owner_hands_the_deal_over(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    answer = wiift.command("/deal", f"owner <@{MANAGER}|mia>")
    assert f"<@{MANAGER}> now owns" in answer_text(answer)
    assert _deals(wiift)[0].owner_id == MANAGER
    assert "mention" in answer_text(wiift.command("/deal", "owner mia"))


def test_close_won_asks_the_relationship_question_in_the_channel(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    answer = wiift.command("/deal", "close won")
    assert "closed won" in answer_text(answer)
    [post] = wiift.slack.calls_to("chat.postMessage")
    assert post.params["channel"] == DEAL_CHANNEL and "Relationship" in answer_text(post)
    assert _deals(wiift)[0].stage == "won"
    wiift.say(
        "They'll say we listened to their ops team.",
        thread_ts=post.params.get("ts") or wiift.slack.messages(DEAL_CHANNEL)[-1]["ts"],
    )
    assert [n.lens for n in _notes(wiift)] == ["relationship"]


def test_close_lost_asks_for_reflection_and_bad_outcomes_get_help(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    assert "close won" in answer_text(wiift.command("/deal", "close maybe"))
    wiift.command("/deal", "close lost")
    assert "Reflection" in answer_text(wiift.slack.calls_to("chat.postMessage")[0])
    assert _deals(wiift)[0].stage == "lost"


def test_forget_asks_first_then_deletes_the_deal_and_its_notes(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.command("/deal", "note #cost late fees every month")
    confirm = wiift.command("/deal", "forget")
    buttons = [e for b in confirm.json("blocks") if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == ["deal_forget_confirm", "deal_forget_cancel"]
    assert len(_notes(wiift)) == 1  # nothing deleted until confirmed

    outsider = wiift.driver.action(
        action_id="deal_forget_confirm", value=buttons[0]["value"], user=MANAGER, channel=DEAL_CHANNEL
    )
    assert outsider.status == 200
    wiift.settle()
    assert "Only the deal's owner" in answer_text(wiift.slack.calls_to("response_url")[-1])
    assert len(_deals(wiift)) == 1

    wiift.driver.action(action_id="deal_forget_confirm", value=buttons[0]["value"], user=SELLER, channel=DEAL_CHANNEL)
    wiift.settle()
    done = wiift.slack.calls_to("response_url")[-1]
    assert "Deleted *Acme* and its 1 note." in answer_text(done) and done.params["replace_original"] is True
    assert _deals(wiift) == [] and _notes(wiift) == []


def test_forget_cancel_keeps_everything(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.driver.action(action_id="deal_forget_cancel", value="1", user=SELLER, channel=DEAL_CHANNEL)
    wiift.settle()
    assert "Nothing was deleted" in answer_text(wiift.slack.calls_to("response_url")[-1])
    assert len(_deals(wiift)) == 1


def test_forget_is_for_the_owner_only(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    assert "Only the deal's owner" in answer_text(wiift.command("/deal", "forget", user=MANAGER))


def test_unknown_empty_and_help_get_usage(wiift: Wiift) -> None:
    for text in ("", "help", "frobnicate", "🦄 *bold* <!here>"):
        usage = answer_text(wiift.command("/deal", text))
        assert "/deal new NAME" in usage
    assert "<!here>" not in answer_text(wiift.command("/deal", "<!here>"))


def test_a_huge_command_text_is_refused(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    assert "at most 2000" in answer_text(wiift.command("/deal", "note " + "x" * 2500))
    assert _notes(wiift) == []
