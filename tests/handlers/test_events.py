"""Deal updates in deal channels, end to end over signed HTTP: what the seller sees in Slack."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlmodel import select

from bot.work.updates import NOTED_REACTION, PRAISE_REACTION
from storage.db import unit_of_work
from storage.models import AskedQuestion, Deal, Note
from tests.conftest import DEAL_CHANNEL, GENERAL, MANAGER, SELLER, Wiift, answer_text

PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."
VALUE = "Their CFO Dana says the manual reconciliation costs her team two days a month."


def _notes(wiift: Wiift) -> list[Note]:
    with unit_of_work(wiift.services.engine) as session:
        return list(session.exec(select(Note)))


def test_a_pressure_update_gets_one_alignment_question_in_its_thread(wiift: Wiift) -> None:
    ts = wiift.say(PRESSURE)
    replies = wiift.thread_replies(DEAL_CHANNEL, ts)
    assert len(replies) == 1
    post = wiift.slack.calls_to("chat.postMessage")[0]
    assert post.params["thread_ts"] == ts
    assert "Whose timeline, whose fit" in answer_text(post)
    assert "?" in replies[0]["text"]


def test_the_first_message_in_a_prefixed_channel_creates_the_deal_owned_by_its_poster(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    with unit_of_work(wiift.services.engine) as session:
        deal = session.exec(select(Deal)).one()
    assert (deal.name, deal.owner_id, deal.channel_id) == ("Acme", SELLER, DEAL_CHANNEL)


def test_a_buyer_focused_update_gets_a_reaction_and_no_thread_reply(wiift: Wiift) -> None:
    ts = wiift.say(VALUE)
    assert wiift.thread_replies(DEAL_CHANNEL, ts) == []
    assert wiift.slack.reactions(DEAL_CHANNEL, ts) == [PRAISE_REACTION]


def test_chatter_gets_nothing(wiift: Wiift) -> None:
    ts = wiift.say("thanks all, grabbing lunch")
    assert wiift.thread_replies(DEAL_CHANNEL, ts) == []
    assert wiift.slack.reactions(DEAL_CHANNEL, ts) == []


def test_channels_without_the_prefix_are_left_alone(wiift: Wiift) -> None:
    wiift.say(PRESSURE, channel=GENERAL)
    assert wiift.slack.calls_to("chat.postMessage") == []
    assert wiift.slack.calls_to("reactions.add") == []


def test_subtypes_bots_and_our_own_messages_are_ignored(wiift: Wiift) -> None:
    for subtype in ("message_changed", "message_deleted", "channel_join", "bot_message", "channel_topic", "me_message"):
        wiift.say(PRESSURE, subtype=subtype)
    wiift.say(PRESSURE, bot_id="BOTHER")
    wiift.say(PRESSURE, user=wiift.slack.bot_user_id)
    assert wiift.slack.calls_to("chat.postMessage") == []
    assert wiift.slack.calls_to("reactions.add") == []


def test_an_update_posted_with_a_file_is_coached_like_any_other(wiift: Wiift) -> None:
    ts = wiift.say(PRESSURE, subtype="file_share")
    [reply] = wiift.thread_replies(DEAL_CHANNEL, ts)
    assert "?" in reply["text"]


def test_an_answer_also_sent_to_the_channel_is_kept_as_a_note(wiift: Wiift) -> None:
    ts = wiift.say(PRESSURE)
    answer_ts = wiift.say("Their go-live is March; the quarter is ours.", thread_ts=ts, subtype="thread_broadcast")
    [note] = _notes(wiift)
    assert (note.text, note.lens, note.source_ts) == (
        "Their go-live is March; the quarter is ours.",
        "alignment",
        answer_ts,
    )
    assert wiift.slack.reactions(DEAL_CHANNEL, answer_ts) == [NOTED_REACTION]
    assert len([m for m in wiift.thread_replies(DEAL_CHANNEL, ts) if m["user"] == wiift.slack.bot_user_id]) == 1


def test_a_file_with_no_words_is_not_an_update(wiift: Wiift) -> None:
    ts = wiift.say("", subtype="file_share")
    assert wiift.thread_replies(DEAL_CHANNEL, ts) == []
    assert wiift.slack.calls_to("chat.postMessage") == []


def test_a_redelivered_event_gets_no_second_reply(wiift: Wiift) -> None:
    _, ts = wiift.driver.message(channel=DEAL_CHANNEL, user=SELLER, text=PRESSURE, event_id="Ev1")
    wiift.settle()
    for retry in (1, 2, 3):
        again = wiift.driver.event(
            {
                "type": "message",
                "channel": DEAL_CHANNEL,
                "user": SELLER,
                "text": PRESSURE,
                "ts": ts,
                "channel_type": "channel",
            },
            event_id="Ev1",
            retry_num=retry,
        )
        assert again.status == 200
    wiift.settle()
    assert len(wiift.thread_replies(DEAL_CHANNEL, ts)) == 1


def test_a_thread_answer_becomes_a_note_tagged_with_the_questions_lens(wiift: Wiift) -> None:
    ts = wiift.say(PRESSURE)
    wiift.driver.message(
        channel=DEAL_CHANNEL,
        user=SELLER,
        text="Honestly it's my timeline, their go-live is March.",
        thread_ts=ts,
    )
    wiift.settle()
    notes = _notes(wiift)
    assert [(n.lens, n.source, n.author_id) for n in notes] == [("alignment", "thread", SELLER)]
    assert notes[0].text == "Honestly it's my timeline, their go-live is March."
    answer_ts = notes[0].source_ts
    assert wiift.slack.reactions(DEAL_CHANNEL, answer_ts) == [NOTED_REACTION]
    assert len(wiift.thread_replies(DEAL_CHANNEL, ts)) == 2  # our question and the answer; no chatter from us


def test_a_redelivered_thread_answer_makes_one_note(wiift: Wiift) -> None:
    ts = wiift.say(PRESSURE)
    _, answer_ts = wiift.driver.message(
        channel=DEAL_CHANNEL, user=SELLER, text="Their board meets in March.", thread_ts=ts, event_id="EvA"
    )
    wiift.settle()
    wiift.driver.event(
        {
            "type": "message",
            "channel": DEAL_CHANNEL,
            "user": SELLER,
            "text": "Their board meets in March.",
            "ts": answer_ts,
            "thread_ts": ts,
            "channel_type": "channel",
        },
        event_id="EvA",
        retry_num=1,
    )
    wiift.settle()
    assert len(_notes(wiift)) == 1


def test_replies_in_threads_we_did_not_start_are_not_notes(wiift: Wiift) -> None:
    ts = wiift.say(VALUE)  # praised, no question
    wiift.say("agreed, nice find", thread_ts=ts, user=MANAGER)
    assert _notes(wiift) == []
    assert wiift.thread_replies(DEAL_CHANNEL, ts) == [
        m for m in wiift.thread_replies(DEAL_CHANNEL, ts) if m["user"] == MANAGER
    ]


def test_the_same_question_is_not_asked_twice_in_a_row(wiift: Wiift) -> None:
    first = wiift.say(PRESSURE)
    second = wiift.say("Still need Acme signed this month, can we offer 15% off to pull it in?")
    one = wiift.thread_replies(DEAL_CHANNEL, first)[0]["text"]
    two = wiift.thread_replies(DEAL_CHANNEL, second)[0]["text"]
    assert one != two


def test_user_text_that_tries_to_ping_everyone_is_not_echoed_as_a_ping(wiift: Wiift) -> None:
    ts = wiift.say(PRESSURE)
    wiift.say("<!channel> *Acme* wants <https://evil.example|a call> @here", thread_ts=ts)
    card = wiift.command("/deal", "show")
    shown = answer_text(card)
    assert "<!channel>" not in shown and "@here" not in shown and "<https://evil" not in shown
    assert "Acme" in shown


def test_concurrent_updates_across_many_channels_lose_nothing_and_reply_once_each(wiift: Wiift) -> None:
    channels = [f"CDEAL{i:02d}" for i in range(12)]
    for i, channel in enumerate(channels):
        wiift.slack.add_channel(channel, name=f"deal-co{i}", members=[SELLER, wiift.slack.bot_user_id])

    def play(channel: str) -> tuple[str, str]:
        _, ts = wiift.driver.message(channel=channel, user=SELLER, text=PRESSURE)
        return channel, ts

    with ThreadPoolExecutor(max_workers=12) as pool:
        posted = list(pool.map(play, channels))
    wiift.settle()
    with ThreadPoolExecutor(max_workers=12) as pool:
        list(
            pool.map(
                lambda pair: wiift.driver.message(
                    channel=pair[0], user=SELLER, text=f"It's their audit in {pair[0]}", thread_ts=pair[1]
                ),
                posted,
            )
        )
        list(
            pool.map(
                lambda pair: wiift.driver.message(
                    channel=pair[0], user=SELLER, text=PRESSURE, ts=pair[1], event_id=None, retry_num=1
                ),
                posted,
            )
        )
    wiift.settle()
    for channel, ts in posted:
        assert len([m for m in wiift.thread_replies(channel, ts) if m["user"] == wiift.slack.bot_user_id]) == 1
    assert sorted(n.text for n in _notes(wiift)) == sorted(f"It's their audit in {c}" for c in channels)
    with unit_of_work(wiift.services.engine) as session:
        assert len(list(session.exec(select(AskedQuestion)))) == len(channels)
