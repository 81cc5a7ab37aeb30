"""The learning explorer: a player that learns Crafter's rules from its own life.

``perception`` is the only module that reads a ``WorldState``; everything else works on
what the player saw and remembers. See ``policy`` for how it decides.
"""

from onelife.explorer.policy import LearningPolicy

__all__ = ["LearningPolicy"]
