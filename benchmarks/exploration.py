"""How long one life lasts, what it unlocks and how much evidence it gathers, per policy (issue 17).

Usage: ``python benchmarks/exploration.py [--seeds 0-15] [--steps 2000]
[--policies learning novelty random] [--rules crafter short_days ...] [--jobs 2]
[--out exploration.json] [--plot exploration.png] [--markdown]``.

Plays one life per seed, policy and world (``--rules``: Crafter's, rule variants or rule
files) with ``onelife.explore``, all in the same run, and prints (a group is a policy; with
several worlds, a world, or ``world:policy`` when there are several policies too):

1. one row per life: steps survived, cause of death, achievements unlocked (of Crafter's
   22), the evidence each stochastic constant of the game is learned from (counted by
   ``onelife.analysis.mechanics``: cow turns, zombie-near steps, ``do`` on bare grass,
   steps with a loaded skeleton in shooting range, spawns and despawns seen), crafting and
   placing attempts (successes in brackets), steps asleep, and the wall time of the life
   against ``crafter_oo.step`` replaying its actions (measured in the same run);
2. per group: median and minimum survival, median achievements, and the Crafter score
   over the lives (per achievement the percentage ``s_i`` of lives unlocking it; score =
   exp(mean ln(1 + s_i)) - 1) beside the Crafter paper's figures;
3. per ``make_*`` and ``place_*`` action and group: in how many lives it succeeded, and
   in how many it was tried and failed (the evidence a learner of preconditions needs).

With ``--out`` everything is also written as JSON (atomically); with ``--plot``, a PNG of
survival and achievements per group; with ``--markdown``, the per-group figures as a table.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crafter_oo import RulesError, load_rules  # noqa: E402
from crafter_oo.rules import ACHIEVEMENTS, ACTIONS  # noqa: E402
from onelife.analysis import life_cause_of_death, mechanic_counts  # noqa: E402
from onelife.atomic import replace_atomically  # noqa: E402
from onelife.explore import POLICIES, explore  # noqa: E402
from onelife.trajectory import Trajectory  # noqa: E402
from common import replay_seconds, seeds, write_json  # noqa: E402  (the sibling benchmark helpers)

COLUMNS = ("rules", "policy", "seed", "steps", "death", "unlocked", "cow_turns", "zombie_near", "sapling_tries",
           "skeleton_range", "spawns", "despawns", "crafts", "places", "asleep", "explore_s", "ratio")
TOOL_ACTIONS = tuple(a for a in ACTIONS if a.startswith(("make_", "place_")))
# The Crafter paper's scores (Hafner 2021, table of agents; percent) to print beside ours.
PAPER_SCORES = (("human experts", 50.5), ("DreamerV2 (with reward)", 10.0), ("Plan2Explore (no reward)", 2.1),
                ("RND (no reward)", 2.0), ("random", 1.6))


def evidence(life: Trajectory) -> dict[str, Any]:
    """The headline, the evidence counts and the tool-use record of one life."""
    occurrences, _ = mechanic_counts(life)
    awake = [(a, s) for a, s in zip(life.actions, life.states) if not s.player.sleeping]
    attempts = {kind: sum(a.startswith(kind) for a, _ in awake) for kind in ("make_", "place_")}
    successes = {kind: sum(n for name, n in occurrences.items() if name.startswith(kind))
                 for kind in ("make_", "place_")}
    return {
        "policy": life.policy, "seed": life.seed, "steps": life.steps_survived,
        "death": life_cause_of_death(life) if life.ended == "died" else "-",
        "achievements": life.achievements, "unlocked": len(life.achievements),
        "cow_turns": occurrences["cow_turn"], "zombie_near": occurrences["zombie_near"],
        "sapling_tries": occurrences["sapling_attempt"], "skeleton_range": occurrences["skeleton_in_range"],
        "spawns": sum(n for name, n in occurrences.items() if name.startswith("spawn_")),
        "despawns": sum(n for name, n in occurrences.items() if name.startswith("despawn_")),
        "crafts": f"{attempts['make_']} ({successes['make_']})",
        "places": f"{attempts['place_']} ({successes['place_']})",
        "asleep": sum(s.player.sleeping for s in life.states[1:]),
        "succeeded": sorted(a for a in TOOL_ACTIONS if occurrences[a] > 0),
        "failed": sorted(a for a in TOOL_ACTIONS if occurrences[f"failed_{a}"] > 0),
    }


def play(job: tuple[str, int, int, str]) -> dict[str, Any]:
    """One life (a process-pool task): its row, with the wall times."""
    policy, seed, steps, rules = job
    start = time.perf_counter()
    life = explore(seed, steps, policy, rules=load_rules(rules))
    seconds = time.perf_counter() - start
    row = evidence(life)
    row["rules"] = rules
    row["explore_s"] = round(seconds, 1)
    row["ratio"] = round(seconds / replay_seconds(life), 1)
    return row


def crafter_score(rows: list[dict[str, Any]]) -> tuple[float, dict[str, float]]:
    """The Crafter score of a set of lives and each achievement's success rate (percent)."""
    rates = {name: 100.0 * sum(name in row["achievements"] for row in rows) / len(rows) for name in ACHIEVEMENTS}
    return math.exp(sum(math.log(1.0 + rate) for rate in rates.values()) / len(rates)) - 1.0, rates


