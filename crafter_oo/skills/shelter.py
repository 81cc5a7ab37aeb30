"""The night shelter: a room of two or three cells whose every side a zombie cannot walk on.

Zombies hurt only from the four neighbouring cells and walk only on grass, sand and
path (crafter-spec §2.2), and they multiply as daylight falls (§2.6: up to
``int(3.5 - 3 * daylight)`` per grassy chunk, steps 116-272 of each 300-step day). A
player standing in a room all of whose neighbours are something else (water, tree,
stone, a placed table or stone...) cannot be reached, asleep or awake.

Why two or three cells in a line: the player faces a free cell only by walking into it,
so from inside a one-cell room it can never face, and so never block, the cell it came
in from. In a straight room it can: walking to one end faces that end's cap, walking
back faces the other. So a room is entered by a cap, and its other sides must already
be blocked, or be blocked from outside first; ``build_step`` finds the order by a
breadth-first search over (position, facing, cells blocked so far) in a small window
around the room. A three-cell room costs two more sides but lets the player, in the
middle, face grass at night (``do`` on grass drops a sapling by chance).

A room is only chosen if the player can get out in the morning: some side is a
material it can collect into a walkable one (a tree, or stone with a wood pickaxe,
placed stone included: what collecting leaves is read from the world's rules). Tables are never collectible and arrows turn
them into path (§2.4), so stone is placed first and rooms near path (tunnels, where
skeletons live) are avoided.
"""

from __future__ import annotations

from collections import deque
from itertools import product

from crafter_oo.geometry import MOVE_ACTION, Room, ahead, distance
from crafter_oo.rules import WALKABLE
from crafter_oo.state import Pos, WorldState

WINDOW = 3  # how far around the room the building search may walk
CLEARANCE = 8  # a room with path (tunnels) or a skeleton this close is avoided: arrows break tables


def zombies_near(state: WorldState, within: int) -> bool:
    """Whether a zombie is within ``within`` steps of the player."""
    return any(distance(z.pos, state.player.pos) <= within for _, z in state.creatures("zombie"))


def blocks_held(state: WorldState) -> int:
    """How many cells the player can block: one per stone, one per two wood (a table)."""
    inventory = state.player.inventory
    return inventory["stone"] + inventory["wood"] // 2


def block_action(state: WorldState) -> str:
    """The place action that blocks a cell: stone while any is held (arrow-proof and
    collectible again), else a table."""
    return "place_stone" if state.player.inventory["stone"] > 0 else "place_table"


def is_near(room: Room, pos: Pos) -> bool:
    """Whether ``pos`` is inside the window ``build_step`` searches."""
    return room.within(pos, WINDOW)


def open_sides(room: Room, state: WorldState) -> list[Pos]:
    """The sides a zombie could walk onto."""
    return [pos for pos in room.sides if state.material(pos) in WALKABLE]


def is_closed(room: Room, state: WorldState) -> bool:
    """Whether the player is inside and no side is walkable."""
    return state.player.pos in room.cells and not open_sides(room, state)


def exits(room: Room, state: WorldState) -> list[Pos]:
    """The blocked sides the player could collect into walkable cells from inside."""
    return [pos for pos in room.sides if state.material(pos) not in WALKABLE and opens(state, state.material(pos))]


def opens(state: WorldState, material: str | None) -> bool:
    """Whether collecting ``material`` with the player's inventory leaves a walkable cell."""
    rule = state.config.rules.collect.get(material or "")
    if rule is None or rule.leaves not in WALKABLE:
        return False
    inventory = state.player.inventory
    return all(inventory[item] >= amount for item, amount in rule.require.items())


def would_open(state: WorldState, room: Room, action: str) -> bool:
    """Whether ``action`` would open a side of the closed ``room``."""
    player = state.player
    faced = ahead(player.pos, player.facing)
    return action == "do" and faced in room.sides and opens(state, state.material(faced))


def can_leave_by(state: WorldState, room: Room) -> bool:
    """Whether the player could get out of ``room`` once it has blocked its open sides."""
    if exits(room, state):
        return True
    stone_placed = state.player.inventory["stone"] > 0 and open_sides(room, state)
    return bool(stone_placed) and opens(state, "stone")


