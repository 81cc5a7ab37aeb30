"""onelife: laws of Crafter as readable probabilistic text, and a world model built from them.

Public API: ``parse_laws``, ``load_laws``, ``Law``, ``LawModel`` (a world model made of laws),
``default_model`` (the Crafter law library), ``load_model`` / ``save_model``, ``explore`` (one
unguided life) and ``Trajectory``, ``evaluate`` (state ranking and fidelity,
``onelife.evaluation``) and the error types.
The language is described in ``onelife/LANGUAGE.md``.
"""

from onelife.builtins import LawError
from onelife.evaluation import EvaluationResult, evaluate
from onelife.explore import explore
from onelife.law import Law
from onelife.library import default_model
from onelife.model import LawModel
from onelife.modelfile import ModelFileError, load_model, save_model
from onelife.parser import LawSyntaxError, load_laws, parse_laws
from onelife.trajectory import Trajectory, TrajectoryFormatError

__all__ = ["EvaluationResult", "Law", "LawError", "LawModel", "LawSyntaxError", "ModelFileError", "Trajectory",
           "TrajectoryFormatError", "default_model", "evaluate", "explore", "load_laws", "load_model",
           "parse_laws", "save_model"]