def summary(label: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-group (a policy, in a world) figures: survival, achievements, Crafter score, tool
    actions, time."""
    score, rates = crafter_score(rows)
    steps = [row["steps"] for row in rows]
    return {"label": label, "rules": rows[0]["rules"], "policy": rows[0]["policy"], "lives": len(rows), "median_steps": statistics.median(steps), "min_steps": min(steps),
            "median_unlocked": statistics.median(row["unlocked"] for row in rows),
            "crafter_score": round(score, 2), "success_rates": rates,
            "succeeded_in": {a: sum(a in row["succeeded"] for row in rows) for a in TOOL_ACTIONS},
            "failed_in": {a: sum(a in row["failed"] for row in rows) for a in TOOL_ACTIONS},
            "median_explore_s": statistics.median(row["explore_s"] for row in rows),
            "max_explore_s": max(row["explore_s"] for row in rows)}


def life_table(rows: list[dict[str, Any]]) -> str:
    """One aligned row per life."""
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in COLUMNS}
    lines = ["  ".join(f"{c:>{widths[c]}}" for c in COLUMNS)]
    lines += ["  ".join(f"{str(r[c]):>{widths[c]}}" for c in COLUMNS) for r in rows]
    return "\n".join(lines)


def summary_table(summaries: list[dict[str, Any]]) -> str:
    """Per group: survival, achievements, score and time; then the paper's scores."""
    width = max(10, *(len(s["label"]) for s in summaries))
    lines = [f"{'group':>{width}}  {'lives':>5}  {'median steps':>12}  {'min steps':>9}  {'median unlocked':>15}  "
             f"{'Crafter score %':>15}  {'median s/life':>13}  {'max s/life':>10}"]
    for s in summaries:
        lines.append(f"{s['label']:>{width}}  {s['lives']:>5}  {s['median_steps']:>12}  {s['min_steps']:>9}  "
                     f"{s['median_unlocked']:>15}  {s['crafter_score']:>15.2f}  {s['median_explore_s']:>13.1f}  "
                     f"{s['max_explore_s']:>10}")
    lines.append("Crafter paper (score %): " + ", ".join(f"{name} {value}" for name, value in PAPER_SCORES))
    return "\n".join(lines)


def markdown_table(summaries: list[dict[str, Any]]) -> str:
    """The per-group figures as a Markdown table (for the README)."""
    lines = ["| group | lives | median survival | min survival | median achievements (of 22) | Crafter score % "
             "| make_/place_ actions succeeding in at least 3/4 of lives | median s per life |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in summaries:
        broad = sum(4 * n >= 3 * s["lives"] for n in s["succeeded_in"].values())
        lines.append(f"| {s['label']} | {s['lives']} | {s['median_steps']:g} | {s['min_steps']} | "
                     f"{s['median_unlocked']:g} | {s['crafter_score']:.1f} | {broad} of {len(TOOL_ACTIONS)} | "
                     f"{s['median_explore_s']:.1f} |")
    return "\n".join(lines)


def tool_table(summaries: list[dict[str, Any]]) -> str:
    """Per make_/place_ action: lives where it succeeded / lives where it was tried and failed."""
    lines = [f"{'action':>18}  " + "  ".join(f"{s['label'] + ' ok/failed':>18}" for s in summaries)]
    for action in TOOL_ACTIONS:
        lines.append(f"{action:>18}  " + "  ".join(
            f"{str(s['succeeded_in'][action]) + '/' + str(s['failed_in'][action]):>18}" for s in summaries))
    return "\n".join(lines)


def achievement_table(summaries: list[dict[str, Any]]) -> str:
    """Per achievement: the percentage of lives unlocking it, per policy."""
    lines = [f"{'achievement':>18}  " + "  ".join(f"{s['label']:>10}" for s in summaries)]
    for name in ACHIEVEMENTS:
        lines.append(f"{name:>18}  " + "  ".join(f"{s['success_rates'][name]:>10.0f}" for s in summaries))
    return "\n".join(lines)


def plot(path: Path, groups: dict[str, list[dict[str, Any]]], steps: int) -> None:
    """Survival and achievements per life, one column of points per group."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(1, 2, figsize=(max(10, 1.6 * len(groups)), 4))
    for axis, column, label, limit in ((axes[0], "steps", "steps survived", steps),
                                       (axes[1], "unlocked", "achievements unlocked (of 22)", len(ACHIEVEMENTS))):
        data = [[row[column] for row in rows] for rows in groups.values()]
        axis.boxplot(data, widths=0.5, showfliers=False)
        for k, values in enumerate(data, start=1):
            offsets = [k + 0.15 * ((i % 5) - 2) / 2 for i in range(len(values))]
            axis.scatter(offsets, values, s=12, alpha=0.7)
        axis.set_xticks(range(1, len(groups) + 1), list(groups), rotation=30 if len(groups) > 3 else 0)
        axis.set_ylabel(label)
        axis.set_ylim(0, limit * 1.05)
        axis.axhline(limit, color="grey", linewidth=0.5)
    figure.suptitle(f"one life per seed ({len(next(iter(groups.values())))} seeds, step limit {steps})")
    figure.tight_layout()
    replace_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=100))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=seeds, default=seeds("0-15"))
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--policies", nargs="+", choices=POLICIES, default=list(POLICIES))
    parser.add_argument("--jobs", type=int, default=1, help="lives played at once (processes)")
    parser.add_argument("--rules", nargs="+", default=["crafter"],
                        help="the worlds' rules: 'crafter' (default), variants from 'onelife variants' or JSON files")
    parser.add_argument("--out", default=None, help="also write everything here as JSON")
    parser.add_argument("--plot", type=Path, default=None, help="also draw survival and achievements here (PNG)")
    parser.add_argument("--markdown", action="store_true", help="also print the per-group figures as Markdown")
    args = parser.parse_args()
    if args.steps < 1 or args.jobs < 1:
        parser.error("--steps and --jobs must be at least 1")
    for rules in args.rules:
        try:
            load_rules(rules)
        except RulesError as error:
            parser.error(f"--rules: {error}")

    jobs = [(policy, seed, args.steps, rules) for rules in args.rules for policy in args.policies
            for seed in args.seeds]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(tqdm(pool.map(play, jobs), total=len(jobs), desc="lives", unit="life"))
    groups = {(policy if len(args.rules) == 1 else rules if len(args.policies) == 1 else f"{rules}:{policy}"):
              [row for row in rows if row["rules"] == rules and row["policy"] == policy]
              for rules in args.rules for policy in args.policies}
    summaries = [summary(label, members) for label, members in groups.items()]
    print(f"rules {', '.join(args.rules)}; step limit {args.steps}; crafts and places: attempts (successes); "
          f"ratio: explore time / crafter_oo.step replay time")
    print(life_table(rows))
    print()
    print(summary_table(summaries))
    print()
    print("make_/place_ actions: lives where it succeeded / lives where it was tried and failed")
    print(tool_table(summaries))
    print()
    print("achievements: % of lives unlocking each")
    print(achievement_table(summaries))
    if args.markdown:
        print()
        print(markdown_table(summaries))
    if args.out is not None:
        write_json(args.out, {"rules": args.rules, "steps": args.steps, "seeds": args.seeds, "policies": args.policies,
                              "summaries": summaries, "rows": rows})
    if args.plot is not None:
        plot(args.plot, groups, args.steps)


if __name__ == "__main__":
    main()
