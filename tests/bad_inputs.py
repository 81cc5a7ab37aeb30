"""A catalogue of bad inputs to the project's files and commands, and a judge of what each
one gets: a clear error naming where the input is wrong, an error that names nothing, a
traceback, a silent accept, a hang, or a lost file.

Every case builds its input from one valid workbench (a short life, a small law file, a
model fitted to them, a variant's rule file) by one change that makes it invalid, so what
a case expects is known without running it. ``tests/test_robustness.py`` runs the catalogue
in CI; ``benchmarks/robustness.py`` prints the table.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from crafter_oo.state import WorldState
from onelife.explore import explore
from onelife.model import LawModel
from onelife.modelfile import save_model
from onelife.parser import parse_laws
from onelife_cli.main import main

OUTCOMES = ("clear", "no location", "traceback", "silent accept", "hang", "data lost")
ONELIFE = Path(sys.executable).with_name("onelife")
LAWS = """\
law collect_sapling:
    when action == do and material(target(player)) == grass and kind_at(target(player)) == none
    then player.inventory.sapling ~ choice(p_sapling: player.inventory.sapling + 1, else: player.inventory.sapling)
    param p_sapling ~ Beta(1, 9)

law player_move:
    when action in {move_left, move_right, move_up, move_down} and not player.sleeping
    then player.pos <- move(player, target(player) - player.pos)
"""
PROGRESS = re.compile(r"\d+%\||\d+/\d+ \[|\d+(eval|step|trial|it)/s|\?(eval|step|trial|it)/s")


@dataclass(frozen=True)
class Bench:
    """The valid inputs every case starts from, in ``root``."""

    root: Path
    life: Path
    laws: Path
    model: Path
    rules: Path

    def lines(self) -> list[str]:
        return self.life.read_text().splitlines()

    def model_data(self) -> dict[str, Any]:
        return json.loads(self.model.read_text())

    def state_data(self) -> dict[str, Any]:
        return json.loads(self.lines()[0])["first"]


def make_bench(root: Path) -> Bench:
    """Play a 40-step random life, fit the small laws to it, copy a variant's rule file."""
    root.mkdir(parents=True, exist_ok=True)
    life = root / "life" / "trajectory.jsonl"
    life.parent.mkdir(exist_ok=True)
    played = explore(1, 40, "random", out=life)
    laws = root / "small.law"
    laws.write_text(LAWS)
    model = LawModel(parse_laws(LAWS, str(laws)))
    model.fit(played.transitions, method="map", steps=3)
    save_model(model, root / "model.json")
    rules = root / "rules.json"
    rules.write_text(json.dumps({"description": "Sleep restores energy twice as fast.",
                                 "rules": {"vitals": {"fatigue": {"asleep": 2.0}}}}))
    return Bench(root, life, laws, root / "model.json", rules)


@dataclass(frozen=True)
class Case:
    """One bad input: ``make`` writes it into a fresh folder and returns the command line (or,
    with ``call``, the library call to make); the error must name every string of ``names``."""

    kind: str
    name: str
    make: Callable[[Bench, Path], list[str]]
    names: Callable[[Path], tuple[str, ...]]
    call: Callable[[Bench, Path], Any] | None = None
    protect: tuple[str, ...] = ()
    process: Callable[[Bench, Path, list[str]], "Ran"] | None = None


@dataclass
class Ran:
    """What running a case gave."""

    status: int | None
    stderr: str
    escaped: BaseException | None = None
    hung: bool = False
    lost: bool = False  # an output the run should have kept is missing, cut or corrupt


@dataclass
class Verdict:
    case: Case
    outcome: str
    message: str = field(default="")


