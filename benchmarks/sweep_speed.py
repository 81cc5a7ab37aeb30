"""Speed of ``onelife sweep`` on Ray against the same sweep run serially, in one run.

The sweep: 8 runs (seeds 0-3 x the crafter and short_days worlds, the learning explorer, the
library pipeline), each a 600-step life, a MAP fit and an evaluation on every scenario with 2
trials. It runs first with ``--serial`` (in this process), then on Ray (a local Ray on
``--cpus`` cores, or the cluster at ``--address`` / ``RAY_ADDRESS``); the Ray time includes
starting Ray and its workers. Prints both times and the speed-up, checks that every run's
``results.json`` is byte-identical between the two, and writes ``results/sweep_speed.json``.
The machine is shared: it also prints the load average before and after, and per mode the
runs' summed wall and CPU seconds (from their markers), whose ratio is the share of a core
a run got: under other people's load the speed-up measures the load, not Ray.

    python benchmarks/sweep_speed.py [--cpus 2] [--address HOST:6379]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from common import write_json

from onelife_cli.main import main as onelife
from onelife_cli.sweep.run import EVALUATION, MARKER, RESULTS
from onelife_cli.sweep.spec import parse_spec

SPEC = """\
seeds = [0, 1, 2, 3]
variants = ["crafter", "short_days"]
policies = ["learning"]
pipelines = ["library"]
steps = 600

[fit]
method = "map"

[evaluate]
trials = 2
"""


def timed_sweep(spec: Path, out: Path, *options: str) -> float:
    """Wall time of ``onelife sweep SPEC --out OUT OPTIONS`` run from scratch."""
    start = time.perf_counter()
    status = onelife(["sweep", str(spec), "--out", str(out), *options])
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"sweep_speed: the sweep {' '.join(options)} failed (status {status})")
    return seconds


def run_clocks(folder: Path, runs: list[str]) -> dict[str, float]:
    """The runs' summed wall and CPU seconds, read from their markers."""
    markers = [json.loads((folder / run / MARKER).read_text(encoding="utf-8")) for run in runs]
    return {clock: round(sum(marker[clock] for marker in markers), 1) for clock in ("seconds", "cpu_seconds")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="results/sweep_speed", help="folder of the two sweeps")
    parser.add_argument("--cpus", type=int, default=2, help="cores of the local Ray (default 2)")
    parser.add_argument("--address", help="a Ray cluster to run the Ray sweep on (default: RAY_ADDRESS, "
                                           "else a local Ray)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    spec = out / "sweep.toml"
    spec.write_text(SPEC, encoding="utf-8")
    runs = [run.name for run in parse_spec(SPEC).runs()]
    for name in ("serial", "ray"):
        if (out / name).exists():
            raise SystemExit(f"sweep_speed: {out / name} exists; remove it to time the sweep from scratch")
    load_before = os.getloadavg()
    serial_seconds = timed_sweep(spec, out / "serial", "--serial")
    ray_options = ["--address", args.address] if args.address else ["--cpus", str(args.cpus)]
    ray_seconds = timed_sweep(spec, out / "ray", *ray_options)
    identical = all((out / "serial" / run / EVALUATION / RESULTS).read_bytes()
                    == (out / "ray" / run / EVALUATION / RESULTS).read_bytes() for run in runs)
    load_after = os.getloadavg()
    speedup = serial_seconds / ray_seconds
    clocks = {mode: run_clocks(out / mode, runs) for mode in ("serial", "ray")}
    print(f"{len(runs)} runs: serial {serial_seconds:.1f} s, on Ray ({' '.join(ray_options)}) {ray_seconds:.1f} s: "
          f"speed-up {speedup:.2f}x; every run's results.json identical: {identical}")
    for mode, clock in clocks.items():
        print(f"  {mode}: the runs' wall time summed {clock['seconds']:.0f} s, their CPU time "
              f"{clock['cpu_seconds']:.0f} s (a run got {clock['cpu_seconds'] / clock['seconds']:.0%} of a core)")
    print(f"  load average (1, 5, 15 min) before {tuple(round(x, 1) for x in load_before)}, "
          f"after {tuple(round(x, 1) for x in load_after)}, on {os.cpu_count()} cores")
    write_json(out / "sweep_speed.json", {"runs": len(runs), "serial_seconds": round(serial_seconds, 2),
                                          "ray_seconds": round(ray_seconds, 2), "speedup": round(speedup, 3),
                                          "ray": " ".join(ray_options), "identical_results": identical,
                                          "run_clocks": clocks, "load_before": load_before,
                                          "load_after": load_after, "spec": SPEC})
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
