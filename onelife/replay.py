"""Watching a life: each step's record (action, vitals, inventory, the laws that fired and how
likely the model found what happened), written as a GIF and as a self-contained HTML page.

The GIF shows ``crafter_oo.panel.render_frame`` (the game's image with step, vitals and
inventory beside it). The page embeds every step's image and record and steps through
them with buttons, a slider and the keyboard (``onelife.replay_page``).
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image

from crafter_oo.panel import held_items, render_frame
from crafter_oo.render import render_pixels
from crafter_oo.rules import VITALS
from crafter_oo.state import WorldState
from onelife.atomic import replace_atomically, write_text_atomically
from onelife.builtins import Chunk, Ref
from onelife.interpret import Activation
from onelife.model import LawModel
from onelife.replay_page import page
from onelife.trajectory import Trajectory

Progress = Callable[[int], None]  # called with how many steps were just done
PAGE_VIEW_SIZE = 144  # the page embeds the game's image at its textures' own size (16 px a cell)
GIF_COLORS = 256
EXPLAIN_BATCH = 50  # transitions the model explains per call, so progress moves steadily


@dataclass(frozen=True, slots=True)
class FiredLaw:
    """A law whose precondition held on a step: its weight in the model and what it was about."""

    name: str
    weight: float
    on: list[str]  # the entities (``cow 25``) or chunks it fired for; empty for the player and world


@dataclass(frozen=True, slots=True)
class ReplayStep:
    """One state of the life, the action taken from it and what the model made of the step."""

    step: int
    action: str | None  # None for the last state
    daylight: float
    sleeping: bool
    vitals: dict[str, int]
    items: list[str]
    unlocked: list[str]  # achievements this action unlocked
    log_prob: float | None  # log p(next state | state, action) under the model
    fired: list[FiredLaw]


def _target(binding: object, state: WorldState) -> str | None:
    """Words for what a law instance was bound to (``None`` for an unbound law)."""
    if isinstance(binding, Ref):
        obj = state.objects.get(binding.oid)
        return f"{obj.kind if obj is not None else 'object'} {binding.oid}"
    if isinstance(binding, Chunk):
        return f"chunk {binding.cx},{binding.cy}"
    return None


def fired_laws(model: LawModel, state: WorldState, activations: list[Activation]) -> list[FiredLaw]:
    """The laws among ``activations`` in the model's law order, each with every binding it fired for."""
    weights = model.parameters()
    by_law: dict[int, list[str]] = {}
    for activation in activations:
        targets = by_law.setdefault(activation.law_index, [])
        target = _target(activation.binding, state)
        if target is not None:
            targets.append(target)
    return [FiredLaw(model.laws[index].name, float(weights[f"{model.laws[index].name}.weight"]), targets)
            for index, targets in sorted(by_law.items())]


def replay_steps(life: Trajectory, model: LawModel, progress: Progress | None = None) -> list[ReplayStep]:
    """One record per state of the life (the last has no action), with the model's view of each step."""
    records = []
    transitions = life.transitions
    for start in range(0, len(transitions), EXPLAIN_BATCH):
        batch = transitions[start:start + EXPLAIN_BATCH]
        log_probs, activations = model.explain(batch)
        for (state, action, after), log_prob, active in zip(batch, log_probs, activations):
            unlocked = sorted(after.unlocked - state.unlocked)
            records.append(_record(state, action, unlocked, float(log_prob), fired_laws(model, state, active)))
        if progress is not None:
            progress(len(batch))
    records.append(_record(life.states[-1], None, [], None, []))
    return records


def _record(state: WorldState, action: str | None, unlocked: list[str], log_prob: float | None,
            fired: list[FiredLaw]) -> ReplayStep:
    player = state.player
    return ReplayStep(state.step, action, round(float(state.daylight), 3), bool(player.sleeping),
                      {name: int(player.inventory[name]) for name in VITALS}, held_items(state), unlocked,
                      None if log_prob is None else round(log_prob, 3), fired)


def write_gif(life: Trajectory, path: str | Path, fps: float, progress: Progress | None = None) -> Path:
    """Write the life as an animated GIF of ``render_frame`` images, one per state, atomically."""
    frames = []
    actions: list[str | None] = [*life.actions, None]
    for state, action in zip(life.states, actions):
        # Quantised here (GIF frames have 256 colours), so the progress covers the slow part.
        frames.append(Image.fromarray(render_frame(state, action)).quantize(GIF_COLORS))
        if progress is not None:
            progress(1)
    duration = max(20, int(round(1000 / fps)))  # milliseconds; browsers treat under 20 ms as slow
    return replace_atomically(path, lambda temporary: frames[0].save(
        temporary, format="GIF", save_all=True, append_images=frames[1:], duration=duration, loop=0))


def _png_data_uri(image: np.ndarray) -> str:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def write_page(life: Trajectory, steps: list[ReplayStep], model_name: str, path: str | Path,
               progress: Progress | None = None) -> Path:
    """Write the self-contained HTML page that steps through the life, atomically.

    Identical images (a sleeping player, a still scene) are embedded once and shared.
    """
    images: list[str] = []
    index_of: dict[str, int] = {}
    frame_of = []
    for state in life.states:
        uri = _png_data_uri(render_pixels(state, (PAGE_VIEW_SIZE, PAGE_VIEW_SIZE)))
        frame_of.append(index_of.setdefault(uri, len(index_of)))
        if frame_of[-1] == len(images):
            images.append(uri)
        if progress is not None:
            progress(1)
    every_step = _laws_firing_every_step(steps)
    data = {"title": f"life of seed {life.seed} ({life.policy}), {life.steps_survived} steps, "
                     f"{life.ended or 'interrupted'}",
            "model": model_name, "every_step": sorted(every_step), "images": images, "frame_of": frame_of,
            "steps": [asdict(step) for step in steps]}
    return write_text_atomically(path, page(json.dumps(data, separators=(",", ":"))))


def _laws_firing_every_step(steps: list[ReplayStep]) -> set[str]:
    """The laws that fired on every step of the life (the page folds them away)."""
    played = [step for step in steps if step.action is not None]
    if not played:
        return set()
    names = set(law.name for law in played[0].fired)
    for step in played[1:]:
        names &= {law.name for law in step.fired}
    return names