# --- running and judging -----------------------------------------------------------------
def run_in_process(argv: list[str]) -> Ran:
    """``onelife ARGV`` through ``main`` in this process, output captured."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as stop:
            if isinstance(stop.code, str):
                err.write(stop.code + "\n")
            status = stop.code if isinstance(stop.code, int) else 1
        except BaseException as escaped:  # noqa: BLE001 - a traceback is an outcome here
            return Ran(None, err.getvalue(), escaped)
    return Ran(status, err.getvalue())


def run_process(argv: list[str], cwd: Path, timeout: float = 60) -> Ran:
    """``onelife ARGV`` as its own process (for hangs, signals and concurrent runs)."""
    try:
        done = subprocess.run([str(ONELIFE), *argv], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        return Ran(None, (expired.stderr or b"").decode(errors="replace") if isinstance(expired.stderr, bytes)
                   else expired.stderr or "", hung=True)
    return Ran(done.returncode, done.stderr)


def message_lines(stderr: str) -> list[str]:
    """The lines of ``stderr`` that are not progress bars."""
    lines = [line.strip() for chunk in stderr.split("\n") for line in chunk.split("\r")]
    lines = [line for line in lines if line and not PROGRESS.search(line)]
    errors = [line for line in lines if ": error: " in line]  # argparse: the usage lines come first
    return errors or lines


def judge(case: Case, bench: Bench, folder: Path) -> Verdict:
    """Run one case in ``folder`` and say what it got."""
    argv = case.make(bench, folder)
    before = {name: _digest(folder / name) for name in case.protect}
    if case.call is not None:
        ran = _call(case, bench, folder)
    elif case.process is not None:
        ran = case.process(bench, folder, argv)
    else:
        ran = run_in_process(argv)
    if ran.hung:
        return Verdict(case, "hang")
    if ran.lost or any(_digest(folder / name) != digest for name, digest in before.items()):
        return Verdict(case, "data lost", ", ".join(case.protect))
    if ran.escaped is not None or "Traceback (most recent call last)" in ran.stderr:
        return Verdict(case, "traceback", repr(ran.escaped) if ran.escaped else ran.stderr[-300:])
    if ran.status == 0:
        return Verdict(case, "silent accept")
    lines = message_lines(ran.stderr)
    text = " ".join(lines)
    if lines and len(lines) <= 2 and all(name in text for name in case.names(folder)):
        return Verdict(case, "clear", text)
    return Verdict(case, "no location", text or "(nothing printed)")


def _call(case: Case, bench: Bench, folder: Path) -> Ran:
    """A library call: an ``InputError`` is the clear outcome, anything else a traceback."""
    from crafter_oo.inputs import InputError
    assert case.call is not None
    try:
        case.call(bench, folder)
    except InputError as error:
        return Ran(1, f"{error}\n")
    except BaseException as escaped:  # noqa: BLE001
        return Ran(None, "", escaped)
    return Ran(0, "")


def _digest(path: Path) -> str | None:
    return path.read_bytes().hex() if path.is_file() else None


def judge_all(cases: list[Case], root: Path, progress: Callable[[Verdict], None] | None = None) -> list[Verdict]:
    """Judge every case, each in a fresh folder under ``root``, from one shared workbench."""
    bench = make_bench(root / "bench")
    verdicts = []
    for number, case in enumerate(cases):
        folder = root / f"case{number:03d}"
        folder.mkdir()
        verdicts.append(judge(case, bench, folder))
        if progress is not None:
            progress(verdicts[-1])
    return verdicts


def table(verdicts: list[Verdict]) -> str:
    """Counts of each outcome per kind of input, as a Markdown table."""
    kinds = list(dict.fromkeys(v.case.kind for v in verdicts))
    rows = ["| input | cases | " + " | ".join(OUTCOMES) + " |", "|---|---:|" + "---:|" * len(OUTCOMES)]
    for kind in [*kinds, "all"]:
        chosen = [v for v in verdicts if kind in ("all", v.case.kind)]
        counts = [sum(v.outcome == outcome for v in chosen) for outcome in OUTCOMES]
        rows.append(f"| {kind} | {len(chosen)} | " + " | ".join(map(str, counts)) + " |")
    return "\n".join(rows)


# --- helpers that write one bad file ---------------------------------------------------------
def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def _fit(trajectory: Path, laws: Path, folder: Path) -> list[str]:
    return ["fit", str(trajectory), "--out", str(folder / "m.json"), "--laws", str(laws),
            "--method", "map", "--fit-steps", "1"]


def _named(*names: str) -> Callable[[Path], tuple[str, ...]]:
    return lambda folder: names


# --- law files ----------------------------------------------------------------------------------
LAW_TEXTS: dict[str, str] = {
    "stray character": LAWS.replace("when action == do", "when action == do @"),
    "unclosed brace": LAWS.replace("move_down}", "move_down"),
    "unclosed parenthesis": LAWS.replace("target(player))", "target(player)", 1),
    "missing then": LAWS.replace("    then player.pos", "    player.pos"),
    "missing when": LAWS.replace("    when action in", "    action in"),
    "unknown name": LAWS.replace("grass", "grasss"),
    "unknown function": LAWS.replace("kind_at(", "kind_of("),
    "unknown attribute": LAWS.replace("player.sleeping", "player.dreaming"),
    "unknown inventory item": LAWS.replace("inventory.sapling + 1", "inventory.saplings + 1"),
    "number too large": LAWS.replace("sapling + 1,", "sapling + 1e999,"),
    "prior too large": LAWS.replace("Beta(1, 9)", "Beta(1e999, 9)"),
    "prior zero": LAWS.replace("Beta(1, 9)", "Beta(0, 9)"),
    "prior negative": LAWS.replace("Beta(1, 9)", "Beta(-1, 9)"),
    "prior one argument": LAWS.replace("Beta(1, 9)", "Beta(1)"),
    "unknown prior": LAWS.replace("Beta(1, 9)", "Gamma(1, 9)"),
    "parameter never used": LAWS.replace("Beta(1, 9)", "Beta(1, 9)\n    param q ~ Beta(1, 1)"),
    "parameter declared twice": LAWS.replace("Beta(1, 9)", "Beta(1, 9)\n    param p_sapling ~ Beta(1, 1)"),
    "undeclared parameter": LAWS.replace("    param p_sapling ~ Beta(1, 9)\n", ""),
    "law defined twice": LAWS + "\n" + LAWS.split("\n\n")[1],
    "effect set twice": LAWS.replace("player.pos <- move", "player.pos <- player.pos, player.pos <- move"),
    "random condition": LAWS.replace("not player.sleeping", "choice(0.5: true, else: false)"),
    "string added to a number": LAWS.replace("player.inventory.sapling + 1,", "player.inventory.sapling + grass,"),
    "modulo by zero": LAWS.replace("player.inventory.sapling + 1,", "player.inventory.sapling + 1 % 0,"),
    "reserved law name": LAWS.replace("law player_move:", "law frame:"),
    "reserved variable": LAWS.replace("law player_move:", "law player_move:\n    for zombie player"),
    "unknown quantified kind": LAWS.replace("law player_move:", "law player_move:\n    for dragon d"),
    "use of a missing file": 'use "nowhere.law"\n\n' + LAWS,
    "deep nesting": LAWS.replace("sapling + 1,", "sapling + " + " + ".join(["1"] * 400) + ","),
    "empty file": "",
    "only a comment": "# nothing here\n",
    "choice without else": LAWS.replace(", else: player.inventory.sapling)", ")"),
    "weight above one": LAWS.replace("choice(p_sapling:", "choice(1.5:").replace("    param p_sapling ~ Beta(1, 9)\n", ""),
    "move with a number": LAWS.replace("move(player, target(player) - player.pos)", "move(player, 3)"),
    "let used before it is defined": LAWS.replace("when action == do", "when action == do and near") ,
    "missing colon": LAWS.replace("law player_move:", "law player_move"),
    "keyword as a law name": LAWS.replace("law player_move:", "law when:"),
    "assignment to the action": LAWS.replace("then player.pos <-", "then action <-"),
    "assignment to a number": LAWS.replace("then player.pos <-", "then 3 <-"),
}


def _law_cases() -> Iterator[Case]:
    for name, text in LAW_TEXTS.items():
        def make(bench: Bench, folder: Path, text: str = text) -> list[str]:
            return _fit(bench.life, _write(folder, "bad.law", text), folder)
        yield Case("law file", name, make, _named("bad.law"))
    # Cut the text inside an expression (after an operator or an opening bracket): never a law.
    cuts = [m.end() for m in re.finditer(r"==|\band\b|\bin\b|\+|\(|,|<-|~|:|\{", LAWS)]
    for cut in cuts:
        def make(bench: Bench, folder: Path, cut: int = cut) -> list[str]:
            return _fit(bench.life, _write(folder, "bad.law", LAWS[:cut]), folder)
        yield Case("law file", f"cut after character {cut}", make, _named("bad.law"))
    for name, content in {"binary": bytes(range(256)), "latin-1": "law é:\n".encode("latin-1")}.items():
        def make(bench: Bench, folder: Path, content: bytes = content) -> list[str]:
            return _fit(bench.life, _write(folder, "bad.law", content), folder)
        yield Case("law file", name, make, _named("bad.law"))
    yield Case("law file", "a folder with no law files",
               lambda bench, folder: _fit(bench.life, _folder(folder, "empty"), folder), _named("empty"))
    yield Case("law file", "a missing file", lambda bench, folder: _fit(bench.life, folder / "none.law", folder),
               _named("none.law"))
    yield Case("law file", "circular use", lambda bench, folder: _fit(bench.life, _circular(folder), folder),
               _named("a.law"))


def _folder(parent: Path, name: str) -> Path:
    (parent / name).mkdir()
    return parent / name


def _circular(folder: Path) -> Path:
    _write(folder, "b.law", 'use "a.law"\n')
    return _write(folder, "a.law", 'use "b.law"\n\n' + LAWS)


# --- model files --------------------------------------------------------------------------------
def _evaluate(model: Path, folder: Path) -> list[str]:
    return ["evaluate", str(model), "--out", str(folder / "eval"), "--scenarios", "collect_wood", "--trials", "1"]


def _model_case(name: str, change: Callable[[dict[str, Any]], Any], *names: str, text: bool = False) -> Case:
    """A model file changed by ``change(data)`` (in place; with ``text``, it returns the file's text)."""
    def make(bench: Bench, folder: Path) -> list[str]:
        data = bench.model_data()
        changed = change(data)
        return _evaluate(_write(folder, "bad_model.json", changed if text else json.dumps(data)), folder)
    return Case("model file", name, make, _named("bad_model.json", *names))


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _model_cases() -> Iterator[Case]:
    for key in ("format", "version", "laws", "parameters"):
        yield _model_case(f"no {key}", lambda d, key=key: d.pop(key), key if key != "format" else "format")
        for value in (None, 7, "x", [], {}):
            if key == "format" and value == "x" or key == "laws" and value == "x":
                continue  # covered by the garbled cases below
            yield _model_case(f"{key} = {json.dumps(value)}", lambda d, key=key, value=value: _set(d, (key,), value),
                              key)
    for value in (7, "x", [], {"loc": {}}, {"loc": {}, "scale": {}}):
        yield _model_case(f"posterior = {json.dumps(value)}", lambda d, value=value: _set(d, ("posterior",), value),
                          "posterior")
    for site in ("collect_sapling.p_sapling", "collect_sapling.weight", "frame.pos"):
        for value in (math.nan, math.inf, -1.0, 0.0, "x", None, [0.5], 1.5 if "p_" in site or "frame" in site else -2.0):
            yield _model_case(f"{site} = {value!r}", lambda d, site=site, value=value: _set(d, ("parameters", site), value),
                              site)
    yield _model_case("an unknown parameter", lambda d: _set(d, ("parameters", "ghost.p"), 0.5), "ghost.p")
    yield _model_case("a missing parameter", lambda d: d["parameters"].pop("collect_sapling.p_sapling"),
                      "collect_sapling.p_sapling")
    yield _model_case("laws garbled", lambda d: _set(d, ("laws",), d["laws"].replace("when", "whne", 1)), "laws")
    yield _model_case("a law removed", lambda d: _set(d, ("laws",), d["laws"].split("\n\n")[1]), "collect_sapling")
    yield _model_case("format of another file", lambda d: _set(d, ("format",), "onelife.Trajectory"), "format")
    for fraction in (0.0, 0.1, 0.5, 0.9, 0.999):
        yield _model_case(f"cut at {fraction:.0%}",
                          lambda d, fraction=fraction: json.dumps(d)[:int(len(json.dumps(d)) * fraction)], text=True)
    yield _model_case("binary", lambda d: bytes(range(256)), text=True)
    yield _model_case("a JSON array", lambda d: "[1, 2, 3]", text=True)
    yield _model_case("NaN literal in parameters", lambda d: json.dumps(d).replace('"frame.pos": 0.', '"frame.pos": NaN, "x": 0.'),
                      "frame.pos", text=True)


# --- states (the first state of a trajectory, and WorldState.from_json) -----------------------------
STATE_CHANGES: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "player off the map (left)": (lambda s: _set(s, ("objects", "1", "pos"), [-1, 5]), "objects.1.pos"),
    "player off the map (right)": (lambda s: _set(s, ("objects", "1", "pos"), [64, 5]), "objects.1.pos"),
    "object on the player's cell": (lambda s: _set(s, ("objects", _a_creature(s), "pos"), s["objects"]["1"]["pos"]),
                                    ".pos"),
    "next_id 0": (lambda s: _set(s, ("next_id",), 0), "next_id"),
    "next_id reused": (lambda s: _set(s, ("next_id",), int(max(s["objects"], key=int))), "next_id"),
    "health above nine": (lambda s: _set(s, ("objects", "1", "inventory", "health"), 10), "inventory.health"),
    "negative wood": (lambda s: _set(s, ("objects", "1", "inventory", "wood"), -1), "inventory.wood"),
    "health a string": (lambda s: _set(s, ("objects", "1", "inventory", "health"), "nine"), "inventory.health"),
    "health fractional": (lambda s: _set(s, ("objects", "1", "inventory", "health"), 8.5), "inventory.health"),
    "unknown item": (lambda s: _set(s, ("objects", "1", "inventory", "gold"), 1), "inventory"),
    "missing item": (lambda s: s["objects"]["1"]["inventory"].pop("wood"), "inventory"),
    "hunger NaN": (lambda s: _set(s, ("objects", "1", "hunger"), math.nan), "hunger"),
    "fatigue infinite": (lambda s: _set(s, ("objects", "1", "fatigue"), math.inf), "fatigue"),
    "daylight above one": (lambda s: _set(s, ("daylight",), 2.0), "daylight"),
    "daylight NaN": (lambda s: _set(s, ("daylight",), math.nan), "daylight"),
    "negative step": (lambda s: _set(s, ("step",), -1), "step"),
    "episode zero": (lambda s: _set(s, ("episode",), 0), "episode"),
    "unknown map character": (lambda s: _set(s, ("map",), ["?" + s["map"][0][1:]] + s["map"][1:]), "map"),
    "short map row": (lambda s: _set(s, ("map",), [s["map"][0][1:]] + s["map"][1:]), "map"),
    "missing map row": (lambda s: _set(s, ("map",), s["map"][1:]), "map"),
    "no player": (lambda s: s["objects"].pop("1"), "objects"),
    "unknown creature kind": (lambda s: _set(s, ("objects", _a_creature(s), "kind"), "dragon"), "kind"),
    "creature health a string": (lambda s: _set(s, ("objects", _a_creature(s), "health"), "x"), "health"),
    "facing two cells": (lambda s: _set(s, ("objects", "1", "facing"), [2, 0]), "facing"),
    "facing nowhere": (lambda s: _set(s, ("objects", "1", "facing"), [0, 0]), "facing"),
    "unknown achievement unlocked": (lambda s: _set(s, ("unlocked",), ["fly"]), "unlocked"),
    "negative achievement": (lambda s: _set(s, ("objects", "1", "achievements", "collect_wood"), -1),
                             "achievements.collect_wood"),
    "chunk key off the grid": (lambda s: _set(s, ("chunks",), [[1, 13, 0, 12]] + s["chunks"]), "chunks"),
    "generator position beyond its key": (lambda s: _set(s, ("rng", "pos"), 700), "rng"),
    "generator key short": (lambda s: _set(s, ("rng", "key"), s["rng"]["key"][:100]), "rng.key"),
    "empty area": (lambda s: _set(s, ("config", "area"), [0, 0]), "config.area"),
    "unknown format": (lambda s: _set(s, ("format",), "crafter_oo.WorldState/9"), "format"),
    "rules with a negative damage": (lambda s: _set(s, ("config", "rules", "zombie", "damage"), -1), "zombie"),
    "sleeping a number": (lambda s: _set(s, ("objects", "1", "sleeping"), 1), "sleeping"),
    "last health negative": (lambda s: _set(s, ("last_health",), -3), "last_health"),
}


