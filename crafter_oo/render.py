"""Views of a ``WorldState``: the reference's pixel image, its semantic map, and a text grid.

``render_pixels`` reproduces ``crafter.Env.render()`` of Crafter 1.8.3 step by step: the
local view (material tiles, objects alpha-blended over them in float32, gray 127 outside
the map), the day/night lighting, the sleeping tint and the inventory rows, pasted into the
canvas with the same uint8 truncation. In daytime (``daylight >= 0.5``) the image is
pixel-identical to the reference's.

At night the reference mixes in per-pixel noise drawn from the game's own random generator,
so rendering would change the game. Here that noise comes from a separate generator seeded
from ``(seed, episode, step)`` (``night_noise_rng``) and the state's generator is never
touched; the rest of the night pipeline is the reference's, so night pixels differ from the
reference's only through the noise values. All functions here are pure.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Iterable

import numpy as np
from PIL import Image, ImageEnhance

from crafter_oo.rules import ITEMS, MATERIAL_CHAR, MATERIALS, SEMANTIC_OBJECT_ID, VITALS
from crafter_oo.state import GameObject, Plant, Pos, WorldState

OUT_OF_MAP_GRAY = 127
NIGHT_TINT, SLEEP_TINT = (0, 16, 64), (0, 0, 16)
NIGHT_SATURATION, NIGHT_NOISE_RANGE, NIGHT_VIGNETTE_STDDEV = 0.4, (32, 127), 0.5
_DIRECTION_NAME: dict[Pos, str] = {(-1, 0): "left", (1, 0): "right", (0, -1): "up", (0, 1): "down"}
_PLAYER_SYMBOL: dict[Pos, str] = {(-1, 0): "<", (1, 0): ">", (0, -1): "^", (0, 1): "v"}
_CREATURE_SYMBOL: dict[str, str] = {"cow": "C", "zombie": "Z", "skeleton": "S", "arrow": "*"}
_SYMBOL_NAMES: dict[str, str] = {
    "<": "you (facing left)", ">": "you (facing right)", "^": "you (facing up)",
    "v": "you (facing down)", "@": "you (asleep)", "C": "cow", "Z": "zombie", "S": "skeleton",
    "*": "arrow", "p": "sapling", "P": "ripe sapling",
    **{char: (name or "unknown") for name, char in MATERIAL_CHAR.items()},
    " ": "outside the map",
}


# --- textures -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _assets_dir() -> Path:
    """The installed crafter package's ``assets`` folder (found without importing crafter)."""
    spec = importlib.util.find_spec("crafter")
    if spec is None or spec.origin is None:
        raise ImportError("rendering needs the crafter package (for its textures)")
    return Path(spec.origin).parent / "assets"


@functools.lru_cache(maxsize=None)
def _texture(name: str, size: Pos) -> np.ndarray:
    """Texture ``name`` in [x, y] layout, nearest-neighbour resized to ``size``."""
    with Image.open(_assets_dir() / f"{name}.png") as image:
        texture = np.array(image).swapaxes(0, 1)
    if texture.shape[:2] != size:
        resized = Image.fromarray(texture).resize((size[1], size[0]), Image.Resampling.NEAREST)
        texture = np.array(resized)
    texture.setflags(write=False)
    return texture


def _scaled_size(factor: float, unit: np.ndarray) -> Pos:
    """``factor * unit`` truncated to integers, as the reference sizes inventory icons."""
    size = factor * unit
    return int(size[0]), int(size[1])


@functools.lru_cache(maxsize=None)
def _material_tiles(unit: Pos) -> np.ndarray:
    """One opaque RGB tile per material id, plus the out-of-map gray tile as the last entry."""
    tiles = [_texture(name or "unknown", unit)[..., :3] for name in MATERIALS]
    tiles.append(np.full(unit + (3,), OUT_OF_MAP_GRAY, np.uint8))
    stacked = np.stack(tiles)
    stacked.setflags(write=False)
    return stacked


def _object_texture(obj: GameObject, ripe: bool) -> str:
    """The texture name the reference draws for an object (``ripe``: a plant's ripeness)."""
    if obj.kind == "player":
        if obj.sleeping:  # type: ignore[union-attr]
            return "player-sleep"
        return f"player-{_DIRECTION_NAME[obj.facing]}"  # type: ignore[union-attr]
    if obj.kind == "arrow":
        return f"arrow-{_DIRECTION_NAME[obj.facing]}"  # type: ignore[union-attr]
    if obj.kind == "plant":
        return "plant-ripe" if ripe else "plant"
    return obj.kind


