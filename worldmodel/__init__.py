"""worldmodel: the model interface and the reference models, shared by the learner and the planners.

``onelife`` (which learns models) and ``planners`` (which use them) both import this
package and never each other; it imports only ``crafter_oo``.
"""

from worldmodel.interface import (
    Action,
    HasNextDistribution,
    HasPosterior,
    HasPosteriorCoordinates,
    Sampler,
    Scorer,
    WorldModel,
)
from worldmodel.reference import NullModel, TrueModel
from worldmodel.torch_threads import single_threaded

__all__ = [
    "Action", "HasNextDistribution", "HasPosterior", "HasPosteriorCoordinates", "NullModel", "Sampler", "Scorer",
    "TrueModel", "WorldModel", "single_threaded",
]
