"""``crafter_oo.noise`` and ``crafter_oo.worldgen`` against the originals, bit for bit.

The noise must equal ``opensimplex.OpenSimplex(seed).noise3`` exactly (compared as raw
float64 bits, not approximately), including on the region boundaries of the honeycomb where
the reference's tie-breaking comparisons decide which vertices are summed. World generation
must give the same material grid, the same creatures in the same order and leave the random
generator in the same state as ``crafter.Env.reset``. A reference reset takes about a second,
so the file performs eight of them in total.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterator

import crafter
import numpy as np
import opensimplex
import pytest
from crafter import engine, objects, worldgen as reference_worldgen
from hypothesis import example, given, settings, strategies as st
from opensimplex.internals import _init as reference_permutation

from crafter_oo.noise import SimplexNoise3, permutation
from crafter_oo.rules import MATERIALS
from crafter_oo.worldgen import GeneratedWorld, generate_world

Snapshot = dict[str, Any]


def assert_bitwise_equal(actual: np.ndarray, expected: np.ndarray,
                         points: np.ndarray | None = None) -> None:
    """Fail unless the float64 arrays hold identical bits, naming the first mismatches."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape
    bad = np.flatnonzero(actual.view(np.int64) != expected.view(np.int64))
    details = [(points[i].tolist() if points is not None else i, actual.flat[i], expected.flat[i])
               for i in bad[:5]]
    assert bad.size == 0, f"{bad.size} mismatches, e.g. (point, ours, reference): {details}"


def reference_noise(seed: int, points: np.ndarray) -> np.ndarray:
    """The reference, one point at a time, with Python floats as crafter passes them."""
    simplex = opensimplex.OpenSimplex(seed)
    return np.array([simplex.noise3(float(x), float(y), float(z)) for x, y, z in points])


def check_noise(seed: int, points: np.ndarray) -> None:
    points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    ours = SimplexNoise3(seed).noise(points[:, 0], points[:, 1], points[:, 2])
    assert_bitwise_equal(ours, reference_noise(seed, points), points)


# ---------------------------------------------------------------------------------------
# Noise

SEEDS = st.one_of(st.integers(0, 2**31 - 2), st.integers(-2**70, 2**70))

# Coordinates of every scale, and the simple fractions that put points exactly on lattice
# points, cell faces and the in_sum == 1 / in_sum == 2 region boundaries.
COORDINATE = st.one_of(
    st.floats(-100, 100, allow_nan=False),
    st.floats(-1e15, 1e15, allow_nan=False),
    st.integers(-1000, 1000).map(float),
    st.integers(-600, 600).map(lambda k: k / 2),
    st.integers(-600, 600).map(lambda k: k / 3),
    st.integers(-600, 600).map(lambda k: k / 4),
    st.integers(-600, 600).map(lambda k: k / 6),
    st.integers(-600, 600).map(lambda k: k / 12),
    st.sampled_from([0.0, -0.0, 0.5, -0.5, 1e-300, -1e-300, 5e-324, 0.9999999999999999]),
)
POINT = st.tuples(COORDINATE, COORDINATE, COORDINATE)


@settings(max_examples=300, deadline=None)
@given(seed=SEEDS, points=st.lists(POINT, min_size=1, max_size=40))
@example(seed=0, points=[(0.5, 0.5, 0.5), (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.5, 0.5, 0.0)])
@example(seed=3, points=[(1 / 3, 1 / 3, 1 / 3), (2 / 3, 2 / 3, 2 / 3), (0.25, 0.25, 0.25),
                         (1.5, 0.0, 0.0), (0.0, 1.5, 0.0), (0.0, 0.0, 1.5)])
@example(seed=-1, points=[(-0.5, -0.5, -0.5), (-1.0, 2.0, -3.0), (1e15, -1e15, 0.5)])
def test_noise_equals_reference_bitwise(seed: int, points: list[tuple[float, float, float]]
                                        ) -> None:
    check_noise(seed, np.array(points))