def _paste(canvas: np.ndarray, corner: Iterable[int], texture: np.ndarray) -> None:
    """Draw ``texture`` at ``corner`` of ``canvas`` in place, alpha-blending in float32 if RGBA."""
    x, y = (int(v) for v in corner)
    width, height = texture.shape[:2]
    region = canvas[x:x + width, y:y + height]
    if texture.shape[-1] == 4:
        alpha = texture[..., 3:].astype(np.float32) / 255
        color = texture[..., :3].astype(np.float32) / 255
        blended = alpha * color + (1 - alpha) * (region.astype(np.float32) / 255)
        texture = (255 * blended).astype(np.uint8)
    region[...] = texture


# --- layout ---------------------------------------------------------------------------------

def _grids(view: Pos) -> tuple[Pos, Pos]:
    """The (local view, inventory) grids in cells: the inventory takes the bottom rows."""
    item_rows = -(-len(ITEMS) // view[0])
    return (view[0], view[1] - item_rows), (view[0], item_rows)


def _local_cells(state: WorldState, grid: Pos) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """World x and y coordinates of the grid's columns and rows (player at ``grid // 2``)."""
    (px, py), (ox, oy) = state.player.pos, (grid[0] // 2, grid[1] // 2)
    xs = np.arange(grid[0]) + px - ox
    ys = np.arange(grid[1]) + py - oy
    inside = ((xs >= 0) & (xs < state.config.area[0]))[:, None] & \
             ((ys >= 0) & (ys < state.config.area[1]))[None, :]
    return xs, ys, inside


# --- pixels ---------------------------------------------------------------------------------

def night_noise_rng(state: WorldState) -> np.random.RandomState:
    """The night-noise generator: seeded from (seed, episode, step), not ``state.rng``."""
    entropy = [value % 2 ** 64 for value in (state.seed, state.episode, state.step)]
    return np.random.RandomState(np.random.MT19937(np.random.SeedSequence(entropy)))


def _local_view(state: WorldState, grid: Pos, unit: np.ndarray) -> np.ndarray:
    """The lit local view in [x, y] layout as float64, before the uint8 truncation."""
    cell = (int(unit[0]), int(unit[1]))
    xs, ys, inside = _local_cells(state, grid)
    clipped = np.ix_(xs.clip(0, state.config.area[0] - 1), ys.clip(0, state.config.area[1] - 1))
    ids = np.where(inside, state.materials[clipped], len(MATERIALS))
    tiles = _material_tiles(cell)[ids]
    canvas = tiles.transpose(0, 2, 1, 3, 4).reshape(grid[0] * cell[0], grid[1] * cell[1], 3)
    origin = np.array((xs[0], ys[0]))
    for obj in state.objects.values():
        offset = np.array(obj.pos) - origin
        if 0 <= offset[0] < grid[0] and 0 <= offset[1] < grid[1]:
            texture = _object_texture(obj, _ripe(obj, state))
            _paste(canvas, offset * unit, _texture(texture, cell))
    lit = _light(canvas, np.float64(state.daylight), state)
    if state.player.sleeping:
        lit = _tint(_saturate(lit, 0.0), SLEEP_TINT, 0.5)
    return lit


def _light(canvas: np.ndarray, daylight: np.float64, state: WorldState) -> np.ndarray:
    """Mix the canvas with its night version (noisy when dark, desaturated, tinted blue)."""
    night = canvas
    if daylight < 0.5:
        night = _add_night_noise(night, 2 * (0.5 - daylight), night_noise_rng(state))
    night = _tint(_saturate(night, NIGHT_SATURATION), NIGHT_TINT, 0.5)
    return daylight * canvas + (1 - daylight) * night


def _add_night_noise(canvas: np.ndarray, amount: np.float64,
                     rng: np.random.RandomState) -> np.ndarray:
    """Blend per-pixel gray noise in, strongest at the edges (vignette)."""
    noise = rng.uniform(*NIGHT_NOISE_RANGE, canvas.shape[:2])[..., None]
    mask = amount * _vignette(canvas.shape[:2])[..., None]
    return (1 - mask) * canvas + mask * noise


@functools.lru_cache(maxsize=16)
def _vignette(shape: Pos) -> np.ndarray:
    """0 at the centre rising to ~1 at the corners, on a [-1, 1] grid of ``shape``."""
    xs = np.linspace(-1, 1, shape[0])[:, None]
    ys = np.linspace(-1, 1, shape[1])[None, :]
    vignette = 1 - np.exp(-0.5 * (xs ** 2 + ys ** 2) / (NIGHT_VIGNETTE_STDDEV ** 2))
    vignette.setflags(write=False)
    return vignette


def _saturate(canvas: np.ndarray, factor: float) -> np.ndarray:
    """PIL's colour enhancement of the uint8-truncated canvas (0 = grayscale)."""
    image = Image.fromarray(canvas.astype(np.uint8))
    return np.array(ImageEnhance.Color(image).enhance(factor))


def _tint(canvas: np.ndarray, color: tuple[int, int, int], amount: float) -> np.ndarray:
    """Move every pixel ``amount`` of the way towards ``color``."""
    return (1 - amount) * canvas + amount * np.array(color)


def _item_view(state: WorldState, grid: Pos, unit: np.ndarray) -> np.ndarray:
    """The inventory rows: each held item's icon and count in its slot, on black."""
    canvas = np.zeros((grid[0] * int(unit[0]), grid[1] * int(unit[1]), 3), np.uint8)
    icon_size, digit_size = _scaled_size(0.8, unit), _scaled_size(0.6, unit)
    for index, item in enumerate(ITEMS):
        amount = state.player.inventory[item]
        if amount < 1:
            continue
        slot = np.array((index % grid[0], index // grid[0])) * unit
        _paste(canvas, (slot + 0.1 * unit).astype(np.int32), _texture(item, icon_size))
        digit = str(amount) if amount < 10 else "unknown"
        _paste(canvas, (slot + 0.4 * unit).astype(np.int32), _texture(digit, digit_size))
    return canvas


def render_pixels(state: WorldState, size: tuple[int, int] | None = None) -> np.ndarray:
    """The RGB image ``crafter.Env.render(size)`` shows for this state, shape (height, width, 3)."""
    size_ = np.array(size if size is not None else state.config.size)
    view = np.array(state.config.view)
    unit = size_ // view
    local_grid, item_grid = _grids(state.config.view)
    drawing = np.concatenate(
        [_local_view(state, local_grid, unit), _item_view(state, item_grid, unit)], axis=1)
    canvas = np.zeros((int(size_[0]), int(size_[1]), 3), np.uint8)
    x, y = (size_ - unit * view) // 2
    canvas[x:x + drawing.shape[0], y:y + drawing.shape[1]] = drawing
    return np.ascontiguousarray(canvas.transpose(1, 0, 2))


# --- semantic map ---------------------------------------------------------------------------

def semantic_map(state: WorldState) -> np.ndarray:
    """The reference's ``info['semantic']``: material ids with object ids 13..18 on top, [x, y]."""
    canvas = np.array(state.materials, dtype=np.uint8)
    for obj in state.objects.values():
        canvas[obj.pos] = SEMANTIC_OBJECT_ID[obj.kind]
    return canvas


# --- text -----------------------------------------------------------------------------------

def _ripe(obj: GameObject, state: WorldState) -> bool:
    """Whether ``obj`` is a plant ripe under the state's rules."""
    return isinstance(obj, Plant) and obj.is_ripe(state.config.rules)


def _object_symbol(obj: GameObject, ripe: bool) -> str:
    """One character for an object: the player by facing (``@`` asleep), creatures by letter."""
    if obj.kind == "player":
        return "@" if obj.sleeping else _PLAYER_SYMBOL[obj.facing]  # type: ignore[union-attr]
    if obj.kind == "plant":
        return "P" if ripe else "p"
    return _CREATURE_SYMBOL[obj.kind]


def _status_line(state: WorldState) -> str:
    """Step, time of day, vitals, sleep and the other held items, on one line."""
    player = state.player
    period = "day" if state.daylight >= 0.5 else "night"
    vitals = " ".join(f"{name} {player.inventory[name]}" for name in VITALS)
    held = ", ".join(f"{name} {player.inventory[name]}" for name in ITEMS
                     if name not in VITALS and player.inventory[name])
    return (f"step {state.step} | {period} (daylight {state.daylight:.2f}) | {vitals} | "
            f"{'asleep' if player.sleeping else 'awake'} | inventory: {held or 'nothing'}")


def render_text(state: WorldState, radius: int | None = None) -> str:
    """A symbol grid around the player (the local view, or a square of ``radius``) plus status."""
    grid = _grids(state.config.view)[0] if radius is None else (2 * radius + 1, 2 * radius + 1)
    xs, ys, inside = _local_cells(state, grid)
    symbols = {obj.pos: _object_symbol(obj, _ripe(obj, state)) for obj in state.objects.values()}
    rows = []
    for j, y in enumerate(ys.tolist()):
        row = []
        for i, x in enumerate(xs.tolist()):
            if not inside[i, j]:
                row.append(" ")
            else:
                row.append(symbols.get((x, y)) or MATERIAL_CHAR[MATERIALS[state.materials[x, y]]])
        rows.append("".join(row))
    used = set("".join(rows))
    legend = "  ".join(f"{repr(char) if char == ' ' else char}={name}"
                       for char, name in _SYMBOL_NAMES.items() if char in used)
    return "\n".join(rows + [_status_line(state), f"legend: {legend}"])
