"""Tests of ``crafter_oo.render`` against the reference game's own renderer and semantic map."""

from __future__ import annotations

import dataclasses
from typing import Any

import crafter
import numpy as np
import pytest

from crafter_oo.convert import from_crafter, to_crafter
from crafter_oo.render import night_noise_rng, render_pixels, render_text, semantic_map
from crafter_oo.rules import MATERIAL_CHAR, MATERIAL_ID, MATERIALS
from crafter_oo.state import Arrow, Cow, GameObject, Plant, Pos, Skeleton, WorldState, Zombie

OTHER_SIZES: tuple[Pos, ...] = ((128, 128), (200, 150))
CHECKPOINTS = (0, 12, 25, 40, 60)


@dataclasses.dataclass
class Snapshot:
    """A reference game at one step: our state of it and what the reference showed."""

    state: WorldState
    images: dict[Pos | None, np.ndarray]
    semantic: np.ndarray


def _play(env: Any, steps: int, seed: int, checkpoints: tuple[int, ...]) -> list[Snapshot]:
    """Reset and step ``env`` with seeded random actions, recording each step."""
    actions = np.random.RandomState(seed)
    env.reset()
    snapshots = []
    for step in range(steps + 1):
        if step:
            env.step(int(actions.randint(env.action_space.n)))
        assert env._world.daylight >= 0.5, "env.render() would consume the game's RNG at night"
        sizes = (None,) + OTHER_SIZES if step in checkpoints else ()
        images = {size: env.render(size) for size in sizes}
        snapshots.append(Snapshot(from_crafter(env), images, env._sem_view()))
    return snapshots


@pytest.fixture(scope="module")
def episode() -> list[Snapshot]:
    """61 daytime steps of a default game."""
    return _play(crafter.Env(seed=11), max(CHECKPOINTS), seed=0, checkpoints=CHECKPOINTS)


@pytest.fixture(scope="module")
def start(episode: list[Snapshot]) -> WorldState:
    """The state right after reset, with only the player left (a clean canvas for edits)."""
    return _with_objects(episode[0].state, {})


def _with_objects(state: WorldState, creatures: dict[Pos, GameObject],
                  **player_changes: Any) -> WorldState:
    """``state`` with the given creatures (keyed by offset from the player) replacing all others."""
    player = dataclasses.replace(state.player.clone(), **player_changes)
    objects: dict[int, GameObject] = {1: player}
    for oid, (offset, creature) in enumerate(creatures.items(), start=state.next_id):
        objects[oid] = dataclasses.replace(
            creature, pos=(player.pos[0] + offset[0], player.pos[1] + offset[1]))
    return dataclasses.replace(state, objects=objects, next_id=state.next_id + len(creatures))


def _assert_matches_reference(state: WorldState) -> None:
    """Our images (at every tested size) and semantic map equal the reference's for ``state``."""
    env = to_crafter(state)
    for size in (None,) + OTHER_SIZES:
        assert np.array_equal(render_pixels(state, size), env.render(size)), f"size {size}"
    assert np.array_equal(semantic_map(state), env._sem_view())


def _with_materials(state: WorldState, cells: dict[Pos, str]) -> WorldState:
    """``state`` with the given materials set at offsets from the player."""
    materials = state.materials.copy()
    px, py = state.player.pos
    for (dx, dy), name in cells.items():
        materials[px + dx, py + dy] = MATERIAL_ID[name]
    return dataclasses.replace(state, materials=materials)


def test_pixels_equal_reference_during_an_episode(episode: list[Snapshot]) -> None:
    for snapshot in episode:
        if None in snapshot.images:
            assert np.array_equal(render_pixels(snapshot.state), snapshot.images[None]), \
                f"step {snapshot.state.step}"


@pytest.mark.parametrize("size", OTHER_SIZES)
def test_pixels_equal_reference_at_other_sizes(episode: list[Snapshot], size: Pos) -> None:
    for snapshot in episode:
        if size in snapshot.images:
            image = render_pixels(snapshot.state, size)
            assert image.shape == (size[1], size[0], 3) and image.dtype == np.uint8
            assert np.array_equal(image, snapshot.images[size]), f"step {snapshot.state.step}"


def test_semantic_map_equals_reference_every_step(episode: list[Snapshot]) -> None:
    for snapshot in episode:
        ours = semantic_map(snapshot.state)
        assert ours.dtype == np.uint8 and ours.shape == snapshot.state.config.area
        assert np.array_equal(ours, snapshot.semantic), f"step {snapshot.state.step}"


