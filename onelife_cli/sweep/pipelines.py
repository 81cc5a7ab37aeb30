"""The sweep's pipelines: how a run turns its life into the (unfitted) model that ``onelife fit``
fits. A pipeline is one function in ``PIPELINES``; adding one is a function and a line here.

``library``: the hand-written Crafter law library (``onelife fit`` without ``--laws``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from onelife.library import default_model
from onelife.model import LawModel
from onelife.trajectory import Trajectory

# (the run's life, the run's folder) -> the model to fit; a pipeline may write files of its own
# (say, induced laws) into the run's folder.
Pipeline = Callable[[Trajectory, Path], LawModel]


def library(life: Trajectory, folder: Path) -> LawModel:
    """The hand-written law library, whatever the life."""
    return default_model()


PIPELINES: dict[str, Pipeline] = {"library": library}
