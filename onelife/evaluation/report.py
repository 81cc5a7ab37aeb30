"""Reporting an ``EvaluationResult``: a text table, ``results.json`` and the ``mrr.png`` chart.

Files are written to a temporary name in the output directory and renamed, so a reader
never sees half a file.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from onelife.atomic import replace_atomically, write_text_atomically  # noqa: E402
from onelife.evaluation.metrics import METRICS  # noqa: E402
from onelife.evaluation.runner import EvaluationResult  # noqa: E402

SHORT = {"rank1": "rank@1", "mrr": "MRR", "normalized_recall": "recall", "edit_distance": "edit",
         "edit_distance_normalized": "edit/n", "patch_iou": "IoU"}
REFERENCE = "ceiling"  # what the model's gaps are measured to: the game's own chance, marginalised
GAP = "gap"  # the MRR block's last column: the ceiling's MRR minus the evaluated model's
GAP_WIDTH = 8
WORST_SHOWN = 5  # scenarios listed in the summary, largest gap first
UNSCORABLE = "unscorable candidates (refused as outside what the model's laws represent; ranked last)"
WIDTH = 100  # the summary's columns


def evaluated_model(result: EvaluationResult) -> str:
    """The model the evaluation is about: the first one (the references follow it)."""
    return result.models[0]


def has_ceiling(result: EvaluationResult) -> bool:
    """Whether the true-distribution ceiling was evaluated beside another model."""
    return REFERENCE in result.models and evaluated_model(result) != REFERENCE


def unresolved(result: EvaluationResult) -> list[str]:
    """Scenarios where the ceiling's draws left too much probability undrawn: rare outcomes
    (a spawn on one of many cells) it scores as impossible, so its MRR there is a lower bound."""
    return [name for name, info in result.scenario_info.items()
            if info.get(f"{REFERENCE}_draws", {}).get("unresolved", 0)]


def mrr_gaps(result: EvaluationResult) -> dict[str, float]:
    """Per scenario, the ceiling's MRR minus the evaluated model's (its shortfall from a
    perfect 1 when there is no ceiling), largest first."""
    model, ceiling = evaluated_model(result), has_ceiling(result)
    gaps = {name: (figures[REFERENCE]["mrr"]["mean"] if ceiling else 1.0) - figures[model]["mrr"]["mean"]
            for name, figures in result.scenarios.items()}
    return dict(sorted(gaps.items(), key=lambda item: -item[1]))


def format_summary(result: EvaluationResult) -> str:
    """What a user reads first, within 100 columns: each model's overall figures, the gap to the
    true-distribution ceiling, the worst scenarios beside the references, and unscorable candidates."""
    model, settings = evaluated_model(result), result.settings
    mode = "published (mutate s)" if settings["published"] else "default (mutate s')"
    lines = [f"{len(result.scenarios)} scenarios x {settings['trials']} trials, seed {settings['seed']}, "
             f"{mode}; overall, mean ± std over trials:"]
    width = max(len(m) for m in result.models) + 2
    for name in result.models:
        figures = result.overall[name]
        lines.append(f"  {name:<{width}}" + "  ".join(
            f"{SHORT[metric]} {figures[metric]['mean']:.3f} ± {figures[metric]['std']:.3f}"
            for metric in ("rank1", "mrr")) + f"  recall {figures['normalized_recall']['mean']:.3f}"
            f"  edit {figures['edit_distance']['mean']:.2f}  IoU {figures['patch_iou']['mean']:.3f}")
    gaps = mrr_gaps(result)
    others = [m for m in result.models if m != model]
    if has_ceiling(result):
        overall_gap = result.overall[REFERENCE]["mrr"]["mean"] - result.overall[model]["mrr"]["mean"]
        lines.append(f"MRR gap to the ceiling (the game's own chance): {overall_gap:.3f} overall; the largest:")
        lower_bounds = unresolved(result)
        if lower_bounds:
            lines.append(textwrap.fill(f"(ceiling unresolved, a lower bound, in: {', '.join(lower_bounds)})",
                                       WIDTH, subsequent_indent="  "))
    else:
        lines.append("scenarios with the lowest MRR:")
    name_width = max(len(n) for n in list(gaps)[:WORST_SHOWN]) + 2
    shown = [model, *others][:6]
    lines.append(f"  {'scenario (MRR)':<{name_width}}" + "".join(f"{m:>10}" for m in shown))
    for name in list(gaps)[:WORST_SHOWN]:
        lines.append(f"  {name:<{name_width}}" + "".join(
            f"{result.scenarios[name][m]['mrr']['mean']:>10.3f}" for m in shown))
    unscorable = {m: result.overall[m]["unscorable_candidates"] for m in result.models
                  if result.overall[m]["unscorable_candidates"]}
    if unscorable:
        counts = ", ".join(f"{m} {count}" for m, count in unscorable.items())
        lines.append(textwrap.fill(f"{UNSCORABLE}: {counts}", WIDTH, subsequent_indent="  "))
    if result.left_out:
        lines.append(textwrap.fill(f"left out in this world ({len(result.left_out)}): "
                                   f"{', '.join(result.left_out)}", WIDTH, subsequent_indent="  "))
    return "\n".join(lines)


def format_table(result: EvaluationResult) -> str:
    """Every figure: one block per metric, a row per scenario and a column per model (means over
    trials), each block ending with the overall row; the MRR block ends with the evaluated
    model's gap to the ceiling; the reasons for left-out scenarios."""
    models, model, lower_bounds = result.models, evaluated_model(result), unresolved(result)
    width = max(len(s) for s in [*result.scenarios, "scenario"]) + 2
    cells = {m: max(8, len(m) + 2) for m in models}
    lines = []
    for metric in METRICS:
        gap = metric == "mrr" and has_ceiling(result)
        header = f"{SHORT[metric] + ' per scenario':<{width}}" + "".join(f"{m:>{cells[m]}}" for m in models) \
            + (f"{GAP:>{GAP_WIDTH}}" if gap else "")
        lines += [header, "-" * len(header)]
        rows = [*result.scenarios.items(), ("overall", result.overall)]
        for name, figures in rows:
            lines.append(f"{name:<{width}}" + "".join(f"{_number(figures[m][metric]['mean']):>{cells[m]}}"
                                                      for m in models)
                         + (f"{figures[REFERENCE][metric]['mean'] - figures[model][metric]['mean']:>+{GAP_WIDTH}.3f}"
                            + ("?" if name in lower_bounds else "") if gap else ""))
        lines.append("")
    if lower_bounds and has_ceiling(result):
        lines.append(textwrap.fill("?: the ceiling is unresolved there (its draws left rare outcomes undrawn, "
                                   "which it scores as impossible): a lower bound", WIDTH))
    if result.left_out:
        lines.append(f"left out in this world ({len(result.left_out)}):")
        lines += [f"  {name}: {reason}" for name, reason in result.left_out.items()]
    return "\n".join(lines).rstrip("\n")


