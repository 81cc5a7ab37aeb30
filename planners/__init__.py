"""planners: planning and decision-making agents that use any world model through one interface.

The interface (``Sampler``, ``Scorer``, ``WorldModel`` and the optional capabilities) and
the reference models are in the ``worldmodel`` package; everything here talks to models
only through it. Each agent from the literature is an algorithm module on that interface
alone and a Crafter adapter beside it: ``iwocs`` / ``iwocs_crafter``, ``subpo`` /
``subpo_crafter``, ``doc`` / ``doc_crafter``; the papers' own small problems, on which
each is checked first, are in ``small_problems``. Strategies are chains of the options in
``crafter_oo.skills.options``.
"""

from planners.baselines import RandomAgent
from planners.mcts import MCTS
from planners.option_model import OptionModel
from planners.rewards import achievement_reward, crafter_reward, survival_reward
from planners.rollouts import Estimate, rank_strategies, rollout_value, run

__all__ = [
    "MCTS", "Estimate", "OptionModel", "RandomAgent", "achievement_reward", "crafter_reward", "rank_strategies",
    "rollout_value", "run", "survival_reward",
]
