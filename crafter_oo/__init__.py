"""crafter_oo: Crafter 1.8.3 as an object-oriented state and a pure transition function,
with its rules as a value (``Rules``) so worlds with other rules are one argument away."""

from crafter_oo.convert import from_crafter, to_crafter
from crafter_oo.game import new_game
from crafter_oo.rule_files import load_rules, variant, variants
from crafter_oo.rules import ACTIONS, ACHIEVEMENTS, ITEMS, MATERIALS, Rules, RulesError
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
from crafter_oo.gym_env import register as _register_gymnasium_env

_register_gymnasium_env()  # gymnasium.make("crafter_oo/Crafter-v0")

__all__ = [
    "ACTIONS", "ACHIEVEMENTS", "ITEMS", "MATERIALS", "Arrow", "Cow", "GameConfig", "Player",
    "Plant", "RngState", "Rules", "RulesError", "Skeleton", "StateFormatError", "StepResult",
    "WorldState", "Zombie", "daylight_at", "from_crafter", "load_rules", "new_game", "step",
    "to_crafter", "variant", "variants",
]
