"""The Crafter law library (laws/crafter): every file loads alone, the library parses,
prints back, builds the default model, and with the game's own constants it encodes the game:
every true next state from crafter_oo is finite and more likely than simple corruptions of it."""

from __future__ import annotations

import dataclasses
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import crafter_oo
from crafter_oo import edit
from crafter_oo.game import new_game
from crafter_oo.rules import ACTIONS, DIRECTIONS, ITEMS, PLAYER_WALKABLE
from crafter_oo.state import WorldState

from onelife import LawModel, default_model, load_laws, parse_laws
from onelife.library import COMPETITORS, RIVALS, library_laws, true_model

LIBRARY = Path(str(resources.files("laws"))) / "crafter"  # the installed library, as the code reads it
TOPICS = ("movement", "collecting", "placing", "crafting", "combat_and_eating", "vitals_and_sleep", "cows",
          "zombies", "skeletons_and_arrows", "plants", "spawning_and_despawning", "daylight")


@pytest.fixture(scope="module")
def truth() -> LawModel:
    return true_model()


def test_one_file_per_topic_each_opening_with_what_it_covers() -> None:
    files = sorted(p.stem for p in LIBRARY.glob("*.law"))
    assert files == sorted([*TOPICS, "common"])
    for path in [*LIBRARY.glob("*.law"), *(LIBRARY / RIVALS).glob("*.law")]:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# ") and len(first) > 20, path


def test_every_file_loads_alone_and_together_they_are_the_library() -> None:
    library = {law.name: law for law in library_laws()}
    alone = [law for path in sorted(LIBRARY.rglob("*.law")) for law in load_laws(path)]
    assert sorted(law.name for law in alone) == sorted(library)
    for law in alone:
        assert law == library[law.name] and str(law) == str(library[law.name])
    assert load_laws(LIBRARY / "common.law") == []  # definitions only


def test_the_wrong_laws_have_their_own_folder_and_follow_their_rivals() -> None:
    rivals = [law.name for law in load_laws(LIBRARY / RIVALS)]
    assert sorted(rivals) == sorted(COMPETITORS)
    assert not set(rivals) & {law.name for path in LIBRARY.glob("*.law") for law in load_laws(path)}
    names = [law.name for law in library_laws()]
    for wrong, right in COMPETITORS.items():
        assert names.index(wrong) == names.index(right) + 1


def test_the_update_radius_is_named_once() -> None:
    texts = [path.read_text() for path in LIBRARY.rglob("*.law")]
    assert not any(re.search(r"<\s*18\b", text) for text in texts)
    assert "let update_radius = 18\n" in (LIBRARY / "common.law").read_text()


def test_every_law_prints_back_to_itself() -> None:
    laws = load_laws(LIBRARY)
    assert len(laws) > 60
    assert parse_laws("\n\n".join(map(str, laws))) == laws


def test_default_model_is_the_unfitted_library() -> None:
    model = default_model()
    assert model.law_names == [law.name for law in library_laws()]
    assert model.parameters()["cow_wanders.p_move"] == pytest.approx(0.5)  # its Beta(1, 1) prior mean
    for wrong, right in COMPETITORS.items():
        assert wrong in model.law_names and right in model.law_names


def interacting_life(seed: int, steps: int) -> list[tuple[WorldState, str, WorldState]]:
    """A life from a seeded policy that mostly walks and presses do, sometimes anything else."""
    rng = np.random.default_rng(seed)
    weights = np.ones(len(ACTIONS))
    weights[ACTIONS.index("do")] = 6
    weights[1:5] = 3
    state = new_game(seed)
    transitions = []
    for _ in range(steps):
        action = ACTIONS[int(rng.choice(len(ACTIONS), p=weights / weights.sum()))]
        result = crafter_oo.step(state, action)
        transitions.append((state, action, result.state))
        state = result.state
        if result.done:
            break
    return transitions


def with_item_off_by_one(state: WorldState, item: str) -> WorldState:
    player = state.player.clone()
    player.inventory[item] += 1 if player.inventory[item] < 9 else -1
    return dataclasses.replace(state, objects={**state.objects, 1: player})


def with_creature_displaced(state: WorldState, oid: int, before: tuple[int, int]) -> WorldState | None:
    """The creature two cells from where it ended, on a free walkable cell it could not reach
    in one step from ``before``; None if there is none."""
    creature = state.objects[oid]
    for dx, dy in DIRECTIONS:
        cell = (creature.pos[0] + 2 * dx, creature.pos[1] + 2 * dy)
        reachable = abs(cell[0] - before[0]) + abs(cell[1] - before[1]) <= 1
        if not reachable and state.object_at(cell) is None and state.material(cell) in PLAYER_WALKABLE - {"lava"}:
            moved = creature.clone()
            moved.pos = cell
            return dataclasses.replace(state, objects={**state.objects, oid: moved})
    return None