def _a_creature(state: dict[str, Any]) -> str:
    return next(oid for oid in state["objects"] if oid != "1")


def _state_cases() -> Iterator[Case]:
    for name, (change, field_name) in STATE_CHANGES.items():
        def call(bench: Bench, folder: Path, change: Callable[[dict[str, Any]], Any] = change) -> None:
            state = bench.state_data()
            change(state)
            WorldState.from_json(json.dumps(state))
        yield Case("state JSON", name, lambda bench, folder: [], _named(field_name), call=call)
        yield _trajectory_case(f"first state: {name}", lambda lines, change=change: _change_first(lines, change),
                               field_name)


def _change_first(lines: list[str], change: Callable[[dict[str, Any]], Any]) -> None:
    header = json.loads(lines[0])
    change(header["first"])
    lines[0] = json.dumps(header)


# --- trajectories -------------------------------------------------------------------------------
def _trajectory_case(name: str, change: Callable[[list[str]], Any], *names: str) -> Case:
    def make(bench: Bench, folder: Path) -> list[str]:
        lines = bench.lines()
        changed = change(lines)
        text = changed if isinstance(changed, (str, bytes)) else "\n".join(lines) + "\n"
        return _fit(_write(folder, "bad.jsonl", text), bench.laws, folder)
    return Case("trajectory", name, make, _named("bad.jsonl", *names))


