from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.standin import ApiCall, FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        slack.add_user("UALICE", name="alice", tz="Europe/Paris")
        slack.add_user("UBOB", name="bob", tz=None)
        slack.add_channel("CDEALS", name="deals", members=["UALICE", "UBOB"])
        yield slack
        assert slack.server_errors == []


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.base_url)


def error_of(exc: pytest.ExceptionInfo[SlackApiError]) -> str:
    return exc.value.response["error"]


def raw_post(url: str, body: bytes, content_type: str, token: str | None = None) -> dict[str, Any]:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_auth_test_describes_the_bot_and_records_the_token(fake: FakeSlack, client: WebClient) -> None:
    response = client.auth_test()

    assert response["team_id"] == "T0WIIFT"
    assert response["user_id"] == "UWIIFTBOT"
    assert response["bot_id"] == "BWIIFT"
    assert response["user"] == "wiift"
    [call] = fake.calls_to("auth.test")
    assert call.token == "xoxb-test"
    assert not call.failed


def test_base_url_and_response_url_point_at_the_local_server(fake: FakeSlack) -> None:
    assert fake.base_url.startswith("http://127.0.0.1:")
    assert fake.base_url.endswith("/api/")
    assert fake.response_url("k1") == fake.base_url.replace("/api/", "/responses/k1")