def corruptions(state: WorldState, next_state: WorldState) -> list[WorldState]:
    """Simple wrong successors: one inventory count off by one, a moving creature two cells off."""
    changed = [i for i in ITEMS if next_state.player.inventory[i] != state.player.inventory[i]]
    items = changed + ["wood", "sapling"]
    result = [with_item_off_by_one(next_state, item) for item in items[:2]]
    near = [oid for oid, obj in next_state.creatures() if oid in state.objects and obj.kind in ("cow", "zombie")
            and abs(obj.pos[0] - state.player.pos[0]) + abs(obj.pos[1] - state.player.pos[1]) < 12]
    for oid in near[:2]:
        displaced = with_creature_displaced(next_state, oid, state.objects[oid].pos)
        if displaced is not None:
            result.append(displaced)
    return result


def assert_encodes(truth: LawModel, transitions: list[tuple[WorldState, str, WorldState]]) -> None:
    scores = truth.log_prob_batch(transitions)
    assert np.isfinite(scores).all()
    wrong = [(t, c) for t, (s, a, s2) in enumerate(transitions) for c in corruptions(s, s2)]
    corrupted = truth.log_prob_batch([(transitions[t][0], transitions[t][1], c) for t, c in wrong])
    beaten = [(t, float(scores[t]), float(c)) for (t, _), c in zip(wrong, corrupted) if not scores[t] > c]
    assert not beaten, f"corruptions at least as likely as the truth (transition, true, corrupt): {beaten[:5]}"


def test_true_constants_explain_real_transitions(truth: LawModel) -> None:
    transitions = interacting_life(3, 120) + interacting_life(5, 60)
    assert_encodes(truth, transitions)


def scenario(**inventory: int) -> WorldState:
    """A 9 x 9 grass world, the player in the middle facing right, a tree two rows up."""
    state = edit.place_material(edit.blank_world(), (4, 2), "tree")
    return edit.set_inventory(state, **inventory) if inventory else state


SCENARIOS: dict[str, tuple[WorldState, str]] = {
    "collect wood": (edit.place_material(scenario(), (5, 4), "tree"), "do"),
    "stone without a pickaxe": (edit.place_material(scenario(), (5, 4), "stone"), "do"),
    "stone with a pickaxe": (edit.place_material(scenario(wood_pickaxe=1), (5, 4), "stone"), "do"),
    "drink": (edit.place_material(scenario(drink=3), (5, 4), "water"), "do"),
    "place a table": (scenario(wood=3), "place_table"),
    "one wood is not a table": (scenario(wood=1), "place_table"),
    "craft at a table": (edit.place_material(scenario(wood=2), (3, 3), "table"), "make_wood_pickaxe"),
    "no table, no pickaxe": (scenario(wood=2), "make_wood_pickaxe"),
    "iron sword at a forge": (edit.place_material(edit.place_material(scenario(wood=1, coal=1, iron=1), (3, 3),
                                                                      "table"), (3, 5), "furnace"), "make_iron_sword"),
    "place a sapling": (scenario(sapling=1), "place_plant"),
    "walk into lava": (edit.place_material(scenario(), (5, 4), "lava"), "move_right"),
    "eat a cow": (edit.add_creature(scenario(), "cow", (5, 4), health=1), "do"),
    "hit a zombie": (edit.add_creature(scenario(wood_sword=1), "zombie", (5, 4)), "do"),
    "zombie strikes": (edit.add_creature(scenario(), "zombie", (4, 5)), "noop"),
    "zombie strikes a sleeper": (edit.add_creature(edit.set_vitals(scenario(energy=3), sleeping=True), "zombie",
                                                   (4, 5)), "noop"),
    "wake up": (edit.set_vitals(scenario(), sleeping=True), "noop"),
    "fall asleep": (scenario(energy=5), "sleep"),
    "skeleton aims": (edit.add_creature(edit.place_material(scenario(), (4, 8), "path"), "skeleton", (4, 8)), "noop"),
    "arrow breaks a table": (edit.add_creature(edit.place_material(scenario(), (1, 1), "table"), "arrow", (2, 1),
                                               facing=(-1, 0)), "noop"),
    "arrow hits the player": (edit.add_creature(scenario(), "arrow", (4, 7), facing=(0, -1)), "noop"),
    "ripe plant eaten": (edit.add_creature(scenario(food=2), "plant", (5, 4), grown=301), "do"),
    "sapling trampled": (edit.add_creature(edit.add_creature(scenario(), "cow", (2, 7)), "plant", (1, 7)), "noop"),
    "hungry and thirsty": (edit.set_vitals(scenario(), hunger=25, thirst=20, fatigue=30, recover=25), "noop"),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_true_constants_explain_hand_made_scenarios(truth: LawModel, name: str) -> None:
    state, action = SCENARIOS[name]
    transitions = [(s, action, crafter_oo.step(s, action).state) for s in (edit.reseed(state, k) for k in range(4))]
    assert_encodes(truth, transitions)
