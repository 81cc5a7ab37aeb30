"""The README's pictures of what a user sees, from the main job's run directory:
``mrr.png`` (re-drawn from ``eval/results.json``), one frame of the replay GIF and a screenshot
of the replay page, both at one step of the life.

    python benchmarks/readme_figures.py runs/life0 --step 449 --out benchmarks/figures

The screenshot is taken by Debian's ``chromium`` in headless mode (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from crafter_oo.panel import render_frame
from onelife.evaluation.report import plot_mrr
from onelife.evaluation.runner import EvaluationResult
from onelife.modelfile import load_model
from onelife.replay import replay_steps, write_page
from onelife.trajectory import Trajectory

CHROMIUM = "chromium"
WINDOW = (1100, 600)


def redraw_mrr(run: Path, out: Path) -> Path:
    """``mrr.png`` of the run's evaluation, drawn again into ``out``."""
    data = json.loads((run / "eval" / "results.json").read_text(encoding="utf-8"))
    result = EvaluationResult(data["settings"], data["models"], data["scenario_info"], data["trials"],
                              data["left_out"])
    return plot_mrr(result, out)


def replay_frame(life: Trajectory, step: int, out: Path) -> Path:
    """The GIF's frame of ``step`` as a PNG."""
    action = life.actions[step] if step < len(life.actions) else None
    path = out / "replay_frame.png"
    Image.fromarray(render_frame(life.states[step], action)).save(path, optimize=True)
    return path


def page_screenshot(life: Trajectory, run: Path, step: int, out: Path) -> Path:
    """A headless Chromium's screenshot of the replay page opened at ``step``."""
    model_path = run / "model.json"
    steps = replay_steps(life, load_model(model_path))
    path = out / "replay_page.png"
    with tempfile.TemporaryDirectory() as work:
        page = write_page(life, steps, str(model_path), Path(work) / "life.html")
        subprocess.run([shutil.which(CHROMIUM) or CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", f"--user-data-dir={work}/profile",
                        "--hide-scrollbars", f"--window-size={WINDOW[0]},{WINDOW[1]}",
                        f"--screenshot={path.resolve()}", f"{page.resolve().as_uri()}#step={step}"],
                       check=True, capture_output=True, timeout=120)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", help="the main job's run directory (trajectory.jsonl, model.json, eval/)")
    parser.add_argument("--step", type=int, default=449, help="the life's step shown (default 449)")
    parser.add_argument("--out", default="benchmarks/figures", help="where the pictures go")
    args = parser.parse_args()
    run, out = Path(args.run), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    life = Trajectory.load(run / "trajectory.jsonl")
    if not 0 <= args.step < len(life.states):
        parser.error(f"--step must be in 0..{len(life.states) - 1} for this life")
    for path in (redraw_mrr(run, out), replay_frame(life, args.step, out), page_screenshot(life, run, args.step, out)):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
