"""The ``onelife`` console script, run as a user would run it."""

from __future__ import annotations

import re
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "onelife_cli", *args], capture_output=True,
                          text=True, timeout=300)


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"onelife \d+\.\d+\.\d+\n", result.stdout)


def test_play_prints_one_line_per_episode_and_is_reproducible() -> None:
    first = run("play", "--seed", "3", "--steps", "400")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert len(lines) >= 1
    assert all(re.match(r"episode \d+: \d+ steps, .+, return -?\d+\.\d, achievements: ", line)
               for line in lines)
    assert sum(int(re.search(r": (\d+) steps", line).group(1)) for line in lines) == 400
    assert run("play", "--seed", "3", "--steps", "400").stdout == first.stdout


def test_bad_arguments_are_reported() -> None:
    result = run("play", "--steps", "0")
    assert result.returncode == 2 and "--steps must be at least 1" in result.stderr
    result = run("play", "--seed", "x")
    assert result.returncode == 2 and "invalid int value" in result.stderr