def _number(value: float) -> str:
    return f"{value:.3f}" if abs(value) < 100 else f"{value:.0f}"


def write_results(result: EvaluationResult, out_dir: str | os.PathLike[str]) -> Path:
    """Write ``results.json`` into ``out_dir`` (created if needed); return its path."""
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "results.json"
    text = result.to_json()
    write_text_atomically(path, text)
    return path


# Marks for the references on the MRR chart: marker, colour, size.
REFERENCE_MARKS: dict[str, tuple[str, str, float]] = {
    "ceiling": ("|", "tab:red", 150), "true": ("|", "black", 60), "heuristic": ("D", "tab:orange", 22),
    "random": ("x", "tab:gray", 26), "null": ("o", "tab:purple", 14),
}


def plot_mrr(result: EvaluationResult, out_dir: str | os.PathLike[str]) -> Path:
    """Write ``mrr.png``: the evaluated model's MRR per scenario as horizontal bars (± one std over
    trials, clipped to [0, 1]), the references as marks, an overall bar on top, scenarios sorted
    by the gap to the ceiling (largest first), the legend above the plot."""
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "mrr.png"
    model = evaluated_model(result)
    rows = [("overall", result.overall), *((name, result.scenarios[name]) for name in mrr_gaps(result))]
    figure, axes = plt.subplots(figsize=(8.0, 1.6 + 0.17 * len(rows)))
    positions = [0.0] + [k + 0.6 for k in range(1, len(rows))]  # a gap below the overall bar
    means = np.array([figures[model]["mrr"]["mean"] for _, figures in rows])
    stds = np.array([figures[model]["mrr"]["std"] for _, figures in rows])
    errors = [means - np.clip(means - stds, 0, 1), np.clip(means + stds, 0, 1) - means]
    colors = ["tab:blue"] * len(rows)
    colors[0] = "navy"
    axes.barh(positions, means, height=0.7, color=colors, xerr=errors, capsize=1.5,
              error_kw={"elinewidth": 0.8, "ecolor": "0.25"})
    handles = [Patch(color="tab:blue", label=f"{model} (± one std over trials)")]
    for reference in (m for m in result.models if m != model):
        marker, color, size = REFERENCE_MARKS.get(reference, ("s", "tab:green", 16))
        handles.append(axes.scatter([figures[reference]["mrr"]["mean"] for _, figures in rows], positions,
                                    marker=marker, color=color, s=size, zorder=3, linewidths=1.2, label=reference))
    axes.set_yticks(positions, [name for name, _ in rows], fontsize=7)
    axes.get_yticklabels()[0].set_fontweight("bold")
    axes.invert_yaxis()
    axes.set_xlim(0, 1.02)
    axes.set_ylim(positions[-1] + 0.8, -0.8)
    axes.set_xlabel("MRR of the true next state among the candidates")
    axes.grid(axis="x", color="0.9")
    axes.set_axisbelow(True)
    mode = "published" if result.settings["published"] else "default"
    first = "largest gap to the ceiling first" if has_ceiling(result) else "lowest first"
    axes.set_title(f"{model}: state ranking per scenario, {first}\n"
                   f"({mode} mode, {result.settings['trials']} trials, seed {result.settings['seed']})",
                   fontsize=9, pad=22)
    axes.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(handles), fontsize=7,
                frameon=False, handletextpad=0.3, columnspacing=1.2)
    figure.tight_layout()
    replace_atomically(path, lambda temp: figure.savefig(temp, format="png", dpi=100))
    plt.close(figure)
    return path
