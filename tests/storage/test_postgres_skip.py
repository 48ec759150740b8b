"""The PostgreSQL half of the storage tests is skipped, with the reason, where PostgreSQL cannot be used."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy.engine import make_url

from tests.storage.conftest import POSTGRES_URL, postgres_problem


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_server_that_does_not_answer_is_a_reason_to_skip() -> None:
    problem = postgres_problem(f"postgresql://postgres@127.0.0.1:{_closed_port()}/test")
    assert problem is not None
    assert "WIIFT_TEST_POSTGRES_URL" in problem and "refused" in problem.lower()


def test_a_refused_login_is_a_reason_to_skip() -> None:
    if postgres_problem() is not None:
        pytest.skip(postgres_problem())
    stranger = make_url(POSTGRES_URL).set(username="no_such_role_wiift", password="wrong")
    problem = postgres_problem(stranger.render_as_string(hide_password=False))
    assert problem is not None
    assert "no_such_role_wiift" in problem and "wrong" not in problem  # the password is never shown