def _record(lines: list[str], number: int, change: Callable[[dict[str, Any]], Any]) -> None:
    record = json.loads(lines[number - 1])
    change(record)
    lines[number - 1] = json.dumps(record)


def _trajectory_cases() -> Iterator[Case]:
    for key in ("format", "version", "seed", "policy", "step_limit", "first"):
        yield _trajectory_case(f"header without {key}", lambda ls, key=key: _record(ls, 1, lambda h: h.pop(key)), ":1")
        for value in (None, 7 if key == "policy" else "x", -5 if key in ("seed", "step_limit") else 2.5):
            yield _trajectory_case(f"header {key} = {value!r}",
                                   lambda ls, key=key, value=value: _record(ls, 1, lambda h: _set(h, (key,), value)), ":1")
    yield _trajectory_case("version 99", lambda ls: _record(ls, 1, lambda h: _set(h, ("version",), 99)), ":1")
    yield _trajectory_case("steps jump", lambda ls: _record(ls, 6, lambda r: _set(r, ("step",), 7)), ":6")
    yield _trajectory_case("a step repeated", lambda ls: ls.insert(5, ls[4]), ":6")
    yield _trajectory_case("step zero", lambda ls: _record(ls, 2, lambda r: _set(r, ("step",), 0)), ":2")
    yield _trajectory_case("unknown action", lambda ls: _record(ls, 4, lambda r: _set(r, ("action",), "fly")), ":4")
    yield _trajectory_case("no action", lambda ls: _record(ls, 4, lambda r: r.pop("action")), ":4")
    yield _trajectory_case("change not an object", lambda ls: _record(ls, 4, lambda r: _set(r, ("next",), [1])), ":4")
    for cell in ([-1, -1, "."], [64, 0, "."], [0, 0, "?"], [0, 0], ["a", 0, "."]):
        yield _trajectory_case(f"changed cell {cell}",
                               lambda ls, cell=cell: _record(ls, 3, lambda r: _set(r, ("next", "cells"), [cell])), ":3")
    yield _trajectory_case("player moved off the map",
                           lambda ls: _record(ls, 3, lambda r: _set(r, ("next", "objects"), {"1": {
                               **json.loads(ls[0])["first"]["objects"]["1"], "pos": [-3, 2]}})), ":3")
    yield _trajectory_case("inventory above nine",
                           lambda ls: _record(ls, 3, lambda r: _set(r, ("next", "objects"), {"1": {
                               **json.loads(ls[0])["first"]["objects"]["1"],
                               "inventory": {**json.loads(ls[0])["first"]["objects"]["1"]["inventory"], "wood": 12}}})),
                           ":3")
    yield _trajectory_case("a line not JSON", lambda ls: _set_line(ls, 5, "{not json"), ":5")
    yield _trajectory_case("a line that is an array", lambda ls: _set_line(ls, 5, "[1, 2]"), ":5")
    yield _trajectory_case("a line after the end", lambda ls: ls.append(ls[3]), "after the end line")
    yield _trajectory_case("an unknown ending", lambda ls: ls.append('{"end": "vanished"}'), "end")
    yield _trajectory_case("a second header", lambda ls: ls.insert(3, ls[0]), ":4")
    yield _trajectory_case("empty file", lambda ls: "")
    yield _trajectory_case("binary", lambda ls: bytes(range(256)))
    yield _trajectory_case("header only", lambda ls: ls[0] + "\n", "no transitions")


