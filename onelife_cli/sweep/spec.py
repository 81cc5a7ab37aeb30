"""A sweep spec: a TOML file listing seeds, rule variants, exploration policies, pipelines,
steps, fit settings and evaluation settings, read into a ``SweepSpec`` and checked key by key.

    seeds = [0, 1]                  # one life per seed
    variants = ["crafter", "short_days"]
    policies = ["learning"]         # onelife explore --policy
    pipelines = ["library"]         # onelife_cli.sweep.pipelines.PIPELINES
    steps = 2000                    # the life's step limit

    [fit]                           # onelife fit
    method = "posterior"            # or "map"
    steps = 1000                    # optional: LawModel.fit's default
    seed = 0

    [evaluate]                      # onelife evaluate
    scenarios = ["collect_wood"]    # optional: every scenario the world allows
    trials = 5
    seed = 42
    published = false

Every run is one (seed, variant, policy, pipeline); ``SweepSpec.runs()`` lists them in a
fixed order. Bad input is a ``SpecError`` naming the file, the line, the key and what was
expected.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass
from itertools import product
from pathlib import Path
from typing import Any

from crafter_oo import variants
from crafter_oo.inputs import InputError, read_input_text
from onelife.evaluation.scenarios import SCENARIOS
from onelife.explore import POLICIES
from onelife.fitting import METHODS
from onelife_cli.sweep.pipelines import PIPELINES


class SpecError(InputError):
    """A sweep spec that cannot be run: not TOML, an unknown key, or a value of the wrong kind."""


@dataclass(frozen=True, slots=True)
class FitSettings:
    """How every run fits its model (``onelife fit``'s options)."""

    method: str = "posterior"
    steps: int | None = None
    seed: int = 0


@dataclass(frozen=True, slots=True)
class EvaluationSettings:
    """How every run evaluates its model (``onelife evaluate``'s options)."""

    scenarios: tuple[str, ...] | None = None
    trials: int = 5
    seed: int = 42
    published: bool = False


@dataclass(frozen=True, slots=True)
class RunSpec:
    """One run of a sweep: one life played, one pipeline's model fitted to it, evaluated."""

    seed: int
    variant: str
    policy: str
    pipeline: str
    steps: int
    fit: FitSettings
    evaluate: EvaluationSettings

    @property
    def name(self) -> str:
        """The run's folder under the sweep's output, e.g. ``crafter/learning/library/seed-0``."""
        return f"{self.variant}/{self.policy}/{self.pipeline}/seed-{self.seed}"

    def to_dict(self) -> dict[str, Any]:
        """Every setting of the run, as JSON-ready data (recorded in the run's marker)."""
        data = asdict(self)
        scenarios = data["evaluate"]["scenarios"]
        data["evaluate"]["scenarios"] = None if scenarios is None else list(scenarios)
        return data


@dataclass(frozen=True, slots=True)
class SweepSpec:
    """Everything a sweep runs: the product of seeds, variants, policies and pipelines."""

    seeds: tuple[int, ...]
    variants: tuple[str, ...]
    policies: tuple[str, ...]
    pipelines: tuple[str, ...]
    steps: int
    fit: FitSettings
    evaluate: EvaluationSettings

    def runs(self) -> list[RunSpec]:
        """Every (seed, variant, policy, pipeline) run, variant-major, seed-minor."""
        return [RunSpec(seed, variant, policy, pipeline, self.steps, self.fit, self.evaluate)
                for variant, policy, pipeline, seed in product(self.variants, self.policies, self.pipelines,
                                                               self.seeds)]


FIT_DEFAULTS = FitSettings()
EVALUATION_DEFAULTS = EvaluationSettings()
TOP_KEYS = ("seeds", "variants", "policies", "pipelines", "steps", "fit", "evaluate")
FIT_KEYS = ("method", "steps", "seed")
EVALUATE_KEYS = ("scenarios", "trials", "seed", "published")


def load_spec(path: str | Path) -> SweepSpec:
    """Read and check the sweep spec at ``path``."""
    return parse_spec(read_input_text(path, "sweep spec", SpecError), str(path))


def parse_spec(text: str, source: str = "<spec>") -> SweepSpec:
    """The sweep spec in ``text`` (TOML), checked; ``source`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{source}: not valid TOML: {error}") from None
    check = _Checker(source, text)
    check.known(data, None, TOP_KEYS)
    for key in ("seeds", "variants", "policies", "pipelines", "steps"):
        if key not in data:
            raise SpecError(f"{source}: missing key '{key}' (the spec needs {', '.join(TOP_KEYS[:5])})")
    seeds = check.int_list(data, None, "seeds")
    named = [name for name, _ in variants()]
    spec_variants = check.names(data, None, "variants", named)
    policies = check.names(data, None, "policies", POLICIES)
    pipelines = check.names(data, None, "pipelines", tuple(PIPELINES))
    steps = check.integer(data, None, "steps", minimum=1)
    fit_table = check.table(data, "fit")
    check.known(fit_table, "fit", FIT_KEYS)
    fit = FitSettings(method=check.choice(fit_table, "fit", "method", METHODS, FIT_DEFAULTS.method),
                      steps=check.integer(fit_table, "fit", "steps", minimum=1) if "steps" in fit_table else None,
                      seed=check.integer(fit_table, "fit", "seed", minimum=0, default=FIT_DEFAULTS.seed))
    evaluate_table = check.table(data, "evaluate")
    check.known(evaluate_table, "evaluate", EVALUATE_KEYS)
    scenarios = (check.names(evaluate_table, "evaluate", "scenarios", tuple(SCENARIOS))
                 if "scenarios" in evaluate_table else None)
    evaluate = EvaluationSettings(
        scenarios=scenarios,
        trials=check.integer(evaluate_table, "evaluate", "trials", minimum=1, default=EVALUATION_DEFAULTS.trials),
        seed=check.integer(evaluate_table, "evaluate", "seed", minimum=0, default=EVALUATION_DEFAULTS.seed),
        published=check.boolean(evaluate_table, "evaluate", "published", EVALUATION_DEFAULTS.published))
    return SweepSpec(seeds, spec_variants, policies, pipelines, steps, fit, evaluate)


class _Checker:
    """Checks values of the parsed TOML; errors name the file, the key's line and what was expected."""

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.lines = text.splitlines()

    def fail(self, table: str | None, key: str, expected: str, value: Any) -> SpecError:
        """The error for ``key`` of ``[table]``: where it is set, what was expected, what was found."""
        line = self.line(table, key)
        where = self.source if line is None else f"{self.source}, line {line}"
        name = key if table is None else f"{table}.{key}"
        return SpecError(f"{where}: key '{name}': expected {expected}, got {value!r}")

    def line(self, table: str | None, key: str) -> int | None:
        """The line where ``key`` is set in ``[table]`` (``None``: the top level), if it is found."""
        current = None
        for number, line in enumerate(self.lines, start=1):
            header = re.match(r"\s*\[\s*([A-Za-z0-9_.-]+)\s*\]", line)
            if header:
                current = header.group(1)
            elif current == table and re.match(rf"\s*{re.escape(key)}\s*=", line):
                return number
        return None

    def known(self, data: dict[str, Any], table: str | None, keys: tuple[str, ...]) -> None:
        """Refuse a key of ``[table]`` that is not one of ``keys`` (a typo would be ignored otherwise)."""
        for key in data:
            if key not in keys:
                raise self.fail(table, key, f"one of the keys {', '.join(keys)}", key)

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        """The table ``[key]`` (empty when absent)."""
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(None, key, f"a table [{key}]", value)
        return value

    def integer(self, data: dict[str, Any], table: str | None, key: str, minimum: int,
                default: int | None = None) -> int:
        """An integer of at least ``minimum`` (``default`` when absent)."""
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(table, key, f"an integer of at least {minimum}", value)
        return value

    def boolean(self, data: dict[str, Any], table: str | None, key: str, default: bool) -> bool:
        """true or false (``default`` when absent)."""
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(table, key, "true or false", value)
        return value

    def choice(self, data: dict[str, Any], table: str | None, key: str, choices: tuple[str, ...],
               default: str) -> str:
        """One of ``choices`` (``default`` when absent)."""
        value = data.get(key, default)
        if value not in choices:
            raise self.fail(table, key, f"one of {', '.join(choices)}", value)
        return value

    def int_list(self, data: dict[str, Any], table: str | None, key: str) -> tuple[int, ...]:
        """A non-empty list of distinct non-negative integers (seeds)."""
        value = data[key]
        if (not isinstance(value, list) or not value or len(set(value)) != len(value)
                or any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in value)):
            raise self.fail(table, key, "a non-empty list of distinct non-negative integers", value)
        return tuple(value)

    def names(self, data: dict[str, Any], table: str | None, key: str, allowed: tuple[str, ...] | list[str]
              ) -> tuple[str, ...]:
        """A non-empty list of distinct names, each one of ``allowed``."""
        value = data[key]
        expected = f"a non-empty list of distinct names from: {', '.join(allowed)}"
        if not isinstance(value, list) or not value or len(set(map(str, value))) != len(value):
            raise self.fail(table, key, expected, value)
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise self.fail(table, key, expected, unknown[0])
        return tuple(value)
