"""`wiift export`: what sellers stored through Slack comes out whole, as JSON or CSV, for one team or all."""

from __future__ import annotations

import csv
import io
import json
from argparse import Namespace
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, SQLModel, col, select

from bot.ops import export_cli
from bot.slack.plural import plural
from storage.db import unit_of_work
from storage.deals import create_deal
from storage.models import Call, Deal, Note, Stakeholder
from tests.conftest import GENERAL, PRIVATE_DEAL, START, Wiift

MODELS: dict[str, type[SQLModel]] = {"deals": Deal, "stakeholders": Stakeholder, "notes": Note, "calls": Call}
TRICKY = 'Dana: "5 %, not 15 %" — ok, Zoë? =SUM(A1)\nsecond line, with <b>tags</b> & a tab\there'

VERSION = version("wiift")


@pytest.fixture
def stored(wiift: Wiift) -> Wiift:
    """A week in #deal-acme and a private deal, through the app; and a deal of another workspace."""
    wiift.say("Their CFO Dana went quiet after the pricing call, and Raj from IT wants a security review.")
    wiift.command("/deal", f"note #cost {TRICKY}")
    wiift.command("/deal", "note The rollout, as they see it, ends their audit findings.")
    wiift.command("/deal", "call tomorrow 3pm — security review, with Raj")
    wiift.command("/deal", "new Secret Co", channel=PRIVATE_DEAL)
    wiift.command("/deal", "note Only the owner sees this.", channel=PRIVATE_DEAL)
    wiift.command("/deal", "call Secret Co Thu 10:30", channel=GENERAL)
    with unit_of_work(wiift.services.engine) as session:
        create_deal(
            session=session,
            team_id="T0OTHER",
            channel_id="C9",
            name="Theirs",
            owner_id="U9",
            is_private=False,
            now=START,
        )
    return wiift


def _stored_rows(wiift: Wiift, team: str | None) -> dict[str, list[dict[str, Any]]]:
    with Session(wiift.services.engine) as session:
        found = {}
        for name, model in MODELS.items():
            query = select(model).order_by(col(model.id))  # type: ignore[attr-defined]
            if team:
                query = query.where(col(model.team_id) == team)  # type: ignore[attr-defined]
            found[name] = [row.model_dump() for row in session.exec(query)]
        return found


def _export(wiift: Wiift, *options: str) -> tuple[int, str, str]:
    parser = Namespace(team=None, format="json", out=None)
    for option in options:
        key, _, value = option.removeprefix("--").partition("=")
        setattr(parser, key, value)
    out, err = io.StringIO(), io.StringIO()
    code = export_cli.run(
        parser, env={"DATABASE_URL": wiift.settings.database_url}, out=out, err=err, clock=wiift.clock
    )
    return code, out.getvalue(), err.getvalue()


def _read_back(name: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [MODELS[name].model_validate(record).model_dump() for record in records]


def test_json_round_trips_every_stored_row_of_the_team(stored: Wiift) -> None:
    code, out, err = _export(stored, "--team=T0WIIFT")
    assert code == 0
    document = json.loads(out)
    assert {k: document[k] for k in ("format", "wiift", "team")} == {
        "format": "wiift-export/1",
        "wiift": VERSION,
        "team": "T0WIIFT",
    }
    expected = _stored_rows(stored, "T0WIIFT")
    assert [len(expected[n]) for n in ("deals", "notes", "calls")] == [2, 3, 2] and expected["stakeholders"]
    for name, model in MODELS.items():
        columns = [c.name for c in model.__table__.columns]  # type: ignore[attr-defined]
        assert all(list(record) == columns for record in document[name]), name  # every column, nothing else
        assert _read_back(name, document[name]) == expected[name], name
    assert TRICKY in [note["text"] for note in document["notes"]]
    people = plural(len(expected["stakeholders"]), "stakeholder")
    assert err == f"wiift export: 2 deals, {people}, 3 notes, 2 calls to standard output\n"


def test_csv_round_trips_every_row_with_one_file_a_table(stored: Wiift, tmp_path: Path) -> None:
    code, out, _ = _export(stored, "--format=csv", f"--out={tmp_path / 'acme'}")
    expected = _stored_rows(stored, None)
    people = plural(len(expected["stakeholders"]), "stakeholder")
    assert code == 0
    assert out == f"wiift export: 3 deals, {people}, 3 notes, 2 calls to {tmp_path / 'acme'}\n"
    for name, model in MODELS.items():
        with open(tmp_path / "acme" / f"{name}.csv", encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            assert reader.fieldnames == [c.name for c in model.__table__.columns]  # type: ignore[attr-defined]
            records = [{k: (None if v == "" else v) for k, v in row.items()} for row in reader]
        assert _read_back(name, records) == expected[name], name
    with open(tmp_path / "acme" / "deals.csv", encoding="utf-8") as file:
        assert "T0OTHER" in file.read()  # every workspace without --team


def test_json_to_a_file(stored: Wiift, tmp_path: Path) -> None:
    code, out, _ = _export(stored, f"--out={tmp_path / 'all.json'}")
    assert code == 0 and out.endswith(f"to {tmp_path / 'all.json'}\n")
    document = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert document["team"] is None and sorted({d["team_id"] for d in document["deals"]}) == ["T0OTHER", "T0WIIFT"]


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (("--team=T0NOBODY",), "no deals are stored for team T0NOBODY (teams with deals: T0OTHER, T0WIIFT)"),
        (("--team=acme",), "--team takes a workspace id such as T0123ABCD, not 'acme'"),
        (("--format=csv",), "--format csv writes four files: give a directory with --out DIR"),
    ],
)
def test_bad_options_get_a_clear_answer_and_write_nothing(wiift: Wiift, options: tuple[str, ...], says: str) -> None:
    with unit_of_work(wiift.services.engine) as session:
        for team in ("T0WIIFT", "T0OTHER"):
            create_deal(
                session=session, team_id=team, channel_id="C1", name="A", owner_id="U", is_private=False, now=START
            )
    code, out, err = _export(wiift, *options)
    assert code in (1, 2) and out == "" and err == f"wiift: {says}\n"


def test_csv_never_overwrites_an_earlier_export(wiift: Wiift, tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("kept")
    code, _, err = _export(wiift, "--format=csv", f"--out={tmp_path}")
    assert code == 2 and "notes.csv already exists" in err
    assert (tmp_path / "notes.csv").read_text() == "kept" and not (tmp_path / "deals.csv").exists()
