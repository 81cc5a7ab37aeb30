"""planners: planning and decision-making agents that use any world model through one interface."""

from planners.interface import HasNextDistribution, HasPosterior, TrueModel, WorldModel
from planners.rewards import achievement_reward, crafter_reward, survival_reward

__all__ = ["HasNextDistribution", "HasPosterior", "TrueModel", "WorldModel",
           "achievement_reward", "crafter_reward", "survival_reward"]
