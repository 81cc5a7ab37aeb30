"""DoC on Crafter: a night in a stone nook, where sleeping at once is luck and closing the nook is skill.

``NightCamp`` implements ``planners.doc.RewardEnvironment``, so ``doc.collect``,
``doc.train_doc`` (whose negatives are K further draws from the same ``step`` at the same
state and action) and ``doc.evaluate`` run on it unchanged. It draws every transition
from a ``worldmodel.Sampler``: the fitted one-life model for training data and negatives,
the true game (``TrueModel(resample_chance=True)``) for scoring.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crafter_oo.edit import add_creature, blank_world, place_material, set_achievements, set_inventory, set_step
from crafter_oo.state import WorldState
from planners.doc import BehaviourPolicy
from planners.rewards import crafter_reward, player_dead
from worldmodel import Sampler

NIGHT_ACTIONS: tuple[str, ...] = ("noop", "sleep", "place_stone", "move_down")


@dataclass(frozen=True, slots=True)
class NightCamp:
    """Night falls on a tired player in a stone nook open to the south, a zombie somewhere out on the grass.

    Sleeping at once pays (the ``wake_up`` achievement) only if the zombie does not find the
    sleeper: luck. Closing the nook with the stone in hand and then sleeping pays the same,
    always: skill. Reward is Crafter's own (achievements + health change / 10); every transition is
    drawn from ``model``.
    """

    model: Sampler
    horizon: int = 20
    area: tuple[int, int] = (20, 20)
    start_step: int = 150  # night is steps 148-272
    energy: int = 8
    n_actions: int = len(NIGHT_ACTIONS)

    def reset(self, rng: np.random.Generator) -> WorldState:
        state = blank_world(area=self.area, facing=(0, 1), seed=int(rng.integers(0, 2**31 - 1)))
        x, y = state.player.pos
        for dx, dy in ((1, 0), (-1, 0), (0, -1)):
            state = place_material(state, (x + dx, y + dy), "stone")
        state = set_inventory(set_step(state, self.start_step), energy=self.energy, stone=1)
        # Placing stone is an old achievement here, so shelter and luck pay the same wake_up.
        state = set_achievements(state, place_stone=1)
        # The zombie starts just beyond its chase range (8) and wanders until it is close.
        dx = int(rng.integers(4, 6)) * int(rng.choice((-1, 1)))
        return add_creature(state, "zombie", (x + dx, y + 5))

    def step(self, state: WorldState, action: int, rng: np.random.Generator) -> tuple[WorldState, float, bool]:
        if not 0 <= action < len(NIGHT_ACTIONS):
            raise ValueError(f"NightCamp: action {action!r} is not one of 0..{len(NIGHT_ACTIONS) - 1} {NIGHT_ACTIONS}")
        name = NIGHT_ACTIONS[action]
        nxt = self.model.sample(state, name, rng)
        over = player_dead(nxt) or nxt.step - self.start_step >= self.horizon
        return nxt, crafter_reward(state, name, nxt), over

    def observe(self, state: WorldState) -> np.ndarray:
        player = state.player
        x, y = player.pos
        fx, fy = x + player.facing[0], y + player.facing[1]
        open_sides = sum(state.material((x + dx, y + dy)) == "grass" for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)))
        zombies = [zombie.pos for _, zombie in state.creatures("zombie")]
        near = min(zombies, key=lambda p: abs(p[0] - x) + abs(p[1] - y)) if zombies else None
        zx, zy = (near[0] - x, near[1] - y) if near else (0, 0)
        return np.array([player.health / 9, player.inventory["energy"] / 9, float(player.sleeping),
                         float(state.material((fx, fy)) == "grass"), open_sides / 4,
                         float(near is not None), zx / 10, zy / 10, (abs(zx) + abs(zy)) / 20,
                         (state.step - self.start_step) / self.horizon], dtype=np.float32)


def night_behaviour(kind: str) -> BehaviourPolicy:
    """The data's behaviour policies: ``sleeper`` (sleeps at once), ``builder`` (closes the nook, then sleeps), ``wanderer`` (uniform)."""
    def sleeper(state: WorldState, rng: np.random.Generator) -> int:
        return NIGHT_ACTIONS.index("sleep")

    def builder(state: WorldState, rng: np.random.Generator) -> int:
        return NIGHT_ACTIONS.index("place_stone" if state.player.inventory["stone"] > 0 else "sleep")

    def wanderer(state: WorldState, rng: np.random.Generator) -> int:
        return int(rng.integers(len(NIGHT_ACTIONS)))

    policies = {"sleeper": sleeper, "builder": builder, "wanderer": wanderer}
    if kind not in policies:
        raise ValueError(f"night_behaviour: unknown kind {kind!r}; expected one of {sorted(policies)}")
    return policies[kind]
