"""The sweep's pipelines: how a run turns its life into the (unfitted) model that ``onelife fit``
fits. A pipeline is one function in ``PIPELINES``; adding one is a function and a line here.

``library``: the hand-written Crafter law library (``onelife fit`` without ``--laws``).
``induced``: laws induced from the run's own life, written to ``laws/`` in the run's folder as
``onelife induce`` writes them (``onelife fit --laws RUN/laws`` fits the same model).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from onelife.induction.files import write_law_files
from onelife.induction.induce import induce_documented
from onelife.library import default_model
from onelife.model import LawModel
from onelife.parser import load_laws
from onelife.trajectory import Trajectory

# (the run's life, the run's folder) -> the model to fit; a pipeline may write files of its own
# (say, induced laws) into the run's folder.
Pipeline = Callable[[Trajectory, Path], LawModel]


def library(life: Trajectory, folder: Path) -> LawModel:
    """The hand-written law library, whatever the life."""
    return default_model()


def induced(life: Trajectory, folder: Path) -> LawModel:
    """Laws induced from the life itself, no rulebook: written to ``laws/`` and read back, so the
    model fitted is the one the written files describe."""
    laws = folder / "laws"
    write_law_files(induce_documented(life.transitions), laws, f"seed {life.seed} ({len(life.actions)} transitions)")
    return LawModel(load_laws(laws))


PIPELINES: dict[str, Pipeline] = {"library": library, "induced": induced}
