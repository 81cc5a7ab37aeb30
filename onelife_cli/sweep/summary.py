"""A sweep's figures gathered from its runs' markers: ``summary.json``, the ``sweep_mrr.png`` plot
(MRR per variant and pipeline, spread over seeds) and the printed table.

A group is one (variant, policy, pipeline); its spread is over the seeds whose runs finished.
Rulebook recall is a column of the table and of every group, ``null`` until a pipeline
measures it (law induction, issue 18, brings the probes); ``NOT_MEASURED`` says why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from onelife.atomic import replace_atomically, write_text_atomically  # noqa: E402
from onelife_cli.sweep.run import MODEL_NAME  # noqa: E402
from onelife_cli.sweep.spec import RunSpec  # noqa: E402

FORMAT = "onelife.sweep.summary/1"
SUMMARY = "summary.json"
PLOT = "sweep_mrr.png"
FIGURES = ("mrr", "rank1")  # the fitted model's overall figures gathered per run
BASELINE = "null"  # the reference printed beside the model (the world does not change)
NOT_MEASURED = {"rulebook_recall": "the sweep does not run the rulebook probes yet; "
                                   "benchmarks/induction.py does, per seed and variant"}


def summarise(runs: list[RunSpec], markers: Mapping[str, dict[str, Any]],
              failures: Mapping[str, str]) -> dict[str, Any]:
    """Every run's figures or error, and per group the mean, std (ddof 0), min and max over seeds."""
    rows = []
    for run in runs:
        row: dict[str, Any] = {"run": run.name, "seed": run.seed, "variant": run.variant, "policy": run.policy,
                               "pipeline": run.pipeline}
        if run.name in markers:
            overall = markers[run.name]["overall"]
            row.update(status="finished", **{f: overall[MODEL_NAME][f]["mean"] for f in FIGURES},
                       null_mrr=overall[BASELINE]["mrr"]["mean"], steps_played=markers[run.name]["steps_played"],
                       rulebook_recall=None)
        else:
            row.update(status="failed" if run.name in failures else "not run", error=failures.get(run.name))
        rows.append(row)
    groups = []
    for key in dict.fromkeys((r.variant, r.policy, r.pipeline) for r in runs):
        members = [row for row in rows if (row["variant"], row["policy"], row["pipeline"]) == key]
        finished = [row for row in members if row["status"] == "finished"]
        group: dict[str, Any] = dict(zip(("variant", "policy", "pipeline"), key))
        group.update(runs=len(members), finished=len(finished), seeds=[row["seed"] for row in finished],
                     rulebook_recall=None)
        for figure in (*FIGURES, "null_mrr"):
            values = np.array([row[figure] for row in finished])
            group[figure] = (None if not finished else
                             {"mean": round(float(values.mean()), 6), "std": round(float(values.std()), 6),
                              "min": float(values.min()), "max": float(values.max())})
        groups.append(group)
    counts = {status: sum(row["status"] == status for row in rows) for status in ("finished", "failed", "not run")}
    return {"format": FORMAT, "counts": counts, "groups": groups, "runs": rows, "not_measured": NOT_MEASURED}


def write_summary(summary: dict[str, Any], folder: Path) -> Path:
    """Write ``summary.json`` into ``folder`` atomically."""
    return write_text_atomically(folder / SUMMARY, json.dumps(summary, indent=1) + "\n")


def format_table(summary: dict[str, Any]) -> str:
    """One line per group: runs finished, the model's MRR and rank@1 (mean ± std over seeds),
    the null model's MRR, rulebook recall; then every failed run with its error."""
    header = (f"{'variant':<16} {'policy':<9} {'pipeline':<9} {'done':>5}  {'MRR':>15}  {'rank@1':>15}  "
              f"{'null MRR':>8}  {'recall':>6}")
    lines = [header, "-" * len(header)]
    for g in summary["groups"]:
        def spread(figure: str) -> str:
            """The group's mean ± std over seeds, or '-' when no run finished."""
            return "-" if g[figure] is None else f"{g[figure]['mean']:.3f} ± {g[figure]['std']:.3f}"
        null = "-" if g["null_mrr"] is None else f"{g['null_mrr']['mean']:.3f}"
        recall = "n/a" if g["rulebook_recall"] is None else f"{g['rulebook_recall']:.2f}"
        lines.append(f"{g['variant']:<16} {g['policy']:<9} {g['pipeline']:<9} {g['finished']:>2}/{g['runs']:<2}  "
                     f"{spread('mrr'):>15}  {spread('rank1'):>15}  {null:>8}  {recall:>6}")
    failed = [row for row in summary["runs"] if row["status"] == "failed"]
    if failed:
        lines.append(f"failed runs ({len(failed)}):")
        lines += [f"  {row['run']}: {row['error']}" for row in failed]
    lines.append(f"recall n/a: {NOT_MEASURED['rulebook_recall']}")
    return "\n".join(lines)


def plot_mrr(summary: dict[str, Any], folder: Path) -> Path:
    """Write ``sweep_mrr.png``: per variant one bar per (policy, pipeline), the mean MRR over
    seeds with a ±std bar, every seed's run as a dot, the null model's mean as a tick."""
    path = folder / PLOT
    variants = list(dict.fromkeys(g["variant"] for g in summary["groups"]))
    series = list(dict.fromkeys((g["policy"], g["pipeline"]) for g in summary["groups"]))
    width = 0.8 / len(series)
    figure, axes = plt.subplots(figsize=(max(6.0, 1.4 * len(variants) * max(1, len(series)) ** 0.5 + 2), 4.5))
    for k, (policy, pipeline) in enumerate(series):
        offset = (k - (len(series) - 1) / 2) * width
        for i, name in enumerate(variants):
            group = next((g for g in summary["groups"] if (g["variant"], g["policy"], g["pipeline"])
                          == (name, policy, pipeline)), None)
            if group is None or group["mrr"] is None:
                continue
            x = i + offset
            axes.bar(x, group["mrr"]["mean"], width * 0.9, yerr=group["mrr"]["std"], capsize=3,
                     color=f"C{k}", label=f"{pipeline} ({policy})" if i == 0 else None)
            seeds = [r["mrr"] for r in summary["runs"] if r["status"] == "finished"
                     and (r["variant"], r["policy"], r["pipeline"]) == (name, policy, pipeline)]
            axes.scatter([x] * len(seeds), seeds, s=12, color="black", zorder=3)
            axes.hlines(group["null_mrr"]["mean"], x - width * 0.45, x + width * 0.45, colors="grey",
                        linestyles="dashed", label="null model" if (i, k) == (0, 0) else None)
    axes.set_xticks(range(len(variants)))
    axes.set_xticklabels(variants, rotation=20, fontsize=8)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("overall MRR of the true next state")
    axes.set_title("Sweep: MRR per variant and pipeline, mean ± std over seeds (dots: seeds)", fontsize=10)
    axes.legend(fontsize=8)
    figure.tight_layout()
    replace_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=110))
    plt.close(figure)
    return path
