"""A frame for watching a life: the game's image with a panel beside it (step, time of day,
the action taken, vitals as bars, the inventory), so a replay shows what the pixels alone do not."""

from __future__ import annotations

import functools

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from crafter_oo.render import render_pixels
from crafter_oo.rules import ITEMS, VITALS
from crafter_oo.state import WorldState

VIEW_SIZE = 288  # the game's image in pixels: 32 per cell of the 9x9 view (textures scaled 2x)
PANEL_WIDTH = 260
MARGIN = 10
FONT_SIZE = 14
LINE_HEIGHT = 18
BAR_WIDTH = 130
VITAL_MAX = 9
PANEL_COLOR = (24, 24, 28)
TEXT_COLOR = (230, 230, 230)
BAR_BACK = (70, 70, 78)
BAR_COLOR = (110, 200, 120)
LOW_VITAL_COLOR = (235, 90, 70)  # a vital at 3 or less: the player is in danger
LOW_VITAL = 3
ITEM_COLUMNS = 2


@functools.lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font at the panel's size."""
    return ImageFont.load_default(size=FONT_SIZE)


def clock_lines(state: WorldState, action: str | None) -> list[str]:
    """The panel's first lines: step, time of day, sleep and the action taken from this state."""
    period = "day" if state.daylight >= 0.5 else "night"
    return [f"step {state.step}",
            f"{period} (daylight {state.daylight:.2f}), {'asleep' if state.player.sleeping else 'awake'}",
            f"action: {action}" if action is not None else "the life ends here"]


def held_items(state: WorldState) -> list[str]:
    """The items held besides the vitals, as ``name count``, in the game's item order."""
    inventory = state.player.inventory
    return [f"{name} {inventory[name]}" for name in ITEMS if name not in VITALS and inventory[name]]


def render_frame(state: WorldState, action: str | None = None) -> np.ndarray:
    """The game's image (``render_pixels``) with the panel to its right, (288, 548, 3) uint8.

    ``action`` is the action taken from this state (``None`` for the last state of a life).
    Every frame has the same size, so frames of a life make a video.
    """
    canvas = Image.new("RGB", (VIEW_SIZE + PANEL_WIDTH, VIEW_SIZE), PANEL_COLOR)
    canvas.paste(Image.fromarray(render_pixels(state, (VIEW_SIZE, VIEW_SIZE))), (0, 0))
    draw, font, left = ImageDraw.Draw(canvas), _font(), VIEW_SIZE + MARGIN
    y = MARGIN
    for line in clock_lines(state, action):
        draw.text((left, y), line, fill=TEXT_COLOR, font=font)
        y += LINE_HEIGHT
    y += LINE_HEIGHT // 2
    for name in VITALS:
        amount = state.player.inventory[name]
        draw.text((left, y), f"{name} {amount}", fill=TEXT_COLOR, font=font)
        bar_left, bar_top = left + 80, y + 3
        draw.rectangle((bar_left, bar_top, bar_left + BAR_WIDTH, bar_top + 10), fill=BAR_BACK)
        color = LOW_VITAL_COLOR if amount <= LOW_VITAL else BAR_COLOR
        if amount > 0:
            draw.rectangle((bar_left, bar_top, bar_left + BAR_WIDTH * min(amount, VITAL_MAX) // VITAL_MAX,
                            bar_top + 10), fill=color)
        y += LINE_HEIGHT
    y += LINE_HEIGHT // 2
    items = held_items(state)
    draw.text((left, y), "inventory:" if items else "inventory: nothing", fill=TEXT_COLOR, font=font)
    y += LINE_HEIGHT
    column_width = (PANEL_WIDTH - 2 * MARGIN) // ITEM_COLUMNS
    for index, item in enumerate(items):
        row, column = divmod(index, ITEM_COLUMNS)
        draw.text((left + column * column_width, y + row * LINE_HEIGHT), item, fill=TEXT_COLOR, font=font)
    return np.asarray(canvas)