def _set_line(lines: list[str], number: int, text: str) -> None:
    lines[number - 1] = text


# --- rule files ---------------------------------------------------------------------------------
RULE_CHANGES: dict[str, tuple[Any, str]] = {
    "no description": ({"rules": {"day_length": 100}}, ""),
    "description a number": ({"description": 3, "rules": {}}, "description"),
    "rules a list": ({"description": "x", "rules": []}, "rules"),
    "unknown top-level field": ({"description": "x", "rules": {}, "extra": 1}, "extra"),
    "unknown rule": ({"description": "x", "rules": {"gravity": 9.8}}, "gravity"),
    "day length zero": ({"description": "x", "rules": {"day_length": 0}}, "day_length"),
    "day length negative": ({"description": "x", "rules": {"day_length": -300}}, "day_length"),
    "day length a string": ({"description": "x", "rules": {"day_length": "long"}}, "day_length"),
    "zombie damage negative": ({"description": "x", "rules": {"zombie": {"damage": -2}}}, "zombie.damage"),
    "zombie unknown field": ({"description": "x", "rules": {"zombie": {"wings": 2}}}, "zombie.wings"),
    "chance above one": ({"description": "x", "rules": {"collect": {"sapling": {"probability": 1.5}}}}, "collect.sapling"),
    "chance negative": ({"description": "x", "rules": {"collect": {"sapling": {"probability": -0.1}}}}, "collect.sapling"),
    "unknown material collected": ({"description": "x", "rules": {"collect": {"gold": {}}}}, "collect.gold"),
    "recipe of an unknown item": ({"description": "x", "rules": {"make": {"wood_pickaxe": {"inputs": {"gold": 1}}}}},
                                  "make.wood_pickaxe"),
    "cost negative": ({"description": "x", "rules": {"place": {"table": {"cost": {"wood": -1}}}}}, "place.table"),
    "cost a string": ({"description": "x", "rules": {"place": {"table": {"cost": {"wood": "one"}}}}}, "place.table"),
    "chase chance two": ({"description": "x", "rules": {"zombie": {"chase_prob": 2}}}, "zombie.chase_prob"),
    "hunger threshold NaN": ('{"description": "x", "rules": {"vitals": {"hunger": {"threshold": NaN}}}}', "vitals.hunger"),
    "cow move chance a string": ({"description": "x", "rules": {"cow": {"move_prob": "often"}}}, "cow.move_prob"),
    "plant ripening a list": ({"description": "x", "rules": {"plant": {"ripe_after": [1]}}}, "plant.ripe_after"),
    "not JSON": ("{description: x}", ""),
    "cut short": ('{"description": "x", "rules": {"day_len', ""),
    "a JSON array": ("[]", ""),
    "empty": ("", ""),
    "binary": (bytes(range(256)), ""),
    "complete rule set missing a part": ({"day_length": 300}, ""),
    "complete rule set, wrong shape": ({"collect": 3}, "collect"),
    "plant food negative": ({"description": "x", "rules": {"plant": {"food": -1}}}, "plant.food"),
    "skeleton reload negative": ({"description": "x", "rules": {"skeleton": {"reload": -1}}}, "skeleton.reload"),
    "balance of an unknown kind": ({"description": "x", "rules": {"balance": {"dragon": {}}}}, "balance.dragon"),
}


