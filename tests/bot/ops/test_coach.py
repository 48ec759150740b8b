from __future__ import annotations

import io
import json

from bot.ops.coach import main


def run(argv: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_single_message_for_a_person() -> None:
    code, out = run(
        [
            "Call with Dana tomorrow at 3. Need it signed by the 31st.",
            "--now",
            "2026-03-04T10:00",
            "--tz",
            "America/New_York",
        ]
    )
    assert code == 0
    assert "seller_pressure" in out and "Dana" in out
    assert "2026-03-05T15:00:00-05:00" in out
    assert "reply:        question" in out and "lens:         alignment" in out


def test_single_message_bad_zone() -> None:
    code, out = run(["hello", "--tz", "Mars/Base", "--now", "2026-03-04T10:00"])
    assert code == 2 and "unknown tz" in out


def test_jsonl_mode_all_ok() -> None:
    lines = [
        {"id": "a", "text": "Demo with Dana in 2 hours, full product tour.", "now": "2026-03-04T10:00", "tz": "UTC"},
        {"id": "b", "text": "lol", "now": "2026-03-04T10:00", "tz": "UTC"},
    ]
    code, out = run(["--jsonl"], "\n".join(json.dumps(x) for x in lines) + "\n\n")
    results = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(results) == 2
    assert results[0] == {
        "id": "a",
        "signals": ["meeting", "self_pitch", "stakeholder"],
        "stakeholders": ["Dana"],
        "meeting_at": "2026-03-04T12:00:00+00:00",
        "facts": [],
        "reply": "question",
        "lens": "wiift",
        "question": results[0]["question"],
    }
    assert results[0]["question"]
    assert results[1]["reply"] == "none" and results[1]["lens"] is None and results[1]["question"] is None


def test_jsonl_bad_lines_are_reported_and_the_rest_run() -> None:
    stdin = "\n".join(
        [
            "{not json",
            json.dumps({"id": 7, "text": "x", "now": "yesterday", "tz": "UTC"}),
            json.dumps({"id": "z", "text": "x", "now": "2026-03-04T10:00", "tz": "Nowhere/Land"}),
            json.dumps({"id": "m", "now": "2026-03-04T10:00", "tz": "UTC"}),
            json.dumps(["a list"]),
            json.dumps({"id": "ok", "text": "Went dark again.", "now": "2026-03-04T10:00", "tz": "UTC"}),
        ]
    )
    code, out = run(["--jsonl"], stdin)
    results = [json.loads(x) for x in out.splitlines()]
    assert code == 1 and len(results) == 6
    assert results[0]["id"] is None and "invalid JSON" in results[0]["error"]
    assert results[1]["id"] == 7 and "bad now" in results[1]["error"]
    assert results[2]["id"] == "z" and "unknown tz" in results[2]["error"]
    assert results[3]["id"] == "m" and "missing field 'text'" in results[3]["error"]
    assert "not a JSON object" in results[4]["error"]
    assert results[5]["signals"] == ["stall"] and results[5]["lens"] == "cost_of_inaction"


def test_explain_shows_the_rules_and_model_scores_behind_each_signal() -> None:
    text = "Their CFO Dana Whitfield asked for 15% off. Call with her Thu 2pm."
    code, out = run([text, "--now", "2026-03-04T10:00", "--tz", "America/New_York", "--explain"])
    assert code == 0
    why = out.split("why:\n", 1)[1]
    lines = {line.split()[0]: line for line in why.splitlines() if line.strip()}
    assert "rule hit" in lines["objection"] and "-> yes" in lines["objection"]
    assert "model " in lines["objection"] and "needs " in lines["objection"]
    assert "-> no" in lines["won"]
    assert "weighed most:" in why
    assert "tagger: 'CFO Dana Whitfield' (name 'Dana Whitfield', role 'CFO')" in why
    assert "meeting time     rules read 2026-03-05T14:00:00-05:00 (kept)" in why


def test_explain_without_the_flag_stays_short() -> None:
    code, out = run(["Went dark after the demo.", "--now", "2026-03-04T10:00", "--explain"][:-1])
    assert code == 0 and "why:" not in out
