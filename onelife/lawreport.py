"""A fitted model as people read it: per topic (the law file), each law's weight and its
parameters' medians with 90% intervals, each rival law beside the law it competes with.

``law_report`` is what ``onelife fit`` prints after fitting and ``onelife laws MODEL`` prints
from a saved model. Intervals come from posterior draws (a MAP model shows its values only).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from onelife.fitting import draw
from onelife.law import Law
from onelife.library import COMPETITORS, RIVALS, library_laws
from onelife.model import LawModel
from onelife.parameters import DTYPE

INTERVAL = (0.05, 0.95)  # the quantiles of the printed intervals
DRAWS = 400  # posterior draws behind each interval
NAME_WIDTH = 40
FRAME_TOPIC = "frame (how often an attribute no law speaks about changes)"
OTHER_TOPIC = "laws of the model file"


def law_topics() -> dict[str, str]:
    """The library's law names -> their topic: the rulebook file, the competitor's for a rival."""
    topics = {}
    for law in library_laws():
        if Path(law.source).parent.name != RIVALS:
            topics[law.name] = Path(law.source).name
    topics.update({wrong: topics[right] for wrong, right in COMPETITORS.items()})
    return topics


def topic_of(law: Law, library: dict[str, str]) -> str:
    """A law's topic: the .law file it was read from (a rival's file shares its competitor's
    name); for a law of an older model file that does not record it, its library file."""
    path = Path(law.source.split("#")[0])
    if path.suffix == ".law":
        return path.name
    return library.get(law.name, OTHER_TOPIC)


def posterior_draws(model: LawModel, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``n`` posterior draws of every site at once: ``(n,)`` per scalar, ``(n, size)`` per Dirichlet."""
    assert model.posterior is not None
    normals = {name: torch.as_tensor(rng.standard_normal((n, size)), dtype=DTYPE)
               for name, size in model.coordinate_sizes().items()}
    with torch.no_grad():
        return {name: value.numpy() for name, value in draw(model.sites, model.posterior, normals).items()}


def _figure(values: Sequence[float], median: float) -> str:
    """``median [low, high]`` from draws, or the value alone without draws."""
    if not len(values):
        return f"{median:.3g}"
    low, high = np.quantile(values, INTERVAL)
    return f"{median:.3g} [{low:.3g}, {high:.3g}]"


def law_report(model: LawModel, rng: np.random.Generator, transitions: int | None = None) -> str:
    """The grouped report of ``model`` (``transitions``: how many it was fitted to, if known)."""
    values = model.parameters()
    draws = posterior_draws(model, DRAWS, rng) if model.posterior is not None else {}

    def rows(site: str, label: str, indent: str, kind: str = "") -> list[str]:
        value = values[site]
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        return [f"{indent}{label + ('' if i is None else f'[{i}]'):<{NAME_WIDTH - len(indent)}}{kind:<8}"
                + _figure(draws[site] if i is None else draws[site][:, i], v) if draws else _figure([], v)
                for i, v in items]

    def law_rows(law: Law, indent: str, label: str) -> list[str]:
        return rows(f"{law.name}.weight", label, indent, "weight") + [
            line for param in law.params for line in rows(f"{law.name}.{param.name}", param.name, indent + "    ")]

    source = f"fitted on {transitions} transitions; " if transitions is not None else ""
    kind = (f"median [90% interval] of {DRAWS} posterior draws" if draws
            else "MAP values (no posterior: fitted with --method map)")
    lines = [f"{source}{kind}",
             f"{len(model.laws)} laws by topic; each rival law under the law it competes with, and the"
             f" ratio of their weights"]
    library = law_topics()
    by_topic: dict[str, list[Law]] = {}
    for law in model.laws:
        by_topic.setdefault(topic_of(law, library), []).append(law)
    laws_by_name = {law.name: law for law in model.laws}
    for topic, laws in by_topic.items():
        lines += ["", topic]
        for law in laws:
            if law.name in COMPETITORS and COMPETITORS[law.name] in laws_by_name:
                continue  # shown under its competitor
            lines += law_rows(law, "  ", law.name)
            for wrong, right in COMPETITORS.items():
                if right == law.name and wrong in laws_by_name:
                    lines += law_rows(laws_by_name[wrong], "    ", f"rival {wrong}")
                    ratio = values[f"{wrong}.weight"] / values[f"{law.name}.weight"]
                    lines.append(f"{'':<{NAME_WIDTH}}{'ratio':<8}{ratio:.3g} x the weight of {law.name}")
    frame_sites = [name for name in values if name.startswith("frame.")]
    if frame_sites:
        lines += ["", FRAME_TOPIC]
        for site in frame_sites:
            lines += rows(site, site.split(".", 1)[1], "  ")
    return "\n".join(lines)
