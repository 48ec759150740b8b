"""The deployment kit: the image builds the way the README says, installs the tested versions, and the compose
files are valid. The Docker checks run where a Docker engine answers and are skipped, with the reason, where
none does; the rest needs only this checkout."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import uuid
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
INSTALL = "pip install --constraint constraints.txt ."

VERSION = version("wiift")


def _dockerfile_runs() -> list[str]:
    """The Dockerfile's RUN instructions, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (REPO / "Dockerfile").read_text())
    return [line.removeprefix("RUN ").strip() for line in text.splitlines() if line.startswith("RUN ")]


def test_the_image_installs_with_the_readmes_command_and_the_tested_versions() -> None:
    readme_lines = {line.strip() for line in (REPO / "README.md").read_text().splitlines()}
    installs = [run for run in _dockerfile_runs() if "pip install" in run]
    assert installs == [INSTALL]
    assert INSTALL in readme_lines  # the README's install-without-Docker step, to the character
    assert "--constraint constraints.txt" in (REPO / "Makefile").read_text()  # and `make install`
    assert re.search(r"^COPY .*\bconstraints\.txt\b", (REPO / "Dockerfile").read_text(), re.MULTILINE)


def test_the_image_runs_as_a_user_and_checks_its_health() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    final_stage = dockerfile[dockerfile.rindex("\nFROM ") :]
    [user] = re.findall(r"^USER (\S+)$", final_stage, re.MULTILINE)
    assert user not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", final_stage, re.MULTILINE)
    assert final_stage.rstrip().endswith('CMD ["wiift", "run"]')


def _pins() -> dict[str, str]:
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def _installed_closure(name: str, extras: frozenset[str] = frozenset(), seen: dict[str, str] | None = None) -> dict:
    """Every distribution `name[extras]` needs here, with the version installed."""
    seen = {} if seen is None else seen
    dist = distribution(name)
    key = canonicalize_name(dist.metadata["Name"])
    if key not in seen:
        seen[key] = dist.version
    for text in dist.requires or []:
        requirement = Requirement(text)
        wanted = requirement.marker is None or any(
            requirement.marker.evaluate({"extra": extra}) for extra in (extras or {""})
        )
        if wanted:
            try:
                _installed_closure(requirement.name, frozenset(requirement.extras), seen)
            except PackageNotFoundError:
                pytest.fail(f"{requirement.name}, which {name} needs, is not installed")
    return seen


def test_constraints_pin_exactly_the_versions_installed_and_tested_here() -> None:
    installed = _installed_closure("wiift", frozenset({"dev"}))
    installed.pop("wiift")
    pins = _pins()
    differ = {name: (pins.get(name), version) for name, version in installed.items() if pins.get(name) != version}
    assert not differ, f"constraints.txt vs installed (pinned, installed): {differ}; run `make constraints`"
    assert set(pins) <= set(installed), f"pinned but not needed: {set(pins) - set(installed)}"


@functools.cache
def _docker_problem() -> str | None:
    if shutil.which("docker") is None:
        return "no `docker` command on this machine"
    try:
        info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`docker info` failed: {exc}"
    if info.returncode != 0:
        return "no Docker engine answers: " + (info.stderr.strip().splitlines() or ["(no message)"])[-1]
    return None


@pytest.fixture
def docker() -> None:
    problem = _docker_problem()
    if problem:
        pytest.skip(problem)


@pytest.mark.usefixtures("docker")
def test_the_image_builds_and_runs_wiift_as_a_user() -> None:
    tag = f"wiift-test:{uuid.uuid4().hex[:8]}"
    build = subprocess.run(["docker", "build", "--tag", tag, str(REPO)], capture_output=True, text=True, timeout=1800)
    assert build.returncode == 0, build.stderr[-3000:]
    try:

        def run(*command: str) -> str:
            done = subprocess.run(["docker", "run", "--rm", tag, *command], capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            return done.stdout.strip()

        assert run("wiift", "--version") == f"wiift {VERSION}"
        assert run("id", "-u") != "0"
        assert run("wiift", "db", "upgrade").endswith("at 0001 (was no revision)")
    finally:
        subprocess.run(["docker", "image", "rm", "--force", tag], capture_output=True, timeout=120)


@pytest.mark.usefixtures("docker")
@pytest.mark.parametrize("files", [["compose.yaml"], ["compose.yaml", "compose.socket-mode.yaml"]])
def test_the_compose_files_are_valid(files: list[str], tmp_path: Path) -> None:
    for name in ("compose.yaml", "compose.socket-mode.yaml", "Dockerfile"):
        shutil.copy(REPO / name, tmp_path / name)
    example = (REPO / ".env.example").read_text()
    filled = example.replace("SLACK_APP_TOKEN=\n", "SLACK_APP_TOKEN=xapp-1\n").replace(
        "POSTGRES_PASSWORD=\n", "POSTGRES_PASSWORD=abc123\n"
    )
    assert filled.count("=xapp-1") == filled.count("=abc123") == 1
    (tmp_path / ".env").write_text(filled)
    command = ["docker", "compose", *[arg for name in files for arg in ("--file", name)], "config", "--quiet"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