def _rule_cases() -> Iterator[Case]:
    for name, (content, field_name) in RULE_CHANGES.items():
        def make(bench: Bench, folder: Path, content: Any = content) -> list[str]:
            text = content if isinstance(content, (str, bytes)) else json.dumps(content)
            return ["explore", "--seed", "0", "--steps", "1", "--policy", "random", "--out", str(folder / "life"),
                    "--rules", str(_write(folder, "bad_rules.json", text))]
        yield Case("rules file", name, make, _named("bad_rules.json", *([field_name] if field_name else [])))


# --- command-line arguments ------------------------------------------------------------------------
def _argument_cases() -> Iterator[Case]:
    def explore_with(*extra: str) -> Callable[[Bench, Path], list[str]]:
        return lambda bench, folder: ["explore", "--steps", "5", "--policy", "random", "--out", str(folder / "o"),
                                      *extra]

    def fit_with(*extra: str) -> Callable[[Bench, Path], list[str]]:
        return lambda bench, folder: ["fit", str(bench.life), "--laws", str(bench.laws), "--out",
                                      str(folder / "m.json"), "--fit-steps", "1", *extra]

    def evaluate_with(*extra: str) -> Callable[[Bench, Path], list[str]]:
        return lambda bench, folder: ["evaluate", "--out", str(folder / "e"), "--trials", "1", *extra]

    for value in ("-1", "x", "1.5", "", "1e3"):
        yield Case("arguments", f"explore --seed {value!r}", explore_with("--seed", value), _named("--seed"))
    for value in ("0", "-3", "x", "1e3"):
        yield Case("arguments", f"explore --steps {value!r}", explore_with("--steps", value), _named("--steps"))
    yield Case("arguments", "explore --policy nope", explore_with("--policy", "nope"), _named("--policy"))
    yield Case("arguments", "explore --rules nope", explore_with("--rules", "nope"), _named("--rules"))
    yield Case("arguments", "explore --force --resume", explore_with("--force", "--resume"), _named("--resume"))
    yield Case("arguments", "explore without --out", lambda bench, folder: ["explore", "--steps", "5"], _named("--out"))
    yield Case("arguments", "explore --resume with nothing to resume", explore_with("--resume"), _named("trajectory.jsonl"))
    for value in ("0", "-1", "x"):
        yield Case("arguments", f"fit --fit-steps {value!r}", fit_with("--fit-steps", value), _named("--fit-steps"))
    yield Case("arguments", "fit --fit-seed -2", fit_with("--fit-seed", "-2"), _named("--fit-seed"))
    yield Case("arguments", "fit --method nope", fit_with("--method", "nope"), _named("--method"))
    yield Case("arguments", "fit a missing trajectory",
               lambda bench, folder: ["fit", str(folder / "none.jsonl"), "--out", str(folder / "m.json")], _named("none.jsonl"))
    yield Case("arguments", "fit --out a folder",
               lambda bench, folder: ["fit", str(bench.life), "--laws", str(bench.laws), "--out", str(folder)],
               _named("is a folder"))
    yield Case("arguments", "fit --out under a file",
               lambda bench, folder: ["fit", str(bench.life), "--laws", str(bench.laws), "--out",
                                      str(_write(folder, "plain", "x") / "m.json")], _named("plain"))
    yield Case("arguments", "fit without --out", lambda bench, folder: ["fit", str(bench.life)], _named("--out"))
    yield Case("arguments", "evaluate with a model and --model",
               lambda bench, folder: evaluate_with("--model", "true")(bench, folder) + [str(bench.model)],
               _named("MODEL"))
    yield Case("arguments", "evaluate with no model", evaluate_with(), _named("MODEL"))
    for value in ("0", "-2", "x"):
        yield Case("arguments", f"evaluate --trials {value!r}", evaluate_with("--model", "true", "--trials", value),
                   _named("--trials"))
    yield Case("arguments", "evaluate --seed -1", evaluate_with("--model", "true", "--seed", "-1"), _named("--seed"))
    for value in ("nope", "", ",", "collect_wood,nope"):
        yield Case("arguments", f"evaluate --scenarios {value!r}", evaluate_with("--model", "true", "--scenarios", value),
                   _named("--scenarios"))
    yield Case("arguments", "evaluate --model bogus", evaluate_with("--model", "bogus"), _named("--model"))
    for option, value in (("--steps", "0"), ("--simulations", "0"), ("--depth", "-1"), ("--horizon", "x")):
        yield Case("arguments", f"plan {option} {value}",
                   lambda bench, folder, option=option, value=value: ["plan", "null", option, value], _named(option))
    yield Case("arguments", "plan a missing model", lambda bench, folder: ["plan", str(folder / "none.json")],
               _named("none.json"))
    for option, value in (("--steps", "0"), ("--length", "0"), ("--seed", "x")):
        yield Case("arguments", f"play {option} {value}",
                   lambda bench, folder, option=option, value=value: ["play", option, value], _named(option))
    yield Case("arguments", "an unknown command", lambda bench, folder: ["conquer"], _named("conquer"))


