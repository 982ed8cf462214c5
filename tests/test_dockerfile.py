"""The Dockerfile, read statically: modsl's CI cannot pull its base image, so it never builds
it (the Dockerfile says so). What a build would need from the repository, and what the
Kubernetes export assumes of the image, are checked here instead."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from modsl import __version__
from modsl.cli.schedule import default_image

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = REPO / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def build_tags(text: str) -> list[str]:
    """Every tag a `docker build -t TAG .` in the text gives."""
    return re.findall(r"docker build -t (\S+) \.", text)


def test_it_runs_as_a_user_that_is_not_root() -> None:
    users = [rest for word, rest in instructions() if word == "USER"]
    assert users, "no USER: the container would run as root"
    assert users[-1] not in ("root", "0"), users
    # The CronJob's securityContext runs as this uid (runAsUser): they must agree.
    assert users[-1] == "10001"


def test_modsl_is_the_entrypoint() -> None:
    (entrypoint,) = [rest for word, rest in instructions() if word == "ENTRYPOINT"]
    assert json.loads(entrypoint) == ["modsl"]  # the export's `command: ["modsl"]`


def test_every_copy_source_is_in_the_repository() -> None:
    copied = []
    for word, rest in instructions():
        if word == "COPY":
            *sources, _destination = shlex.split(rest)
            assert not any(s.startswith("--from") for s in sources), rest
            copied += sources
    assert copied
    missing = [s for s in copied if not (REPO / s).exists()]
    assert missing == [], f"the Dockerfile copies what the repository lacks: {missing}"


def test_the_build_copies_what_the_wheel_needs() -> None:
    """`pip install .` in the image builds the wheel: the files pyproject's build names must be
    there (the grammar and rules.md are forced into the wheel; README.md is the readme)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {project["project"]["readme"], "pyproject.toml", *wheel["packages"],
              *wheel["force-include"]}
    copied = {s for word, rest in instructions() if word == "COPY"
              for s in shlex.split(rest)[:-1]}
    uncopied = [n for n in needed
                if not any(n == c or n.startswith(c.rstrip("/") + "/") for c in copied)]
    assert uncopied == [], f"`pip install .` in the image would lack {uncopied}"


def test_the_documented_tag_is_the_exports_default_image() -> None:
    assert default_image() == f"modsl:{__version__}"
    for doc in (DOCKERFILE, REPO / "README.md", REPO / "docs" / "schedules.md"):
        tags = build_tags(doc.read_text(encoding="utf-8"))
        assert tags, f"{doc.name} shows no `docker build -t`"
        assert set(tags) == {default_image()}, doc.name


@pytest.mark.parametrize("given, image", [([], default_image()),
                                          (["--image", "registry.example/m:1"],
                                           "registry.example/m:1")])
def test_the_cronjob_names_the_image(given: list[str], image: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from modsl.cli import main

    plan = tmp_path / "nightly.mobak"
    plan.write_text('as account acc1\nschedule nightly every day at 01:00 in "UTC"\n'
                    'snapshot acc1_{date} for account acc1 on nightly keep 30d\n',
                    encoding="utf-8")
    assert main(["schedule", "export", str(plan), "--format", "kubernetes", *given]) == 0
    assert f"image: {image}\n" in capsys.readouterr().out
