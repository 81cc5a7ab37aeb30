"""What a user sees from every ``onelife`` command on a terminal of 100 columns: no line wider,
no traceback, no warning; and every figure the README quotes from a command is in its output."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from conftest import TERMINAL_COLUMNS, MainJob

from onelife_cli.main import build_parser, main

README = Path(__file__).resolve().parent.parent / "README.md"


def lines_of(text: str) -> list[str]:
    """The lines a terminal shows: progress bars redraw with carriage returns."""
    return re.split(r"[\r\n]", text)


def check_output(command: str, text: str) -> None:
    too_wide = [line for line in lines_of(text) if len(line) > TERMINAL_COLUMNS]
    assert not too_wide, f"onelife {command}: {len(too_wide)} lines wider than {TERMINAL_COLUMNS}: {too_wide[:3]}"
    assert "Traceback" not in text and "Warning" not in text, f"onelife {command}:\n{text[-2000:]}"


def test_the_main_job_prints_within_100_columns(main_job: MainJob) -> None:
    for command, result in main_job.outputs.items():
        check_output(command, result.stdout + result.stderr)
    assert "evaluate: 100%" in main_job.outputs["evaluate"].stderr  # a bar with a total


def run_in_process(arguments: list[str], capfd: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``onelife ARGUMENTS`` in this process; its exit code and everything it printed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code = main(arguments)
        except SystemExit as exit_:  # --help
            code = int(exit_.code or 0)
    printed = capfd.readouterr()
    shown = [w for w in caught if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))]
    assert not shown, f"onelife {' '.join(arguments)} warned: {[str(w.message) for w in shown]}"
    return code, printed.out + printed.err


def test_every_command_and_its_help_prints_within_100_columns(main_job: MainJob, tmp_path: Path,
                                                              capfd: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(TERMINAL_COLUMNS))
    monkeypatch.chdir(tmp_path)  # short relative paths, as a user types them
    life, tmp_path = Path("life"), Path(".")
    commands = [["--help"], *([name, "--help"] for name in build_parser()._subparsers._group_actions[0].choices),
                ["play", "--seed", "1", "--steps", "60"], ["variants"],
                ["laws", str(main_job.run_dir / "model.json")],
                ["calibration", str(main_job.run_dir / "model.json"), "--draws", "500"],
                ["explore", "--seed", "1", "--steps", "12", "--policy", "random", "--out", str(life)],
                ["replay", str(life / "trajectory.jsonl"), "--out", str(tmp_path / "replay")],
                ["plan", "null", "--steps", "4", "--episodes", "2", "--simulations", "2", "--horizon", "4"],
                ["evaluate", "--model", "true", "--scenarios", "collect_wood,lava_death", "--trials", "1",
                 "--out", str(tmp_path / "eval"), "--full"],
                ["evaluate", "--model", "true", "--scenarios", "no_such_scenario", "--out", str(tmp_path / "x")]]
    for arguments in commands:
        code, printed = run_in_process(arguments, capfd)
        assert code == (2 if "no_such_scenario" in arguments else 0), printed
        check_output(" ".join(arguments), printed)
        assert "``" not in printed


# Figures the README quotes from a command: the command, a pattern finding the figure in its output,
# and the README's sentence with the figure in place of {}.
QUOTES: list[tuple[str, str, str]] = [
    ("explore", r"steps survived: (\d+) of 2000", "seed 0's life lasts {} steps"),
    ("evaluate", r"\n  model +rank@1 [\d.]+ ± [\d.]+  MRR ([\d.]+)", "its model reaches MRR {} on the 54"),
    ("evaluate", r"\n  model +rank@1 ([\d.]+)", "The main job's model (seed 0's life) scores rank@1 {},"),
    ("evaluate", r"\n  model .*recall ([\d.]+)", "normalised recall\n{}"),
    ("evaluate", r"\n  model .*edit ([\d.]+)", "edit distance {},"),
    ("evaluate", r"\n  model .*IoU ([\d.]+)", "patch IoU {} on the 54 scenarios"),
    ("laws", r"\n      p_move +(0\.\d+ \[[\d., ]+\])", "cow_wanders p_move {} (the game: 0.5)"),
    ("laws", r"zombie_spawns .*\n      p_spawn +(0\.\d+ \[[\d., ]+\])", "zombie_spawns p_spawn {} (0.3)"),
    ("laws", r"ratio +([\d.e-]+) x the weight of cow_wanders", "cows_never_move at {} x the"),
    ("laws", r"ratio +([\d.e-]+) x the weight of place_table", "table_costs_one_wood at {} x the weight"),
]


def test_the_readme_quotes_the_commands_figures(main_job: MainJob, capfd: pytest.CaptureFixture[str]) -> None:
    outputs = {command: result.stdout for command, result in main_job.outputs.items()}
    outputs["laws"] = run_in_process(["laws", str(main_job.run_dir / "model.json")], capfd)[1]
    readme = " ".join(README.read_text(encoding="utf-8").split())  # line breaks as spaces
    for command, pattern, sentence in QUOTES:
        found = re.search(pattern, outputs[command])
        assert found, f"onelife {command} printed nothing matching {pattern!r}"
        quoted = " ".join(sentence.format(found.group(1)).split())
        assert quoted in readme, f"the README should say {quoted!r} (from onelife {command})"
