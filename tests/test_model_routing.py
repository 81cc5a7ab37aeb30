"""Routing: only active laws take part, so inactive laws get no gradient and change nothing."""

from dataclasses import replace

import numpy as np
import torch

from crafter_oo.state import Cow, Player, Zombie
from onelife import LawModel, parse_laws
from crafter_oo.step import daylight_at
from onelife.fitting import frame_vector, weight_vector
from crafter_oo.edit import drawn_world

LAWS = """
law cow_wander: for cow c when true then c.pos ~ choice(p_move: move(c, random_direction()), else: c.pos)
  param p_move ~ Beta(1, 1)
law face_left: when action == move_left then player.facing <- left
"""
NEVER = """
law table_from_nothing:
  when action == place_table and player.inventory.wood > 9
  then material(target(player)) <- table
law zombie_hunts: for zombie z when distance(z, player) <= 1
  then player.health += choice(d[0]: -2, d[1]: -7)
  param d ~ Dirichlet(1, 1)
"""


def _transitions(model: LawModel, count: int) -> list:
    rng = np.random.default_rng(3)
    state = drawn_world(["....", "....", "...."], [Player((0, 0)), Cow((2, 1))])
    result = []
    for i in range(count):
        action = ["noop", "move_left", "move_down", "place_table"][i % 4]
        next_state = model.sample(state, action, rng)
        result.append((state, action, next_state))
        state = next_state
    return result


def test_inactive_laws_receive_exactly_zero_gradient() -> None:
    model = LawModel(parse_laws(LAWS + NEVER))
    transitions = _transitions(LawModel(parse_laws(LAWS)), 40)
    compiled = model.compile(transitions)
    values = {name: torch.as_tensor(v, dtype=torch.float64).clone().requires_grad_(True)
              for name, v in model.parameters().items()}
    compiled.log_probs(model.alts.weights(values), weight_vector(values, model.law_names),
                       frame_vector(values)).sum().backward()
    for name in ("table_from_nothing.weight", "zombie_hunts.weight", "zombie_hunts.d"):
        assert values[name].grad is not None and torch.count_nonzero(values[name].grad) == 0, name
    for name in ("cow_wander.p_move", "frame.pos"):
        assert torch.count_nonzero(values[name].grad) > 0, name


def test_a_law_that_never_holds_changes_no_log_likelihood() -> None:
    base = LawModel(parse_laws(LAWS), {"cow_wander.p_move": 0.3, "cow_wander.weight": 2.0})
    extended = LawModel(parse_laws(LAWS + NEVER), {"cow_wander.p_move": 0.3, "cow_wander.weight": 2.0,
                                                    "zombie_hunts.weight": 5.0})
    transitions = _transitions(base, 30)
    np.testing.assert_array_equal(base.log_prob_batch(transitions), extended.log_prob_batch(transitions))


def test_competing_laws_are_pooled_by_normalised_weights() -> None:
    """Two deterministic laws on one attribute: the heavier one's value is the likelier."""
    text = """
law go_left: for zombie z when true then z.pos <- move(z, left)
law go_right: for zombie z when true then z.pos <- move(z, right)
"""
    state = drawn_world(["....."], [Player((0, 0)), Zombie((2, 0))])
    model = LawModel(parse_laws(text), {"go_left.weight": 3.0, "go_right.weight": 1.0})
    left, right = (replace(state, step=1, daylight=daylight_at(1, state.config.rules.day_length), objects={**state.objects, 2: Zombie(cell)})
                   for cell in ((1, 0), (3, 0)))
    # log p(left) - log p(right) = (3/4 - 1/4) * (log q_high - log q_low) > 0
    assert model.log_prob(state, "noop", left) > model.log_prob(state, "noop", right)
