"""Reporting an ``EvaluationResult``: a text table, ``results.json`` and the ``mrr.png`` chart.

Files are written to a temporary name in the output directory and renamed, so a reader
never sees half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from onelife.atomic import replace_atomically, write_text_atomically  # noqa: E402
from onelife.evaluation.metrics import METRICS  # noqa: E402
from onelife.evaluation.runner import EvaluationResult  # noqa: E402

SHORT = {"rank1": "rank@1", "mrr": "MRR", "normalized_recall": "recall", "edit_distance": "edit",
         "edit_distance_normalized": "edit/n", "patch_iou": "IoU"}


def format_table(result: EvaluationResult) -> str:
    """Scenario rows; for each metric one column per model (means over trials); then overall."""
    models = result.models
    width = max(len(s) for s in [*result.scenarios, "overall"]) + 1
    cell = max(8, *(len(m) + 1 for m in models))
    header1 = " " * width + "".join(f"| {SHORT[m]:<{cell * len(models) - 2}}" for m in METRICS)
    header2 = f"{'scenario':<{width}}" + "".join("|" + "".join(f"{m:>{cell}}" for m in models)[1:]
                                                   for _ in METRICS)
    lines = [header1, header2, "-" * len(header2)]
    rows = [*result.scenarios.items(), ("overall", result.overall)]
    for name, figures in rows:
        if name == "overall":
            lines.append("-" * len(header2))
        cells = "".join("|" + "".join(f"{_number(figures[m][metric]['mean']):>{cell}}" for m in models)[1:]
                        for metric in METRICS)
        lines.append(f"{name:<{width}}{cells}")
    lines.append("")
    lines.append("overall, mean ± std over trials:")
    for model in models:
        parts = ", ".join(f"{SHORT[metric]} {result.overall[model][metric]['mean']:.3f} "
                          f"± {result.overall[model][metric]['std']:.3f}" for metric in METRICS)
        lines.append(f"  {model}: {parts}")
    if result.left_out:
        lines.append(f"left out in this world ({len(result.left_out)}):")
        lines += [f"  {name}: {reason}" for name, reason in result.left_out.items()]
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"


def write_results(result: EvaluationResult, out_dir: str | os.PathLike[str]) -> Path:
    """Write ``results.json`` into ``out_dir`` (created if needed); return its path."""
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "results.json"
    text = result.to_json()
    write_text_atomically(path, text)
    return path


def plot_mrr(result: EvaluationResult, out_dir: str | os.PathLike[str]) -> Path:
    """Write ``mrr.png``: MRR per scenario, one bar per model, with std error bars."""
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "mrr.png"
    names = list(result.scenarios)
    figure, axes = plt.subplots(figsize=(max(8.0, 0.28 * len(names) + 3), 5.5))
    width = 0.8 / len(result.models)
    for k, model in enumerate(result.models):
        means = [result.scenarios[s][model]["mrr"]["mean"] for s in names]
        stds = [result.scenarios[s][model]["mrr"]["std"] for s in names]
        axes.bar([i + (k - (len(result.models) - 1) / 2) * width for i in range(len(names))], means, width,
                 yerr=stds, label=model, capsize=1)
    axes.set_xlim(-0.6, len(names) - 0.4)
    axes.set_xticks(range(len(names)))
    axes.set_xticklabels(names, rotation=90, fontsize=7)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("MRR of the true next state")
    mode = "published" if result.settings["published"] else "default"
    axes.set_title(f"State ranking per scenario ({mode} mode, {result.settings['trials']} trials, "
                   f"seed {result.settings['seed']})")
    axes.legend(fontsize=8)
    figure.tight_layout()
    replace_atomically(path, lambda temp: figure.savefig(temp, format="png", dpi=110))
    plt.close(figure)
    return path
