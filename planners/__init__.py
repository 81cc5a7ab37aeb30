"""planners: planning and decision-making agents that use any world model through one interface.

The interface (``WorldModel`` and its optional capabilities) is in ``planners.interface``;
everything else here talks to models only through it. The agents from the literature live
in their own modules: ``planners.iwocs``, ``planners.subpo``, ``planners.doc``.
"""

from planners.baselines import NullModel, RandomAgent
from planners.interface import Action, HasNextDistribution, HasPosterior, HasPosteriorCoordinates, TrueModel, WorldModel
from planners.macro import OptionModel
from planners.mcts import MCTS
from planners.options import (
    Attack,
    Chain,
    Collect,
    Craft,
    Flee,
    Goal,
    GoTo,
    Option,
    Place,
    Sleep,
    Wait,
    Walk,
    crafter_options,
    path_to,
)
from planners.rewards import achievement_reward, crafter_reward, survival_reward
from planners.rollouts import Estimate, rank_strategies, rollout_value, run

__all__ = [
    "MCTS", "Action", "Attack", "Chain", "Collect", "Craft", "Estimate", "Flee", "Goal", "GoTo",
    "HasNextDistribution", "HasPosterior", "HasPosteriorCoordinates", "NullModel", "Option", "OptionModel",
    "Place", "RandomAgent", "Sleep", "TrueModel", "Wait", "Walk", "WorldModel", "achievement_reward",
    "crafter_options", "crafter_reward", "path_to", "rank_strategies", "rollout_value", "run",
    "survival_reward",
]