def candidate_rooms(state: WorldState, steps: dict[Pos, tuple[int, str]]) -> list[tuple[tuple, Room]]:
    """Rooms made of reachable cells the player can close and leave, cheapest first.

    ``steps`` maps each reachable free cell to (walking steps, first action), as
    ``crafter_oo.skills.navigation.Reach`` computes it. The cost is the number of open sides, plus one
    per side closed by a table rather than stone (arrows break tables), one for a room
    not by water (where it can drink at night) and three for a two-cell room (in a
    three-cell one, the middle cell faces an end cell: grass to try ``do`` on at night),
    then the walk.
    """
    blocks = blocks_held(state)
    dangers = [pos for pos in steps if state.material(pos) == "path"]
    dangers += [skeleton.pos for _, skeleton in state.creatures("skeleton")]
    rooms = []
    for cell, direction, length in product(steps, ((1, 0), (0, 1)), (2, 3)):
        room = Room.along(cell, direction, length)
        if not all(pos in steps for pos in room.cells):
            continue
        materials = [state.material(pos) for pos in room.sides]
        need = len(open_sides(room, state))
        entrances = [cap for cap in room.caps if state.material(cap) in WALKABLE]  # a side entered by stays behind
        if "lava" in materials or need > blocks or not entrances or not can_leave_by(state, room):
            continue
        if any(distance(p, c) <= CLEARANCE for p in dangers for c in room.cells):
            continue
        walk = min(steps[pos][0] for pos in room.cells)
        tables = max(0, need - state.player.inventory["stone"])
        rooms.append(((need + tables + ("water" not in materials) + 3 * (length == 2), walk), room))
    rooms.sort(key=lambda item: item[0])
    return rooms


def build_step(state: WorldState, room: Room) -> str | None:
    """The first action of the shortest way, from a player within the window around
    ``room``, to stand in it with every side blocked (``None``: there is none)."""
    todo = frozenset(open_sides(room, state))
    cells = set(room.cells)
    xs, ys = [c[0] for c in room.cells], [c[1] for c in room.cells]
    window = (min(xs) - WINDOW, max(xs) + WINDOW, min(ys) - WINDOW, max(ys) + WINDOW)
    creatures = {obj.pos for oid, obj in state.objects.items() if oid != 1}

    def free(pos: Pos, blocked: frozenset[Pos]) -> bool:
        return (window[0] <= pos[0] <= window[1] and window[2] <= pos[1] <= window[3]
                and pos not in blocked and pos not in creatures and state.material(pos) in WALKABLE)

    player = state.player
    start = (player.pos, player.facing, frozenset())
    first: dict[tuple, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        pos, facing, blocked = node
        if pos in cells and blocked == todo:
            return first[node] or "noop"
        faced = ahead(pos, facing)
        options = []
        if faced in todo and faced not in blocked and faced not in creatures:
            options.append(((pos, facing, blocked | {faced}), block_action(state)))
        for direction, name in MOVE_ACTION.items():
            target = ahead(pos, direction)
            options.append(((target if free(target, blocked) else pos, direction, blocked), name))
        for nxt, action in options:
            if nxt not in first:
                first[nxt] = first[node] or action
                queue.append(nxt)
    return None


def leave_step(state: WorldState, room: Room) -> str | None:
    """The next action of getting out of the closed ``room``: face an exit, then collect it."""
    player = state.player
    ways_out = exits(room, state)
    here = [pos for pos in ways_out if distance(pos, player.pos) == 1]
    for pos in here:
        direction = (pos[0] - player.pos[0], pos[1] - player.pos[1])
        return "do" if player.facing == direction else MOVE_ACTION[direction]
    for cell in room.cells:  # the exits are beside another cell of the room: step toward it
        if ways_out and cell != player.pos and any(distance(p, cell) == 1 for p in ways_out):
            dx, dy = cell[0] - player.pos[0], cell[1] - player.pos[1]
            return MOVE_ACTION[((dx > 0) - (dx < 0), (dy > 0) - (dy < 0))]
    return None
