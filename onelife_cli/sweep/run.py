"""One run of a sweep: explore, build the pipeline's model, fit, evaluate, written by the same
functions as ``onelife explore``, ``onelife fit`` and ``onelife evaluate``, so a run's folder is
what the single commands write:

    RUN/trajectory.jsonl, RUN/beliefs.txt (learning lives)   onelife explore --out RUN
    RUN/model.json                                           onelife fit RUN/trajectory.jsonl --out RUN/model.json
    RUN/eval/results.json, RUN/eval/mrr.png                  onelife evaluate RUN/model.json --out RUN/eval
    RUN/run.json                                             the marker: the run's settings and figures

``perform`` runs in a scratch folder on whichever machine runs the task and returns the files;
``store`` writes them into the sweep's folder, each atomically and the marker last. So a run is
complete exactly when its marker holds its settings, a cluster needs no shared file system, and
a killed attempt leaves nothing behind. The run is a pure function of its settings (all seeds
are in them), run with torch on one thread whatever process runs it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from crafter_oo import variant
from onelife.atomic import replace_atomically, write_text_atomically
from onelife.evaluation.references import REFERENCE_NAMES
from onelife.modelfile import load_model
from onelife_cli.evaluate import evaluate_into
from onelife_cli.life import explore_into, fit_into
from onelife_cli.sweep.pipelines import PIPELINES
from onelife_cli.sweep.spec import RunSpec
from worldmodel import single_threaded

MARKER = "run.json"
MODEL = "model.json"
EVALUATION = "eval"
RESULTS = "results.json"
ERROR = "error.txt"  # a failed run's traceback
FORMAT = "onelife.sweep.run/1"
CLOCKS = ("seconds", "cpu_seconds")  # the marker's timings (wall and this process's CPU): all that varies
MODEL_NAME = "model"  # the fitted model's name in results.json, as ``onelife evaluate`` names it

RunFiles = dict[str, bytes]  # path inside the run's folder -> content


def complete(folder: Path, run: RunSpec) -> dict[str, Any] | None:
    """The run's marker if ``folder`` holds the finished ``run`` (same settings), else ``None``."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and marker.get("run") == run.to_dict() else None


def perform(run: RunSpec) -> tuple[dict[str, Any], RunFiles]:
    """Do ``run`` from the start in a scratch folder; its marker and every file it wrote."""
    rules = variant(run.variant)
    start, cpu_start = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory(prefix="onelife-run-") as scratch, single_threaded():
        folder = Path(scratch)
        life, _ = explore_into(folder, run.seed, run.steps, run.policy, rules)
        model = PIPELINES[run.pipeline](life, folder)
        fit_into(model, life, folder / MODEL, run.fit.method, run.fit.steps, run.fit.seed)
        settings = run.evaluate
        result, _, _ = evaluate_into(load_model(folder / MODEL), MODEL_NAME, REFERENCE_NAMES, folder / EVALUATION,
                                     settings.scenarios, settings.trials, settings.seed, settings.published, rules)
        files = {path.relative_to(folder).as_posix(): path.read_bytes()
                 for path in sorted(folder.rglob("*")) if path.is_file()}
    marker = {"format": FORMAT, "run": run.to_dict(), "steps_played": len(life.actions), "ended": life.ended,
              "overall": result.overall, "left_out": result.left_out,
              "seconds": round(time.perf_counter() - start, 3),
              "cpu_seconds": round(time.process_time() - cpu_start, 3)}
    return marker, files


def store(folder: Path, marker: dict[str, Any], files: RunFiles) -> None:
    """Replace ``folder`` by the run's files, each written atomically, the marker last."""
    clear(folder)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(path, lambda temporary: temporary.write_bytes(content))
    write_text_atomically(folder / MARKER, json.dumps(marker, indent=1) + "\n")


def store_failure(folder: Path, details: str) -> None:
    """Replace ``folder`` by the failed run's traceback (``error.txt``)."""
    clear(folder)
    write_text_atomically(folder / ERROR, details)


def clear(folder: Path) -> None:
    """An empty ``folder`` (what an earlier, unfinished attempt left is removed)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