def test_post_message_ts_strictly_increases_and_lands_in_history(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    first = client.chat_postMessage(channel="CDEALS", text="one", blocks=blocks)
    second = client.chat_postMessage(channel="CDEALS", text="two", thread_ts=first["ts"])

    assert first["channel"] == "CDEALS"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["text"] == "one"
    assert first["message"]["bot_id"] == "BWIIFT"
    assert fake.messages("CDEALS") == [
        {"ts": first["ts"], "thread_ts": None, "text": "one", "blocks": blocks, "user": "UWIIFTBOT"},
        {"ts": second["ts"], "thread_ts": first["ts"], "text": "two", "blocks": None, "user": "UWIIFTBOT"},
    ]
    calls = fake.wait_for("chat.postMessage", 2)
    assert calls[0].json("blocks") == blocks
    assert calls[1].json("blocks") is None


def test_ts_is_unique_under_concurrent_posts(fake: FakeSlack, client: WebClient) -> None:
    seen: list[str] = []

    def post(i: int) -> None:
        seen.append(client.chat_postMessage(channel="CDEALS", text=str(i))["ts"])

    threads = [threading.Thread(target=post, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(set(seen)) == 16
    history = [m["ts"] for m in fake.messages("CDEALS")]
    assert history == sorted(history, key=float)


def test_form_encoded_json_fields_stay_strings_but_decode(fake: FakeSlack) -> None:
    blocks = [{"type": "divider"}]
    body = f"channel=CDEALS&text=hi&blocks={urllib.parse.quote(json.dumps(blocks))}".encode()
    answer = raw_post(fake.base_url + "chat.postMessage", body, "application/x-www-form-urlencoded", "xoxb-t")

    assert answer["ok"] is True
    [call] = fake.calls_to("chat.postMessage")
    assert isinstance(call.params["blocks"], str)
    assert call.json("blocks") == blocks
    assert fake.messages("CDEALS")[0]["blocks"] == blocks


def test_get_with_query_string_is_accepted(fake: FakeSlack) -> None:
    url = fake.base_url + "users.info?user=UALICE&token=xoxb-query"
    with urllib.request.urlopen(url, timeout=5) as response:
        answer = json.loads(response.read())

    assert answer["user"]["name"] == "alice"
    assert fake.calls_to("users.info")[0].token == "xoxb-query"


def test_missing_token_is_refused_like_slack(fake: FakeSlack) -> None:
    answer = raw_post(fake.base_url + "auth.test", b"", "application/x-www-form-urlencoded")
    bad = raw_post(fake.base_url + "auth.test", b"", "application/x-www-form-urlencoded", token="nonsense")

    assert answer == {"ok": False, "error": "not_authed"}
    assert bad == {"ok": False, "error": "invalid_auth"}
    assert [c.failed for c in fake.calls_to("auth.test")] == [True, True]


def test_unknown_method_is_answered_and_recorded(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.api_call("pins.add", json={"channel": "CDEALS"})

    assert error_of(exc) == "unknown_method"
    [call] = fake.calls_to("pins.add")
    assert call.failed
    assert call.params == {"channel": "CDEALS"}


def test_reactions_refuse_duplicates_and_missing_ones(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="CDEALS", text="deal closed")["ts"]
    client.reactions_add(channel="CDEALS", timestamp=ts, name="tada")

    with pytest.raises(SlackApiError) as again:
        client.reactions_add(channel="CDEALS", timestamp=ts, name="tada")
    assert error_of(again) == "already_reacted"
    assert fake.reactions("CDEALS", ts) == ["tada"]

    client.reactions_remove(channel="CDEALS", timestamp=ts, name="tada")
    with pytest.raises(SlackApiError) as gone:
        client.reactions_remove(channel="CDEALS", timestamp=ts, name="tada")
    assert error_of(gone) == "no_reaction"
    assert fake.reactions("CDEALS", ts) == []

    with pytest.raises(SlackApiError) as missing:
        client.reactions_add(channel="CDEALS", timestamp="1.000001", name="eyes")
    assert error_of(missing) == "message_not_found"


def test_users_info_reports_tz_only_when_known(client: WebClient) -> None:
    alice = client.users_info(user="UALICE")["user"]
    bob = client.users_info(user="UBOB")["user"]

    assert alice["tz"] == "Europe/Paris"
    assert alice["tz_offset"] in (3600, 7200)
    assert alice["is_bot"] is False
    assert "tz" not in bob
    assert client.users_info(user="UWIIFTBOT")["user"]["is_bot"] is True
    with pytest.raises(SlackApiError) as exc:
        client.users_info(user="UNOBODY")
    assert error_of(exc) == "user_not_found"


def test_conversations_members_paginates(fake: FakeSlack, client: WebClient) -> None:
    first = client.conversations_members(channel="CDEALS", limit=2)
    cursor = first["response_metadata"]["next_cursor"]
    second = client.conversations_members(channel="CDEALS", limit=2, cursor=cursor)

    assert first["members"] == ["UALICE", "UBOB"]
    assert cursor
    assert second["members"] == ["UWIIFTBOT"]
    assert second["response_metadata"]["next_cursor"] == ""


def test_conversations_info_and_open(fake: FakeSlack, client: WebClient) -> None:
    fake.add_channel("GSECRET", name="secret", is_private=True, bot_member=False)

    public = client.conversations_info(channel="CDEALS")["channel"]
    private = client.conversations_info(channel="GSECRET")["channel"]
    dm_id = client.conversations_open(users="UALICE")["channel"]["id"]
    dm = client.conversations_info(channel=dm_id)["channel"]

    assert (public["is_channel"], public["is_group"], public["is_member"]) == (True, False, True)
    assert (private["is_channel"], private["is_group"], private["is_member"]) == (False, True, False)
    assert dm_id == fake.dm_channel_id("UALICE") == client.conversations_open(users="UALICE")["channel"]["id"]
    assert dm_id.startswith("D")
    assert dm["is_im"] is True
    with pytest.raises(SlackApiError) as exc:
        client.conversations_info(channel="CNOPE")
    assert error_of(exc) == "channel_not_found"


def test_not_in_channel_until_joined(fake: FakeSlack, client: WebClient) -> None:
    fake.add_channel("CQUIET", name="quiet", bot_member=False)

    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="CQUIET", text="hello?")
    assert error_of(exc) == "not_in_channel"
    assert fake.calls_to("chat.postMessage")[0].failed

    client.conversations_join(channel="CQUIET")
    client.chat_postMessage(channel="CQUIET", text="hello!")
    assert [m["text"] for m in fake.messages("CQUIET")] == ["hello!"]


def test_dms_and_user_ids_are_postable(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="UALICE", text="psst")
    client.chat_postMessage(channel="DANY", text="hey")

    assert [m["text"] for m in fake.messages("UALICE")] == ["psst"]
    assert [m["text"] for m in fake.messages("DANY")] == ["hey"]


def test_ephemeral_update_delete(fake: FakeSlack, client: WebClient) -> None:
    assert client.chat_postEphemeral(channel="CDEALS", user="UALICE", text="only you")["message_ts"]
    ts = client.chat_postMessage(channel="CDEALS", text="draft")["ts"]

    updated = client.chat_update(channel="CDEALS", ts=ts, text="final")
    assert updated["text"] == "final"
    assert fake.messages("CDEALS")[0]["text"] == "final"

    client.chat_delete(channel="CDEALS", ts=ts)
    assert fake.messages("CDEALS") == []
    with pytest.raises(SlackApiError) as exc:
        client.chat_update(channel="CDEALS", ts=ts, text="too late")
    assert error_of(exc) == "message_not_found"


def test_the_bot_cannot_edit_other_peoples_messages(fake: FakeSlack, client: WebClient) -> None:
    ts = fake.record_user_message(channel="CDEALS", user="UALICE", text="mine")

    with pytest.raises(SlackApiError) as exc:
        client.chat_update(channel="CDEALS", ts=ts, text="yours now")
    assert error_of(exc) == "cant_update_message"


def test_conversations_replies_lists_parent_first(fake: FakeSlack, client: WebClient) -> None:
    parent = fake.record_user_message(channel="CDEALS", user="UALICE", text="pricing call today")
    fake.record_user_message(channel="CDEALS", user="UBOB", text="unrelated")
    client.chat_postMessage(channel="CDEALS", text="what do they gain?", thread_ts=parent)
    fake.record_user_message(channel="CDEALS", user="UALICE", text="lower churn", thread_ts=parent)

    thread = client.conversations_replies(channel="CDEALS", ts=parent)["messages"]

    assert [m["text"] for m in thread] == ["pricing call today", "what do they gain?", "lower churn"]
    assert thread[0]["ts"] == parent


def test_views_open_update_publish(fake: FakeSlack, client: WebClient) -> None:
    modal = {"type": "modal", "callback_id": "log_call", "title": {"type": "plain_text", "text": "Log"}}
    opened = client.views_open(trigger_id="t-1", view=modal)["view"]
    updated = client.views_update(view_id=opened["id"], view={**modal, "callback_id": "log_call_2"})["view"]
    home = client.views_publish(user_id="UALICE", view={"type": "home", "blocks": []})["view"]

    assert opened["id"].startswith("V")
    assert opened["callback_id"] == "log_call"
    assert updated["id"] == opened["id"]
    assert updated["callback_id"] == "log_call_2"
    assert home["id"].startswith("V")
    assert fake.calls_to("views.open")[0].json("view")["callback_id"] == "log_call"
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id="t-1", view=modal)
    assert error_of(exc) == "exchanged_trigger_id"


def test_fail_next_429_is_retried_by_the_rate_limit_handler(fake: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    # The handler sleeps Retry-After plus up to a second of jitter; keep the test fast.
    monkeypatch.setattr("slack_sdk.http_retry.builtin_handlers.random.random", lambda: 0.0)
    fake.fail_next("chat.postMessage", status=429, retry_after=0)
    retry = RateLimitErrorRetryHandler(max_retry_count=1)
    client = WebClient(token="xoxb-test", base_url=fake.base_url, retry_handlers=[retry])

    response = client.chat_postMessage(channel="CDEALS", text="eventually")

    assert response["ok"] is True
    assert [c.failed for c in fake.calls_to("chat.postMessage")] == [True, False]
    assert len(fake.messages("CDEALS")) == 1


def test_fail_next_429_without_retry_surfaces_ratelimited(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("users.info", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as exc:
        client.users_info(user="UALICE")

    assert exc.value.response.status_code == 429
    assert exc.value.response.headers["Retry-After"] == "7"
    assert error_of(exc) == "ratelimited"
    assert client.users_info(user="UALICE")["ok"] is True


def test_fail_next_error_and_server_error_then_recover(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", error="not_in_channel")
    fake.fail_next("chat.postMessage", status=503, times=2)

    errors = []
    for _ in range(3):
        with pytest.raises(SlackApiError) as exc:
            client.chat_postMessage(channel="CDEALS", text="x")
        errors.append((exc.value.response.status_code, error_of(exc)))

    assert errors == [(200, "not_in_channel"), (503, "internal_error"), (503, "internal_error")]
    assert client.chat_postMessage(channel="CDEALS", text="x")["ok"] is True
    assert len(fake.messages("CDEALS")) == 1


def test_fail_next_needs_an_error_for_200() -> None:
    with pytest.raises(ValueError):
        FakeSlack().fail_next("chat.postMessage")


def test_response_url_posts_are_recorded(fake: FakeSlack) -> None:
    url = fake.new_response_url("command")
    response = WebhookClient(url).send(text="only you can see this", response_type="ephemeral")

    assert response.status_code == 200
    assert response.body == "ok"
    [call] = fake.calls_to("response_url")
    assert call.params["text"] == "only you can see this"
    assert call.params["_key"] == url.rsplit("/", 1)[1]


def test_wait_for_blocks_until_a_call_arrives(fake: FakeSlack, client: WebClient) -> None:
    timer = threading.Timer(0.05, lambda: client.chat_postMessage(channel="CDEALS", text="late"))
    timer.start()
    try:
        [call] = fake.wait_for("chat.postMessage", where=lambda c: c.params.get("text") == "late", timeout=2)
    finally:
        timer.join()
    assert call.params["channel"] == "CDEALS"


def test_wait_for_timeout_lists_the_calls_seen(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()

    with pytest.raises(AssertionError) as exc:
        fake.wait_for("chat.postMessage", timeout=0.05)

    assert "expected 1 chat.postMessage call(s)" in str(exc.value)
    assert "auth.test" in str(exc.value)


def test_reset_forgets_calls_but_not_the_world(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="CDEALS", text="kept")
    fake.reset()

    assert fake.calls_to() == []
    assert [m["text"] for m in fake.messages("CDEALS")] == ["kept"]


def test_api_call_json_accepts_structures_and_strings() -> None:
    call = ApiCall("views.open", {"view": {"type": "modal"}, "blocks": "[1]"}, None, 0.0)

    assert call.json("view") == {"type": "modal"}
    assert call.json("blocks") == [1]
    assert call.json("absent") is None


def test_stop_frees_the_port() -> None:
    fake = FakeSlack().start()
    url = fake.base_url
    fake.stop()

    with pytest.raises(OSError):
        urllib.request.urlopen(url + "auth.test", timeout=1)


def test_members_list_the_bot_only_while_it_is_in(fake: FakeSlack, client: WebClient) -> None:
    fake.add_channel("CLISTED", name="listed", members=["UWIIFTBOT", "UALICE"])
    fake.add_channel("COUT", name="out", members=["UALICE"], bot_member=False)

    assert client.conversations_members(channel="CLISTED")["members"] == ["UWIIFTBOT", "UALICE"]
    assert client.conversations_members(channel="COUT")["members"] == ["UALICE"]
    client.conversations_join(channel="COUT")
    assert client.conversations_members(channel="COUT")["members"] == ["UALICE", "UWIIFTBOT"]


def test_people_from_other_organisations_admins_and_shared_channels(fake: FakeSlack, client: WebClient) -> None:
    fake.add_external_user("UBUYER", name="dana", real_name="Dana Lee", team_id="T0BUYER")
    fake.add_user("UADMIN", name="ada", is_admin=True)
    fake.add_channel("CSHARED", name="deal-globex", members=["UALICE", "UBUYER"], shared=True)
    buyer = client.users_info(user="UBUYER")["user"]
    assert (buyer["team_id"], buyer["real_name"], buyer["is_admin"]) == ("T0BUYER", "Dana Lee", False)
    assert client.users_info(user="UADMIN")["user"]["is_admin"] is True
    assert client.users_info(user="UALICE")["user"]["team_id"] == "T0WIIFT"
    assert client.conversations_info(channel="CSHARED")["channel"]["is_ext_shared"] is True
    assert client.conversations_info(channel="CDEALS")["channel"]["is_ext_shared"] is False
    fake.share_channel("CDEALS")
    assert client.conversations_info(channel="CDEALS")["channel"]["is_ext_shared"] is True


def test_permalinks_point_at_a_message(fake: FakeSlack, client: WebClient) -> None:
    ts = fake.record_user_message(channel="CDEALS", user="UALICE", text="hi")
    link = client.chat_getPermalink(channel="CDEALS", message_ts=ts)["permalink"]
    assert link.endswith(f"/archives/CDEALS/p{ts.replace('.', '')}")
    with pytest.raises(SlackApiError) as exc:
        client.chat_getPermalink(channel="CDEALS", message_ts="1.000001")
    assert error_of(exc) == "message_not_found"


def test_a_method_can_be_made_slow(fake: FakeSlack, client: WebClient) -> None:
    fake.slow_next("users.info", seconds=0.3)
    started = time.monotonic()
    client.users_info(user="UALICE")
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.users_info(user="UALICE")
    assert time.monotonic() - started < 0.3
