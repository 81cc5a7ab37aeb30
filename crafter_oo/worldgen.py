"""World generation identical to crafter 1.8.3's ``worldgen.generate_world``.

The reference visits every cell in Python, evaluates up to thirteen noise values per cell
one point at a time and takes about 1.5 s for a 64×64 world. Here the noise fields are
computed for whole arrays of cells at once (:mod:`crafter_oo.noise`, bit-identical to the
reference's noise), materials are decided with boolean masks, and Python only walks the
cells that draw random numbers, because how many numbers a cell draws depends on the values
it drew before.

Every float expression of the reference (``x / size``, ``2 * x``, ``y / 5``, the octave
weights, ``np.sqrt``, the logistic ``1 / (1 + np.exp(-start))``) is repeated with the same
operations in the same order, so thresholds like ``start > 0.5`` fall exactly as in the
reference, and the generator ``rng`` is advanced by exactly the same draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from crafter_oo.noise import SimplexNoise3
from crafter_oo.rules import MATERIAL_ID

Pos = tuple[int, int]

_WATER: Final[int] = MATERIAL_ID["water"]
_GRASS: Final[int] = MATERIAL_ID["grass"]
_STONE: Final[int] = MATERIAL_ID["stone"]
_PATH: Final[int] = MATERIAL_ID["path"]
_SAND: Final[int] = MATERIAL_ID["sand"]
_TREE: Final[int] = MATERIAL_ID["tree"]
_LAVA: Final[int] = MATERIAL_ID["lava"]
_COAL: Final[int] = MATERIAL_ID["coal"]
_IRON: Final[int] = MATERIAL_ID["iron"]
_DIAMOND: Final[int] = MATERIAL_ID["diamond"]


@dataclass(frozen=True, slots=True)
class GeneratedWorld:
    """The outcome of world generation.

    ``materials`` is a uint8 grid indexed ``[x, y]`` with ids from ``rules.MATERIALS``;
    ``creatures`` lists ``(kind, (x, y))`` in the reference's creation order (x-major),
    which is also the order of their object indices after the player.
    """

    materials: np.ndarray
    creatures: tuple[tuple[str, Pos], ...]


@dataclass(frozen=True, slots=True)
class _Field:
    """One call of the reference's ``_simplex(x, y, z, sizes, normalize)`` helper, over arrays
    of cells: ``Σ weight · noise(x/size, y/size, z)``, divided by ``Σ weight`` if normalized."""

    x: np.ndarray
    y: np.ndarray
    z: int
    sizes: dict[int, float]
    normalize: bool = True


def _evaluate(simplex: SimplexNoise3, *fields: _Field) -> list[np.ndarray]:
    """The values of several fields, with all their octaves evaluated in one noise call
    (one big vectorised call is much cheaper than many small ones)."""
    octaves = [(f.x / size, f.y / size, f.z) for f in fields for size in f.sizes]
    values = simplex.noise(np.concatenate([x for x, _, _ in octaves]),
                           np.concatenate([y for _, y, _ in octaves]),
                           np.concatenate([np.full(len(x), z, dtype=np.float64)
                                           for x, _, z in octaves]))
    parts = iter(np.split(values, np.cumsum([len(x) for x, _, _ in octaves])[:-1]))
    results = []
    for f in fields:
        value: np.ndarray | int = 0  # the reference's `value = 0; value += weight * noise`
        for weight in f.sizes.values():
            value = value + weight * next(parts)
        if f.normalize:
            value = value / sum(f.sizes.values())
        results.append(np.asarray(value))
    return results


def _first_successes(rng: np.random.RandomState, allowed: np.ndarray,
                     thresholds: tuple[float, ...]) -> list[tuple[int, int]]:
    """Run the reference's short-circuit draw chains and return ``(cell, option)`` hits.

    ``allowed`` is a ``(cells, options)`` bool array in visiting order. For each cell, the
    options it allows are tried in order; each try draws one uniform and succeeds if the
    draw exceeds the option's threshold, which ends the cell's chain (as ``a and U() > t``
    inside an ``if/elif`` chain does). Only cells allowing some option are visited.
    """
    uniform = rng.random_sample
    hits: list[tuple[int, int]] = []
    cells = np.flatnonzero(allowed.any(axis=1))
    for cell, options in zip(cells.tolist(), allowed[cells].tolist()):
        for option, (ok, threshold) in enumerate(zip(options, thresholds)):
            if ok and uniform() > threshold:
                hits.append((cell, option))
                break
    return hits


def _place_materials(rng: np.random.RandomState, simplex: SimplexNoise3, x: np.ndarray,
                     y: np.ndarray, dist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pass 1 of the reference: the material of every cell, and which cells are tunnels.

    All arrays are flat in x-major order, the reference's visiting order. Returns
    ``(materials, tunnels)`` as flat uint8 and bool arrays.
    """
    start_noise, water_noise, mountain_noise = _evaluate(
        simplex,
        _Field(x, y, 8, {3: 1}),
        _Field(x, y, 3, {15: 1, 5: 0.15}, normalize=False),
        _Field(x, y, 0, {15: 1, 5: 0.3}),
    )
    start = 4 - dist
    start = start + 2 * start_noise
    start = 1 / (1 + np.exp(-start))
    water = water_noise + 0.1
    water = water - 2 * start
    mountain = mountain_noise - (4 * start + 0.3 * water)

    near_start = start > 0.5
    in_mountain = ~near_start & (mountain > 0.15)
    high = np.flatnonzero(in_mountain)  # mountain cells
    low = np.flatnonzero(~near_start & ~in_mountain)  # lowland cells
    # The remaining fields, each over every cell where the reference may evaluate it.
    hx, hy, lx, ly = x[high], y[high], x[low], y[low]
    cave_noise, horizontal, vertical, coal, iron, lava_noise, sand_noise, tree_noise = _evaluate(
        simplex,
        _Field(hx, hy, 6, {7: 1}),
        _Field(2 * hx, hy / 5, 7, {3: 1}),
        _Field(hx / 5, 2 * hy, 7, {3: 1}),
        _Field(hx, hy, 1, {8: 1}),
        _Field(hx, hy, 2, {6: 1}),
        _Field(hx, hy, 6, {5: 1}),
        _Field(lx, ly, 4, {9: 1}),
        _Field(lx, ly, 5, {7: 1}),
    )

    materials = np.full(len(x), _GRASS, dtype=np.uint8)  # start area and plain grassland
    tunnels = np.zeros(len(x), dtype=bool)
    # Draw chains, in the reference's order: tree in grassland; coal, iron, diamond in rock.
    chains = np.zeros((len(x), 4), dtype=bool)

    # Mountains: caves, then horizontal and vertical tunnels, then ores, lava or stone.
    hm = mountain[high]
    cave = (cave_noise > 0.15) & (hm > 0.3)
    tunnel = ~cave & ((horizontal > 0.4) | (vertical > 0.4))
    solid = ~cave & ~tunnel
    materials[high[cave | tunnel]] = _PATH
    tunnels[high[tunnel]] = True
    lava = (hm > 0.3) & (lava_noise > 0.35)
    materials[high[solid]] = np.where(lava[solid], _LAVA, _STONE)
    chains[high, 1] = solid & (coal > 0)
    chains[high, 2] = solid & (iron > 0.4)
    chains[high, 3] = solid & (hm > 0.18)

    # Lowland: sand at the shore, water, and grassland with trees.
    lw = water[low]
    sand = (0.25 < lw) & (lw <= 0.35) & (sand_noise > -0.2)
    lake = ~sand & (0.3 < lw)
    materials[low[sand]] = _SAND
    materials[low[lake]] = _WATER
    chains[low, 0] = ~sand & ~lake & (tree_noise > 0)

    outcome = (_TREE, _COAL, _IRON, _DIAMOND)
    for index, option in _first_successes(rng, chains, (0.8, 0.85, 0.75, 0.994)):
        materials[index] = outcome[option]
    return materials, tunnels