@settings(max_examples=60, deadline=None)
@given(seed=SEEDS, value=COORDINATE, pattern=st.sampled_from(list(itertools.product(
    (0, 1, 2), repeat=3))), shift=st.sampled_from([0.0, 1.0, -1.0, 0.5, 1e-9]))
def test_noise_on_ties(seed: int, value: float, pattern: tuple[int, int, int],
                       shift: float) -> None:
    """Points with equal coordinates, where the reference's ``>=`` versus ``>`` decide."""
    coords = (value, value + shift, -value)
    check_noise(seed, np.array([tuple(coords[i] for i in pattern)]))


@pytest.mark.parametrize("seed", [0, 1, 2**31 - 2])
def test_noise_many_random_points(seed: int) -> None:
    rng = np.random.default_rng(seed)
    points = np.concatenate([
        rng.uniform(-10, 10, (3000, 3)),
        rng.uniform(-1e6, 1e6, (1000, 3)),
        np.round(rng.uniform(-20, 20, (2000, 3)) * 6) / 6,  # many exact boundary cases
        rng.integers(-50, 50, (1000, 3)).astype(float),
    ])
    check_noise(seed, points)


def test_noise_grid_like_worldgen() -> None:
    """The coordinate patterns world generation uses: x / size, 2 * x / size, y / 5 / size."""
    x, y = np.meshgrid(np.arange(64), np.arange(64), indexing="ij")
    x, y = x.ravel(), y.ravel()
    for z, (px, py) in enumerate([(x / 7, y / 7), (2 * x / 3, y / 5 / 3), (x / 5 / 3, 2 * y / 3)]):
        check_noise(12345, np.stack([px, py, np.full(px.shape, float(z))], axis=1))


@pytest.mark.parametrize("seed", [0, 1, 3, -7, 2**31 - 2, 2**63, 2**64 + 5, -2**70])
def test_permutation_equals_reference(seed: int) -> None:
    perm, gradient_row = permutation(seed)
    reference_perm, reference_grad_index = reference_permutation(seed)
    assert perm.tolist() == reference_perm.tolist()
    assert (gradient_row * 3).tolist() == reference_grad_index.tolist()
    assert sorted(perm.tolist()) == list(range(256))


def test_noise_broadcasts_and_keeps_shape() -> None:
    simplex = SimplexNoise3(5)
    x, y = np.meshgrid(np.linspace(-3, 3, 7), np.linspace(-2, 2, 5), indexing="ij")
    grid = simplex.noise(x, y, 2.0)
    assert grid.shape == (7, 5) and grid.dtype == np.float64
    reference = opensimplex.OpenSimplex(5)
    expected = np.array([[reference.noise3(a, b, 2.0) for a, b in zip(row_x, row_y)]
                         for row_x, row_y in zip(x, y)])
    assert_bitwise_equal(grid, expected)
    scalar = simplex.noise(0.3, -1.2, 4.0)
    assert scalar.shape == ()
    assert_bitwise_equal(scalar, np.float64(reference.noise3(0.3, -1.2, 4.0)))
    assert simplex.noise(np.zeros(0), np.zeros(0), 0.0).shape == (0,)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_noise_rejects_non_finite(bad: float) -> None:
    with pytest.raises(ValueError):
        SimplexNoise3(0).noise(np.array([0.0, bad]), 0.0, 0.0)


# ---------------------------------------------------------------------------------------
# World generation against crafter.Env.reset

# (env seed, area, number of resets); every reset is compared. 8 resets in total.
ENV_RUNS = [(0, (64, 64), 2), (42, (64, 64), 3), (1, (64, 64), 1), (3, (48, 40), 2)]