# --- special files, existing outputs, concurrent runs and interrupts -----------------------------------
def _fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def _in_process_of_its_own(bench: Bench, folder: Path, argv: list[str]) -> Ran:
    return run_process(argv, folder, timeout=60)


def _special_cases() -> Iterator[Case]:
    def fifo_case(what: str, make: Callable[[Bench, Path], list[str]], name: str) -> Case:
        return Case("special files", f"a FIFO as the {what}", make, _named(name), process=_in_process_of_its_own)
    yield fifo_case("trajectory", lambda bench, folder: _fit(_fifo(folder, "pipe.jsonl"), bench.laws, folder), "pipe.jsonl")
    yield fifo_case("law file", lambda bench, folder: _fit(bench.life, _fifo(folder, "pipe.law"), folder), "pipe.law")
    yield fifo_case("model file", lambda bench, folder: _evaluate(_fifo(folder, "pipe.json"), folder), "pipe.json")
    yield fifo_case("rules file", lambda bench, folder: ["explore", "--steps", "1", "--out", str(folder / "o"),
                                                         "--rules", str(_fifo(folder, "pipe_rules.json"))],
                    "pipe_rules.json")
    yield Case("special files", "a folder as the trajectory",
               lambda bench, folder: _fit(folder, bench.laws, folder), _named("trajectory file"))
    yield Case("special files", "a folder as the model", lambda bench, folder: _evaluate(folder, folder),
               _named("model file"))
    yield Case("existing outputs", "explore over a finished life",
               lambda bench, folder: ["explore", "--seed", "1", "--steps", "40", "--policy", "random", "--out",
                                      str(_copy_life(bench, folder))],
               _named("--force"), protect=("old/trajectory.jsonl",))
    yield Case("existing outputs", "fit over a model",
               lambda bench, folder: _fit(bench.life, bench.laws, folder) if _write(folder, "m.json", "{}") else [],
               _named("--force"), protect=("m.json",))
    yield Case("existing outputs", "evaluate over results",
               lambda bench, folder: ["evaluate", "--model", "true", "--out", str(_results(folder)), "--scenarios",
                                      "collect_wood", "--trials", "1"],
               _named("--force"), protect=("eval/results.json",))
    yield Case("concurrent runs", "two explores into one folder", lambda bench, folder: [], _named("another onelife"),
               protect=(), process=_two_explores)
    yield Case("interrupts", "Ctrl-C during explore", lambda bench, folder: [], _named("--resume"), process=_interrupt_explore)
    yield Case("interrupts", "Ctrl-C during fit", lambda bench, folder: [], _named("interrupted"), process=_interrupt_fit)