def _place_creatures(rng: np.random.RandomState, materials: np.ndarray, tunnels: np.ndarray,
                     dist: np.ndarray, height: int) -> tuple[tuple[str, Pos], ...]:
    """Pass 2 of the reference: cows on grass away from the player, zombies farther out,
    skeletons in tunnels; flat x-major arrays in, creatures in visiting order out."""
    walkable = (materials == _GRASS) | (materials == _SAND) | (materials == _PATH)
    chains = np.stack([
        walkable & (dist > 3) & (materials == _GRASS),
        walkable & (dist > 10),
        walkable & (materials == _PATH) & tunnels,
    ], axis=1)
    kinds = ("cow", "zombie", "skeleton")
    return tuple((kinds[option], divmod(index, height))
                 for index, option in _first_successes(rng, chains, (0.985, 0.993, 0.95)))


def generate_world(rng: np.random.RandomState, area: tuple[int, int],
                   player_pos: tuple[int, int]) -> GeneratedWorld:
    """Generate the terrain and initial creatures exactly as crafter 1.8.3 does.

    ``rng`` is the episode's fresh generator; it is advanced exactly as the reference
    advances ``world.random``: one ``randint`` for the noise seed, then the short-circuit
    uniform draws of the material pass and of the creature pass, both in x-major order.
    """
    simplex = SimplexNoise3(rng.randint(0, 2**31 - 1))
    width, height = area
    x, y = (c.ravel() for c in np.meshgrid(np.arange(width), np.arange(height), indexing="ij"))
    dist = np.sqrt((x - player_pos[0]) ** 2 + (y - player_pos[1]) ** 2)
    materials, tunnels = _place_materials(rng, simplex, x, y, dist)
    creatures = _place_creatures(rng, materials, tunnels, dist, height)
    return GeneratedWorld(materials.reshape(area), creatures)