@pytest.mark.parametrize("daylight", [1.0, 0.6])
def test_every_object_kind_equals_reference(start: WorldState, daylight: float) -> None:
    creatures: dict[Pos, GameObject] = {
        (-4, -3): Cow((0, 0)), (-3, -3): Zombie((0, 0)), (-2, -3): Skeleton((0, 0)),
        (-1, -3): Arrow((0, 0), (-1, 0)), (0, -3): Arrow((0, 0), (1, 0)),
        (1, -3): Arrow((0, 0), (0, -1)), (2, -3): Arrow((0, 0), (0, 1)),
        (3, -3): Plant((0, 0)), (4, -3): Plant((0, 0), grown=301),
        (4, 3): Cow((0, 0)), (1, 0): Zombie((0, 0)),
        (5, 0): Cow((0, 0)), (0, 4): Zombie((0, 0)),  # just outside the local view
    }
    # Lava, diamond and furnace are backgrounds where float64 blending would be off by one.
    backgrounds = ("lava", "diamond", "furnace", "sand")
    cells = {offset: backgrounds[i % 4] for i, offset in enumerate(creatures)} | {(0, 0): "lava"}
    state = _with_objects(_with_materials(start, cells), creatures)
    _assert_matches_reference(dataclasses.replace(state, daylight=daylight))


@pytest.mark.parametrize("facing", [(-1, 0), (1, 0), (0, -1), (0, 1)])
def test_player_facings_equal_reference(start: WorldState, facing: Pos) -> None:
    _assert_matches_reference(_with_objects(start, {}, facing=facing))


def test_sleeping_player_and_inventory_rows_equal_reference(start: WorldState) -> None:
    inventory = dict(start.player.inventory, health=3, food=0, sapling=1, wood=9, stone=4,
                     iron=2, diamond=1, iron_pickaxe=1, stone_sword=12)
    state = _with_objects(_with_materials(start, {(0, 0): "lava", (1, 1): "diamond"}),
                          {(1, 1): Cow((0, 0))}, sleeping=True, inventory=inventory)
    _assert_matches_reference(state)


@pytest.mark.parametrize("pos", [(0, 0), (63, 63), (0, 40), (40, 63), (63, 2), (2, 1)])
def test_map_edges_equal_reference(start: WorldState, pos: Pos) -> None:
    _assert_matches_reference(_with_objects(start, {}, pos=pos))


def test_non_default_view_equals_reference() -> None:
    env = crafter.Env(seed=5, view=(7, 7), size=(90, 70))
    for snapshot in _play(env, 30, seed=1, checkpoints=(0, 15, 30)):
        for size, image in snapshot.images.items():
            assert np.array_equal(render_pixels(snapshot.state, size), image), \
                f"step {snapshot.state.step}, size {size}"


@pytest.mark.parametrize("daylight", [0.0, 0.3, 0.49])
def test_night_is_pure_and_differs_from_reference_only_in_noise(
        start: WorldState, daylight: float) -> None:
    night = dataclasses.replace(start, daylight=daylight, step=200)
    rng_before = night.rng.generator().get_state()
    image = render_pixels(night)
    assert image.shape == (64, 64, 3) and image.dtype == np.uint8
    assert np.array_equal(image, render_pixels(night))
    assert np.array_equal(night.rng.generator().get_state()[1], rng_before[1])
    assert night.rng.pos == rng_before[2]
    env = to_crafter(night)
    env._world.random = night_noise_rng(night)
    assert np.array_equal(image, env.render())
    later = dataclasses.replace(night, step=201)
    assert not np.array_equal(image, render_pixels(later))


def test_text_view_shows_the_local_view_around_the_player(start: WorldState) -> None:
    state = _with_objects(_with_materials(start, {(2, -1): "table"}),
                          {(-3, 2): Cow((0, 0)), (1, 0): Plant((0, 0), grown=400)})
    px, py = state.player.pos
    text = render_text(state)
    assert text == render_text(state)
    lines = text.split("\n")
    grid, status, legend = lines[:7], lines[7], lines[8]
    assert len(lines) == 9 and all(len(row) == 9 for row in grid)
    assert grid[3][4] == "v" and grid[1 + 1][4 + 2] == "t"
    assert grid[3 + 2][4 - 3] == "C" and grid[3][5] == "P"
    assert grid[3 + 3][4 + 4] == MATERIAL_CHAR[MATERIALS[state.materials[px + 4, py + 3]]]
    assert status.startswith("step 0 | day") and "awake" in status
    assert "t=table" in legend and "C=cow" in legend and "Z=zombie" not in legend


def test_text_view_radius_edges_and_sleep(start: WorldState) -> None:
    state = _with_objects(start, {}, pos=(0, 1), sleeping=True)
    lines = render_text(state, radius=2).split("\n")
    grid = lines[:5]
    assert all(len(row) == 5 for row in grid)
    assert grid[2][2] == "@" and grid[0] == "     " and grid[1][:2] == "  "
    assert grid[1][2] != " " and "asleep" in lines[5] and "' '=outside the map" in lines[6]
