"""How long one curious life lasts and how much evidence it gathers, per seed (issue 4).

Usage: ``python benchmarks/exploration.py [--seeds 0-7] [--steps 2000] [--policy novelty]
[--out exploration.json]``.

Plays one life per seed with ``onelife.explore`` and prints one row per life: steps
survived, cause of death, and the evidence each stochastic constant of the game is
learned from (counted by ``onelife.analysis.mechanics``): cow turns (cow random move,
0.5), zombie-near steps (zombie chase, 0.9), ``do`` on bare grass (sapling drop, 0.1),
steps with a loaded skeleton in shooting range (skeleton shoot, 0.5), spawns and despawns
seen; then how the life was spent: crafting and placing attempts (successes in brackets),
steps asleep and the wall time of the life against ``crafter_oo.step`` replaying its
actions (the reference, same run). The last row is the median over the seeds. With
``--out``, the rows are also written as JSON (atomically).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from onelife.explore import explore  # noqa: E402
from onelife.analysis import life_cause_of_death, mechanic_counts  # noqa: E402
from onelife.trajectory import Trajectory  # noqa: E402
from common import replay_seconds, write_json  # noqa: E402  (the sibling benchmark helpers)

COLUMNS = ("seed", "steps", "death", "cow_turns", "zombie_near", "sapling_tries", "skeleton_range",
           "spawns", "despawns", "crafts", "places", "asleep", "explore_s", "ratio")


def seeds(text: str) -> list[int]:
    """``"0-7"`` or ``"0,3,5"`` as a list of seeds."""
    try:
        if "-" in text:
            low, high = (int(part) for part in text.split("-"))
            return list(range(low, high + 1))
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seeds: expected 'A-B' or 'A,B,...' with integers, got {text!r}") from None


def evidence(life: Trajectory) -> dict[str, Any]:
    """The headline and the evidence counts of one life."""
    occurrences, _ = mechanic_counts(life)
    attempts = {kind: sum(a.startswith(kind) for a, s in zip(life.actions, life.states) if not s.player.sleeping)
                for kind in ("make_", "place_")}
    successes = {kind: sum(n for name, n in occurrences.items() if name.startswith(kind))
                 for kind in ("make_", "place_")}
    return {
        "seed": life.seed, "steps": life.steps_survived,
        "death": life_cause_of_death(life) if life.ended == "died" else "-",
        "cow_turns": occurrences["cow_turn"], "zombie_near": occurrences["zombie_near"],
        "sapling_tries": occurrences["sapling_attempt"], "skeleton_range": occurrences["skeleton_in_range"],
        "spawns": sum(n for name, n in occurrences.items() if name.startswith("spawn_")),
        "despawns": sum(n for name, n in occurrences.items() if name.startswith("despawn_")),
        "crafts": f"{attempts['make_']} ({successes['make_']})",
        "places": f"{attempts['place_']} ({successes['place_']})",
        "asleep": sum(s.player.sleeping for s in life.states[1:]),
    }


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as aligned text, then their median row."""
    numeric = [c for c in COLUMNS if c != "seed" and all(isinstance(r[c], (int, float)) for r in rows)]
    median = {c: (round(statistics.median(r[c] for r in rows), 2) if c in numeric else "") for c in COLUMNS}
    median["seed"] = "median"
    widths = {c: max(len(c), *(len(str(r[c])) for r in [*rows, median])) for c in COLUMNS}
    lines = ["  ".join(f"{c:>{widths[c]}}" for c in COLUMNS)]
    lines += ["  ".join(f"{str(r[c]):>{widths[c]}}" for c in COLUMNS) for r in [*rows, median]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=seeds, default=seeds("0-7"))
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--policy", choices=("novelty", "random"), default="novelty")
    parser.add_argument("--out", default=None, help="also write the rows here as JSON")
    args = parser.parse_args()

    rows = []
    for seed in tqdm(args.seeds, desc="lives", unit="life"):
        start = time.perf_counter()
        life = explore(seed, args.steps, args.policy)
        seconds = time.perf_counter() - start
        row = evidence(life)
        row["explore_s"] = round(seconds, 1)
        row["ratio"] = round(seconds / replay_seconds(life), 1)
        rows.append(row)
    print(f"policy {args.policy}, step limit {args.steps}; crafts and places: attempts (successes); "
          f"ratio: explore time / crafter_oo.step replay time")
    print(table(rows))
    if args.out is not None:
        write_json(args.out, {"policy": args.policy, "steps": args.steps, "rows": rows})


if __name__ == "__main__":
    main()
