"""Generalisation, measured honestly: grouped cross-validation by voice on the labelled corpus (data/updates/).

Each of five folds holds out every fifth voice (in sorted order): the model (with thresholds tuned by
its own inner cross-validation) is fitted on the other voices only, and the held-out voices are read through the
run-time engine. The bars are issue 8's. Where a bar is not met yet, the test stands as an expected failure that
turns into a failure the day the bar is met (strict), beside a floor that guards what is reached today.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("sklearn", reason="the voice-held-out test fits models: install the dev extra")

from bot.coach.learned import ARTEFACT
from bot.coach.training.corpus import load
from bot.coach.training.evaluate import Report, cross_validate
from bot.coach.training.fit import Config, Example, prepare, train


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    return prepare(load())


@pytest.fixture(scope="module")
def report(examples: list[Example]) -> Report:
    config = Config()
    assert config.folds >= 5
    return cross_validate([e.row for e in examples], config, examples=examples)


def test_macro_f1_on_unseen_voices(report: Report) -> None:
    per_signal = ", ".join(f"{s} {report.f1(s):.2f}" for s in report.counts)
    assert report.macro_f1 >= 0.85, f"cross-voice macro-F1 {report.macro_f1:.3f}; {per_signal}"


def test_meeting_times_on_unseen_voices(report: Report) -> None:
    assert report.meeting_exact >= 0.95, report.summary()


def test_updates_are_seldom_silenced(report: Report) -> None:
    assert report.updates_silenced / report.updates < 0.02, report.summary()


def test_stakeholder_recall_floor(report: Report) -> None:
    # The CRF tagger reads 0.814 on the corpus (fitted deterministically, on one BLAS thread); a regression of
    # more than a point and a half fails here.
    assert report.stakeholder_recall >= 0.80, report.summary()


@pytest.mark.xfail(strict=True, reason="issue 8's bar; the tagger reaches about 0.81 exact spans on unseen voices")
def test_stakeholder_recall_on_unseen_voices(report: Report) -> None:
    assert report.stakeholder_recall >= 0.85, report.summary()


def test_chatter_answered_floor(report: Report) -> None:
    assert report.chatter_answered <= 30, report.summary()


@pytest.mark.xfail(strict=True, reason="issue 8's bar; about 25 of 339 held-out chatter messages still get a question")
def test_no_chatter_answered_on_unseen_voices(report: Report) -> None:
    assert report.chatter_answered == 0, report.summary()


def test_the_artefact_is_what_make_model_builds(examples: list[Example]) -> None:
    """`make model` reproduces the committed artefact from data/updates/ byte for byte (as parsed JSON)."""
    built = json.loads(json.dumps(train(examples, Config())))
    shipped = json.loads(ARTEFACT.read_text(encoding="utf-8"))
    assert built["meta"] == shipped["meta"], "the corpus changed: run `make model` and commit the artefact"
    assert built == shipped, "the artefact differs from what `make model` builds: run it and commit the result"