def _copy_life(bench: Bench, folder: Path) -> Path:
    (folder / "old").mkdir()
    _write(folder / "old", "trajectory.jsonl", bench.life.read_text())
    return folder / "old"


def _results(folder: Path) -> Path:
    (folder / "eval").mkdir()
    _write(folder / "eval", "results.json", '{"kept": true}\n')
    return folder / "eval"


def _two_explores(bench: Bench, folder: Path, argv: list[str]) -> Ran:
    """While one explore writes a life, a second into the same folder (even with --force) must
    be refused; the first, stopped afterwards, keeps a loadable life of every step it played."""
    from onelife.trajectory import Trajectory
    path = folder / "o" / "trajectory.jsonl"
    # The novelty player's life of seed 0 lasts 1,685 steps: long enough to still be running.
    command = [str(ONELIFE), "explore", "--seed", "0", "--policy", "novelty", "--steps", "2000", "--out",
               str(folder / "o")]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_until(lambda: path.is_file() and path.read_text().count("\n") >= 3, first)
    second = subprocess.run(command + ["--force"], capture_output=True, text=True, timeout=120)
    running = first.poll() is None
    played = len(Trajectory.load(path).actions)
    first.send_signal(signal.SIGINT)
    first.wait(timeout=120)
    kept = Trajectory.load(path)
    return Ran(second.returncode if running else 0, second.stderr, lost=len(kept.actions) < played)


def _interrupt_explore(bench: Bench, folder: Path, argv: list[str]) -> Ran:
    """Ctrl-C during a life: exit 130 with one line, the steps played kept and loadable."""
    from onelife.trajectory import Trajectory
    path = folder / "o" / "trajectory.jsonl"
    command = [str(ONELIFE), "explore", "--seed", "2", "--steps", "2000", "--out", str(folder / "o")]
    status, stderr = stopped(command, folder, lambda err: path.is_file() and path.read_text().count("\n") >= 31)
    return Ran(status, stderr, lost=len(Trajectory.load(path).actions) < 30)


def _interrupt_fit(bench: Bench, folder: Path, argv: list[str]) -> Ran:
    """Ctrl-C during a fit: exit 130 with one line, no model and no temporary file left."""
    command = [str(ONELIFE), "fit", str(bench.life), "--out", str(folder / "m.json"), "--fit-steps", "100000"]
    status, stderr = stopped(command, folder, lambda err: "fit 1:" in err)  # the first phase has begun
    leftovers = [p.name for p in folder.iterdir() if p.name != "m.json.lock"]
    return Ran(status, stderr, lost=bool(leftovers))


def stopped(command: list[str], cwd: Path, ready: Callable[[str], bool],
            how: signal.Signals = signal.SIGINT) -> tuple[int, str]:
    """Run ``command``, send it ``how`` (Ctrl-C by default) once ``ready(stderr so far)`` holds,
    and return its exit status and standard error."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.set_blocking(process.stderr.fileno(), False)
    seen = bytearray()

    def read() -> str:
        seen.extend(process.stderr.read() or b"")
        return seen.decode(errors="replace")
    _wait_until(lambda: ready(read()), process)
    process.send_signal(how)
    process.wait(timeout=120)
    os.set_blocking(process.stderr.fileno(), True)
    read()
    return process.returncode, seen.decode(errors="replace")


def _wait_until(condition: Callable[[], bool], process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None and not condition():
        time.sleep(0.02)


def catalogue() -> list[Case]:
    """Every bad input, in a fixed order."""
    return [*_argument_cases(), *_law_cases(), *_model_cases(), *_trajectory_cases(), *_state_cases(),
            *_rule_cases(), *_special_cases()]