def snapshot(world: Any, area: tuple[int, int]) -> Snapshot:
    """What world generation decided in a reference world: materials, creatures, RNG."""
    _, keys, pos, *_ = world.random.get_state()
    return {
        "materials": world._mat_map.copy(),
        "creatures": [(type(obj).__name__.lower(), tuple(int(v) for v in obj.pos))
                      for obj in world._objects[2:] if obj is not None],
        "player": type(world._objects[1]).__name__, "rng_keys": keys.copy(), "rng_pos": pos,
        "area": area,
    }


@pytest.fixture(scope="module")
def reference_resets() -> dict[tuple[int, int, tuple[int, int]], Snapshot]:
    """Snapshots right after each ``env.reset()``, keyed by (seed, episode, area)."""
    resets = {}
    for seed, area, episodes in ENV_RUNS:
        env = crafter.Env(area=area, seed=seed)
        for episode in range(1, episodes + 1):
            env.reset()
            resets[seed, episode, area] = snapshot(env._world, area)
    return resets


def check_world(ours: GeneratedWorld, rng: np.random.RandomState, expected: Snapshot) -> None:
    assert ours.materials.dtype == np.uint8 and ours.materials.shape == expected["area"]
    mismatch = np.argwhere(ours.materials != expected["materials"])
    assert mismatch.size == 0, f"materials differ at {mismatch[:5].tolist()}"
    assert list(ours.creatures) == expected["creatures"]
    assert all(type(v) is int for _, pos in ours.creatures for v in pos)
    _, keys, pos, *_ = rng.get_state()
    assert pos == expected["rng_pos"] and np.array_equal(keys, expected["rng_keys"])


def episode_keys() -> Iterator[tuple[int, int, tuple[int, int]]]:
    for seed, area, episodes in ENV_RUNS:
        for episode in range(1, episodes + 1):
            yield seed, episode, area


@pytest.mark.parametrize("key", list(episode_keys()), ids=lambda k: f"seed{k[0]}-ep{k[1]}-{k[2]}")
def test_generate_world_equals_env_reset(
        reference_resets: dict[tuple[int, int, tuple[int, int]], Snapshot],
        key: tuple[int, int, tuple[int, int]]) -> None:
    seed, episode, area = key
    expected = reference_resets[key]
    assert expected["player"] == "Player"
    rng = np.random.RandomState(hash((seed, episode)) % (2**31 - 1))
    ours = generate_world(rng, area, (area[0] // 2, area[1] // 2))
    check_world(ours, rng, expected)


def test_reference_worlds_are_varied(
        reference_resets: dict[tuple[int, int, tuple[int, int]], Snapshot]) -> None:
    """The compared worlds exercise every generated material and creature kind."""
    materials = set().union(*(np.unique(s["materials"]).tolist()
                              for s in reference_resets.values()))
    generated = {"water", "grass", "stone", "path", "sand", "tree", "lava", "coal", "iron",
                 "diamond"}
    assert {MATERIALS[i] for i in materials} == generated
    kinds = {kind for s in reference_resets.values() for kind, _ in s["creatures"]}
    assert kinds == {"cow", "zombie", "skeleton"}


# ---------------------------------------------------------------------------------------
# World generation against crafter.worldgen directly: small areas, player off centre.

@pytest.mark.parametrize("world_seed, area, player_pos", [
    (7, (20, 30), (4, 25)),
    (2**31 - 2, (33, 17), (30, 1)),
    (1256191933, (9, 9), (4, 4)),
])
def test_generate_world_equals_reference_worldgen(world_seed: int, area: tuple[int, int],
                                                  player_pos: tuple[int, int]) -> None:
    world = engine.World(area, crafter.constants.materials, (12, 12))
    world.reset(seed=world_seed)
    player = objects.Player(world, player_pos)
    world.add(player)
    reference_worldgen.generate_world(world, player)
    rng = np.random.RandomState(world_seed)
    check_world(generate_world(rng, area, player_pos), rng, snapshot(world, area))
