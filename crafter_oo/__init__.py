"""crafter_oo: Crafter 1.8.3 as an object-oriented state and a pure transition function."""

from crafter_oo.convert import from_crafter, to_crafter
from crafter_oo.rules import ACTIONS, ACHIEVEMENTS, ITEMS, MATERIALS
from crafter_oo.state import (
    Arrow,
    Cow,
    GameConfig,
    Player,
    Plant,
    RngState,
    Skeleton,
    StateFormatError,
    WorldState,
    Zombie,
)
from crafter_oo.step import StepResult, daylight_at, step

__all__ = [
    "ACTIONS", "ACHIEVEMENTS", "ITEMS", "MATERIALS", "Arrow", "Cow", "GameConfig", "Player",
    "Plant", "RngState", "Skeleton", "StateFormatError", "StepResult", "WorldState", "Zombie",
    "daylight_at", "from_crafter", "step", "to_crafter",
]
