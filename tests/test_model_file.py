"""Model files: a saved model loads back equal; other versions and corrupt files give clear errors."""

import json
from pathlib import Path

import numpy as np
import pytest

from crafter_oo.state import Cow, Player
from onelife import LawModel, ModelFileError, load_model, parse_laws, save_model
from crafter_oo.edit import drawn_world

LAWS = """
law cow_wander: for cow c when true then c.pos ~ choice(p: move(c, random_direction()), else: c.pos)
  param p ~ Beta(1, 1)
law hit: when true then player.health += choice(d[0]: -2, d[1]: 0)
  param d ~ Dirichlet(1, 1)
"""


def _model() -> LawModel:
    return LawModel(parse_laws(LAWS), {"cow_wander.p": 0.25, "hit.d": [0.1, 0.9], "hit.weight": 2.0})


def test_saved_model_loads_back_with_the_same_laws_values_and_scores(tmp_path: Path) -> None:
    model = _model()
    path = tmp_path / "model.json"
    save_model(model, path)
    loaded = load_model(path)
    assert loaded.laws == model.laws
    saved, original = loaded.parameters(), model.parameters()
    assert saved.keys() == original.keys()
    for name, value in original.items():
        assert saved[name] == pytest.approx(value), name
    state = drawn_world(["...", "..."], [Player((0, 0)), Cow((1, 1))])
    next_state = model.sample(state, "noop", np.random.default_rng(0))
    assert loaded.log_prob(state, "noop", next_state) == pytest.approx(model.log_prob(state, "noop", next_state))
    assert not list(tmp_path.glob("*.tmp"))


def _edited(tmp_path: Path, edit) -> Path:
    path = tmp_path / "model.json"
    save_model(_model(), path)
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(version=2), "version 2"),
    (lambda d: d.update(format="something"), "not a onelife model file"),
    (lambda d: d["parameters"].update({"cow_wander.p": 1.5}), "outside the support"),
    (lambda d: d["parameters"].pop("hit.d"), "missing"),
    (lambda d: d["parameters"].update(extra=1.0), "unknown parameters"),
    (lambda d: d.update(laws=d["laws"].replace("choice(p:", "choice(p ")), "#laws:"),
])
def test_bad_model_files_give_clear_errors(tmp_path: Path, edit, message: str) -> None:
    with pytest.raises(ModelFileError, match=message):
        load_model(_edited(tmp_path, edit))


def test_corrupt_json_is_a_model_file_error(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text('{"format": "onelife.WorldModel", "vers')
    with pytest.raises(ModelFileError, match="model.json"):
        load_model(path)


def test_posterior_survives_saving(tmp_path: Path) -> None:
    state = drawn_world(["...", "..."], [Player((0, 0)), Cow((1, 1))])
    rng = np.random.default_rng(0)
    truth = _model()
    data = []
    for _ in range(50):
        next_state = truth.sample(state, "noop", rng)
        data.append((state, "noop", next_state))
        state = next_state
    model = LawModel(parse_laws(LAWS)).fit(data, method="posterior", steps=50)
    save_model(model, tmp_path / "m.json")
    loaded = load_model(tmp_path / "m.json")
    draws = [m.parameters() for m in loaded.posterior_samples(3, np.random.default_rng(5))]
    again = [m.parameters() for m in model.posterior_samples(3, np.random.default_rng(5))]
    assert draws == again
    assert len({d["cow_wander.p"] for d in draws}) == 3
