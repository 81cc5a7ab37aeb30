"""SubPO on Crafter: a feature map of the state and two submodular objectives.

"Distinct map cells seen" is weighted coverage whose footprint is the player's local view;
"diverse resources collected with demands" is Σ_k min(n_k, D_k) over the collect_*
achievements earned during the episode. Both read only the player's position and
achievement counts, so they work on states from the true game and from a learned model;
``crafter_environment`` turns any ``worldmodel.Sampler`` into a SubPO environment.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from crafter_oo.game import new_game
from crafter_oo.geometry import Pos, ahead, neighbours
from crafter_oo.rules import ACHIEVEMENTS, DIRECTIONS, ITEMS, MATERIALS, WALKABLE, Rules
from crafter_oo.state import GameConfig, WorldState
from planners.rewards import player_dead
from planners.subpo import DemandCoverage, ModelEnvironment, Objective, WeightedCoverage
from worldmodel import Sampler

# What the policy chooses among, of the game's 17 actions: enough to walk, look around and collect.
FORAGING_ACTIONS = ("noop", "move_left", "move_right", "move_up", "move_down", "do")
RESOURCES = tuple(name.removeprefix("collect_") for name in ACHIEVEMENTS if name.startswith("collect_"))
# Materials that ``do`` turns into a resource in Crafter (the features' fixed layout); grass (saplings)
# is everywhere, so the facing cell says enough.
SOURCES = tuple(material for material in Rules.crafter().collect if material != "grass")
COUNT_LEVELS = 4  # collected 0, 1, 2, 3 or more


def view_grid(config: GameConfig) -> Pos:
    """Width and height in cells of the map part of the view (the inventory takes the bottom rows)."""
    item_rows = -(-len(ITEMS) // config.view[0])
    return config.view[0], config.view[1] - item_rows


def cells_in_view(state: WorldState) -> np.ndarray:
    """Indices x · area_y + y of the map cells the player sees (the view clipped to the map)."""
    (width, height), (px, py) = view_grid(state.config), state.player.pos
    area = state.config.area
    xs = np.arange(px - width // 2, px - width // 2 + width)
    ys = np.arange(py - height // 2, py - height // 2 + height)
    xs, ys = xs[(xs >= 0) & (xs < area[0])], ys[(ys >= 0) & (ys < area[1])]
    return (xs[:, None] * area[1] + ys[None, :]).ravel()


def cells_seen(area: Pos) -> Objective:
    """F(τ) = number of distinct map cells that were in view at some step."""
    return Objective(WeightedCoverage(np.ones(area)), lambda previous, state: cells_in_view(state))


def resources_collected(demands: dict[str, int]) -> Objective:
    """F(τ) = Σ_k min(n_k, D_k), n_k = times resource k was collected during the episode."""
    unknown = sorted(set(demands) - set(RESOURCES))
    if unknown:
        raise ValueError(f"unknown resources {unknown}; expected names from {list(RESOURCES)}")
    kinds = list(demands)

    def collected(previous: WorldState | None, state: WorldState) -> np.ndarray:
        if previous is None:
            return np.zeros(len(kinds))
        now, before = state.player.achievements, previous.player.achievements
        # A learned model may sample a count that falls; that is no collection (the game never does it).
        return np.array([max(now[f"collect_{k}"] - before[f"collect_{k}"], 0) for k in kinds], dtype=float)

    return Objective(DemandCoverage(np.array([demands[k] for k in kinds], dtype=float)), collected)


class CrafterFeatures:
    """φ(s): which coarse block of the map the player is in, which neighbours it can walk to,
    the material it faces, where the nearest source of each resource in view lies (split by
    how many of that resource were collected: 0, 1, 2, 3+), and how much of each resource it
    has collected (capped at 3)."""

    def __init__(self, area: Pos, block: int = 4) -> None:
        self.area, self.block = area, block
        self.blocks = (-(-area[0] // block), -(-area[1] // block))
        self.size = (self.blocks[0] * self.blocks[1] + len(DIRECTIONS) + len(MATERIALS)
                     + len(DIRECTIONS) * len(SOURCES) * COUNT_LEVELS + len(RESOURCES))

    def __call__(self, state: WorldState) -> np.ndarray:
        if state.config.area != self.area:
            raise ValueError(f"features were built for area {self.area}, state has {state.config.area}")
        player, phi = state.player, np.zeros(self.size)
        x, y = player.pos
        phi[(x // self.block) * self.blocks[1] + y // self.block] = 1.0
        offset = self.blocks[0] * self.blocks[1]
        for i, pos in enumerate(neighbours(player.pos)):
            phi[offset + i] = float(state.material(pos) in WALKABLE and state.object_at(pos) is None)
        offset += len(DIRECTIONS)
        phi[offset + MATERIALS.index(state.material(ahead(player.pos, player.facing)))] = 1.0
        offset += len(MATERIALS)
        # A linear policy can then walk to a source only while it still wants that resource.
        levels = np.zeros((len(SOURCES), COUNT_LEVELS, 1))
        for i, source in enumerate(SOURCES):
            rule = state.config.rules.collect.get(source)
            collected = sum(player.achievements[f"collect_{item}"] for item in (rule.receive if rule else ()))
            levels[i, min(collected, COUNT_LEVELS - 1)] = 1.0
        gated = (levels * nearest_sources(state)[:, None, :]).ravel()
        phi[offset:offset + len(gated)] = gated
        offset += len(gated)
        for i, name in enumerate(RESOURCES):
            phi[offset + i] = min(player.achievements[f"collect_{name}"], COUNT_LEVELS - 1) / (COUNT_LEVELS - 1)
        return phi


def nearest_sources(state: WorldState) -> np.ndarray:
    """[source, direction]: 1 where the nearest cell of that source in view lies left/right/up/down of the player.

    Without it a policy sees only the cell it faces and cannot walk towards a tree or water.
    """
    (width, height), (px, py) = view_grid(state.config), state.player.pos
    x0, y0 = max(px - width // 2, 0), max(py - height // 2, 0)
    window = state.materials[x0:px - width // 2 + width, y0:py - height // 2 + height]
    directions = np.zeros((len(SOURCES), len(DIRECTIONS)))
    for i, source in enumerate(SOURCES):
        xs, ys = np.nonzero(window == MATERIALS.index(source))
        if not len(xs):
            continue
        dx, dy = xs + x0 - px, ys + y0 - py
        nearest = int(np.argmin(np.abs(dx) + np.abs(dy)))  # ties: the first in x-then-y order
        directions[i] = [dx[nearest] < 0, dx[nearest] > 0, dy[nearest] < 0, dy[nearest] > 0]
    return directions


def crafter_environment(model: Sampler, starts: Sequence[WorldState], horizon: int,
                        actions: Sequence[str] = FORAGING_ACTIONS) -> ModelEnvironment:
    """SubPO episodes of ``horizon`` steps in ``model`` from the given start states."""
    areas = {start.config.area for start in starts}
    if len(areas) != 1:
        raise ValueError(f"start states must share one map area, got {sorted(areas)}")
    return ModelEnvironment(model, starts, horizon, CrafterFeatures(areas.pop()), actions, terminal=player_dead)


def new_games(seeds: Sequence[int], area: Pos) -> list[WorldState]:
    """Fresh worlds (episode 1) for each seed: the start states of training or evaluation."""
    return [new_game(seed, area=area) for seed in seeds]
