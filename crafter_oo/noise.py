"""Vectorised 3-D OpenSimplex noise, bit-identical to ``opensimplex`` 0.4.5.1.

Crafter draws its terrain from ``opensimplex.OpenSimplex(seed).noise3``, which evaluates one
point at a time in pure Python (about 25 µs per point). World generation needs tens of
thousands of points, so this module evaluates whole arrays with numpy instead.

Exactness is the point of the module, not an accident. The reference adds up to eight
vertex contributions per point; which lattice vertices they are, the order in which they
are added and the exact float expression of each displacement all depend on where the
point falls in the simplectic honeycomb:

* the *region*: tetrahedron A at (0,0,0), tetrahedron B at (1,1,1) or octahedron C between
  them. Each region has fixed vertices (4, 4 and 6), summed first in a fixed order;
* the *case* inside the region (24 in all), chosen from the two closest simplex vertices,
  which fixes the two extra vertices summed last.

Points are split by region with boolean masks and each region's contributions are summed in
the reference's order. Every displacement is evaluated as ``((d0 - early) - squish) - late``,
which reproduces each of the reference's expressions (``dx0 - 1 - 2 * SQUISH``, ``dx0 + 1``,
``dy0 - 1 - 3 * SQUISH`` followed by ``-= 1``, ...) operation for operation, so the float64
results are equal bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

STRETCH: Final[float] = -1.0 / 6
SQUISH: Final[float] = 1.0 / 3
NORM: Final[int] = 103

# The 24 gradient directions (approximating a rhombicuboctahedron's vertices).
GRADIENTS: Final[np.ndarray] = np.array([
    (-11, 4, 4), (-4, 11, 4), (-4, 4, 11),
    (11, 4, 4), (4, 11, 4), (4, 4, 11),
    (-11, -4, 4), (-4, -11, 4), (-4, -4, 11),
    (11, -4, 4), (4, -11, 4), (4, -4, 11),
    (-11, 4, -4), (-4, 11, -4), (-4, 4, -11),
    (11, 4, -4), (4, 11, -4), (4, 4, -11),
    (-11, -4, -4), (-4, -11, -4), (-4, -4, -11),
    (11, -4, -4), (4, -11, -4), (4, -4, -11),
], dtype=np.float64)

_LCG_MULTIPLIER: Final[int] = 6364136223846793005
_LCG_INCREMENT: Final[int] = 1442695040888963407

Offset = tuple[int, int, int]
# A contributing lattice vertex: its offset from the cell origin, and the part of that
# offset the reference subtracts only *after* the squish term (its "late" part).
Vertex = tuple[Offset, Offset]
_NO_OFFSET: Final[Offset] = (0, 0, 0)

AXES: Final[tuple[int, int, int]] = (1, 2, 4)  # bits of x, y, z in the reference's point codes

# Case kinds: the region, and which of its vertices are the two closest to the point.
KIND_A_ORIGIN_CLOSE: Final[int] = 0  # A, and (0,0,0) is one of the two closest vertices
KIND_A_ORIGIN_FAR: Final[int] = 1
KIND_B_CORNER_CLOSE: Final[int] = 2  # B, and (1,1,1) is one of the two closest vertices
KIND_B_CORNER_FAR: Final[int] = 3
KIND_C_BOTH_FAR_SIDE: Final[int] = 4  # C, both closest vertices on the (1,1,1) side
KIND_C_BOTH_NEAR_SIDE: Final[int] = 5  # C, both closest vertices on the (0,0,0) side
KIND_C_MIXED: Final[int] = 6  # C, one closest vertex on each side

# The vertices of each region's own simplex, in the reference's summation order.
FIXED_VERTICES: Final[dict[str, tuple[Offset, ...]]] = {
    "A": ((0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "B": ((1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1)),
    "C": ((1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1)),
}


def _wrap_int64(value: int) -> int:
    """Reduce ``value`` to a signed 64-bit integer, as ``ctypes.c_int64(value).value`` does."""
    return (value + 2**63) % 2**64 - 2**63


def permutation(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The permutation and gradient tables that ``opensimplex.OpenSimplex(seed)`` builds.

    A 64-bit LCG (three warm-up steps, then one step per entry) drives a Fisher–Yates-style
    shuffle of 0..255. Returns ``(perm, gradient_row)``, both int64 of length 256, where
    ``gradient_row[i]`` is the row of ``GRADIENTS`` used for hash value ``i``.
    """
    state = seed
    for _ in range(3):
        state = _wrap_int64(state * _LCG_MULTIPLIER + _LCG_INCREMENT)
    source = list(range(256))
    perm = np.zeros(256, dtype=np.int64)
    for i in range(255, -1, -1):
        state = _wrap_int64(state * _LCG_MULTIPLIER + _LCG_INCREMENT)
        r = (state + 31) % (i + 1)
        perm[i] = source[r]
        source[r] = source[i]
    return perm, perm % len(GRADIENTS)


def _at(values: dict[int, int]) -> Offset:
    """An offset given as ``{axis bit: value}``; axes not mentioned are zero."""
    x, y, z = (values.get(bit, 0) for bit in AXES)
    return x, y, z


def _split(code: int) -> list[int]:
    """The axis bits set in a point code, x first."""
    return [bit for bit in AXES if code & bit]


def extra_vertices(kind: int, p: int, q: int) -> tuple[Vertex, Vertex]:
    """The two extra (outside the simplex) vertices of a case, in the reference's order.

    ``p`` and ``q`` are the point codes (bit 1 = x, 2 = y, 4 = z) the reference derives
    from the two closest simplex vertices; ``q`` is only used by ``KIND_C_MIXED``.
    """
    signs = _at({bit: 1 if p & bit else -1 for bit in AXES})
    if kind == KIND_A_ORIGIN_CLOSE:
        # p is one axis, +1 there; the other two axes take -1 in turn, lower axis first.
        u, v = (bit for bit in AXES if bit != p)
        return (_at({p: 1, u: -1}), _NO_OFFSET), (_at({p: 1, v: -1}), _NO_OFFSET)
    if kind == KIND_A_ORIGIN_FAR:
        return (_at({bit: 1 for bit in _split(p)}), _NO_OFFSET), (signs, _NO_OFFSET)
    if kind == KIND_B_CORNER_CLOSE:
        # p is two axes u < v. When a 2 falls on the y axis the reference reaches it by a
        # second "-= 1" after the squish term; on x and z it subtracts 2 up front.
        u, v = _split(p)

        def late_y(offset: Offset) -> Vertex:
            return offset, (_at({2: 1}) if offset[1] == 2 else _NO_OFFSET)

        return late_y(_at({u: 2, v: 1})), late_y(_at({u: 1, v: 2}))
    if kind == KIND_B_CORNER_FAR:
        return (_at({p: 1}), _NO_OFFSET), (_at({p: 2}), _NO_OFFSET)
    if kind == KIND_C_BOTH_FAR_SIDE:
        return ((1, 1, 1), _NO_OFFSET), (_at({p: 2}), _NO_OFFSET)
    if kind == KIND_C_BOTH_NEAR_SIDE:
        return (_NO_OFFSET, _NO_OFFSET), (signs, _NO_OFFSET)
    # KIND_C_MIXED: a permutation of (1,1,-1) from p, and a permutation of (0,0,2) from q
    # whose 2 the reference subtracts after the squish term.
    return (signs, _NO_OFFSET), (_at({q: 2}), _at({q: 2}))


_TWO_AXES: Final[tuple[int, ...]] = (3, 5, 6)
# Every case as (kind, p, q).
CASES: Final[tuple[tuple[int, int, int], ...]] = (
    *((KIND_A_ORIGIN_CLOSE, p, 0) for p in AXES),
    *((KIND_A_ORIGIN_FAR, p, 0) for p in _TWO_AXES),
    *((KIND_B_CORNER_CLOSE, p, 0) for p in _TWO_AXES),
    *((KIND_B_CORNER_FAR, p, 0) for p in AXES),
    *((KIND_C_BOTH_FAR_SIDE, p, 0) for p in AXES),
    *((KIND_C_BOTH_NEAR_SIDE, p, 0) for p in _TWO_AXES),
    # The near-side point is never the opposite of the far-side one (only one vertex of
    # each opposite pair is a candidate), so q is always one of p's axes.
    *((KIND_C_MIXED, p, q) for p in _TWO_AXES for q in _split(p)),
)


class _ExtraTables:
    """The extra vertices of every case as lookup tables indexed by case number.

    ``offset[slot][axis]`` and friends are 1-D arrays over cases, so one fancy-index per
    component turns per-point case numbers into per-point vertex parameters.
    """

    def __init__(self) -> None:
        self.case_of = np.full((7, 8, 8), -1, dtype=np.int64)  # [kind, p, q] -> case
        self.offset = np.zeros((2, 3, len(CASES)), dtype=np.int64)
        self.early = np.zeros((2, 3, len(CASES)), dtype=np.float64)
        self.late = np.zeros((2, 3, len(CASES)), dtype=np.float64)
        self.squish = np.zeros((2, len(CASES)), dtype=np.float64)
        for case, (kind, p, q) in enumerate(CASES):
            self.case_of[kind, p, q] = case
            for slot, (offset, late) in enumerate(extra_vertices(kind, p, q)):
                self.offset[slot, :, case] = offset
                self.early[slot, :, case] = np.subtract(offset, late)
                self.late[slot, :, case] = late
                # The reference writes this term as `k * SQUISH`, k the coordinate sum.
                self.squish[slot, case] = sum(offset) * SQUISH


_EXTRA: Final[_ExtraTables] = _ExtraTables()


def _classify_a(xins: np.ndarray, yins: np.ndarray, zins: np.ndarray,
                in_sum: np.ndarray) -> np.ndarray:
    """Case numbers of points in tetrahedron A: which two of (1,0,0), (0,1,0), (0,0,1)
    are closest, and whether (0,0,0) is closer than the farther of them."""
    z_replaces_b = (xins >= yins) & (zins > yins)
    z_replaces_a = (xins < yins) & (zins > xins)
    a_score = np.where(z_replaces_a, zins, xins)
    a_point = np.where(z_replaces_a, 4, 1)
    b_score = np.where(z_replaces_b, zins, yins)
    b_point = np.where(z_replaces_b, 4, 2)
    origin_score = 1 - in_sum
    origin_close = (origin_score > a_score) | (origin_score > b_score)
    kind = np.where(origin_close, KIND_A_ORIGIN_CLOSE, KIND_A_ORIGIN_FAR)
    p = np.where(origin_close, np.where(b_score > a_score, b_point, a_point),
                 a_point | b_point)
    return _EXTRA.case_of[kind, p, 0]


def _classify_b(xins: np.ndarray, yins: np.ndarray, zins: np.ndarray,
                in_sum: np.ndarray) -> np.ndarray:
    """Case numbers of points in tetrahedron B: which two of (1,1,0), (1,0,1), (0,1,1)
    are closest, and whether (1,1,1) is closer than the farther of them."""
    z_replaces_b = (xins <= yins) & (zins < yins)
    z_replaces_a = (xins > yins) & (zins < xins)
    a_score = np.where(z_replaces_a, zins, xins)
    a_point = np.where(z_replaces_a, 3, 6)
    b_score = np.where(z_replaces_b, zins, yins)
    b_point = np.where(z_replaces_b, 3, 5)
    corner_score = 3 - in_sum
    corner_close = (corner_score < a_score) | (corner_score < b_score)
    kind = np.where(corner_close, KIND_B_CORNER_CLOSE, KIND_B_CORNER_FAR)
    p = np.where(corner_close, np.where(b_score < a_score, b_point, a_point),
                 a_point & b_point)
    return _EXTRA.case_of[kind, p, 0]


def _classify_c(xins: np.ndarray, yins: np.ndarray, zins: np.ndarray) -> np.ndarray:
    """Case numbers of points in octahedron C: the closer vertex of each opposite pair
    ((0,0,1)/(1,1,0), (0,1,0)/(1,0,1), (1,0,0)/(0,1,1)), then the best two of those three,
    and on which side ((0,0,0) or (1,1,1)) each of the two lies."""
    xy, xz, yz = xins + yins, xins + zins, yins + zins
    a_far, b_far, c_far = xy > 1, xz > 1, yz > 1
    a_score = np.where(a_far, xy - 1, 1 - xy)
    b_score = np.where(b_far, xz - 1, 1 - xz)
    c_score = np.where(c_far, yz - 1, 1 - yz)
    c_replaces_a = (a_score <= b_score) & (a_score < c_score)
    c_replaces_b = (a_score > b_score) & (b_score < c_score)
    c_point = np.where(c_far, 6, 1)
    a_point = np.where(c_replaces_a, c_point, np.where(a_far, 3, 4))
    b_point = np.where(c_replaces_b, c_point, np.where(b_far, 5, 2))
    a_far = np.where(c_replaces_a, c_far, a_far)
    b_far = np.where(c_replaces_b, c_far, b_far)
    same_side = a_far == b_far
    kind = np.where(same_side,
                    np.where(a_far, KIND_C_BOTH_FAR_SIDE, KIND_C_BOTH_NEAR_SIDE), KIND_C_MIXED)
    p = np.where(same_side, np.where(a_far, a_point & b_point, a_point | b_point),
                 np.where(a_far, a_point, b_point))
    q = np.where(same_side, 0, np.where(a_far, b_point, a_point))
    return _EXTRA.case_of[kind, p, q]


@dataclass(frozen=True, slots=True)
class _Cells:
    """A batch of points, each given relative to the origin of its honeycomb cell.

    ``d`` (float64, shape ``(3, n)``) holds the displacements from the origin along x, y
    and z; ``lattice`` (int64, ``(3, n)``) the origin's lattice coordinates modulo 256, all
    that the 256-entry permutation table can see of them.
    """

    d: np.ndarray
    lattice: np.ndarray

    def subset(self, index: np.ndarray) -> _Cells:
        """The points at positions ``index``."""
        return _Cells(self.d[:, index], self.lattice[:, index])


class SimplexNoise3:
    """3-D OpenSimplex noise equal bit for bit to ``opensimplex.OpenSimplex(seed).noise3``.

    Exact for all finite inputs whose honeycomb coordinates stay below 2**53 in magnitude
    (beyond that the reference sums Python ints exactly where this sums floats).
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed
        perm, gradient_row = permutation(seed)
        self._perm = perm
        # The gradient for each hash value, one contiguous table per axis.
        gradients = GRADIENTS[gradient_row]
        self._gradient = (gradients[:, 0].copy(), gradients[:, 1].copy(),
                          gradients[:, 2].copy())

    def noise(self, x: np.ndarray | float, y: np.ndarray | float,
              z: np.ndarray | float) -> np.ndarray:
        """Noise at the points ``(x, y, z)``, broadcast together; float64 in [-1, 1]."""
        xa, ya, za = np.broadcast_arrays(*(np.asarray(c, dtype=np.float64) for c in (x, y, z)))
        shape = xa.shape
        x, y, z = xa.ravel(), ya.ravel(), za.ravel()
        if not (np.isfinite(x).all() and np.isfinite(y).all() and np.isfinite(z).all()):
            raise ValueError("noise coordinates must be finite")

        # Place the points on the simplectic honeycomb and find their cell origin.
        stretch = (x + y + z) * STRETCH
        xs, ys, zs = x + stretch, y + stretch, z + stretch
        xsb, ysb, zsb = np.floor(xs), np.floor(ys), np.floor(zs)
        squish = (xsb + ysb + zsb) * SQUISH
        xins, yins, zins = xs - xsb, ys - ysb, zs - zsb
        in_sum = xins + yins + zins
        cells = _Cells(
            d=np.stack([x - (xsb + squish), y - (ysb + squish), z - (zsb + squish)]),
            lattice=np.mod(np.stack([xsb, ysb, zsb]), 256.0).astype(np.int64),
        )

        value = np.empty(len(x))
        in_a, in_b = in_sum <= 1, in_sum >= 2
        for region, members in (("A", in_a), ("B", in_b), ("C", ~(in_a | in_b))):
            index = np.flatnonzero(members)
            if region == "A":
                case = _classify_a(xins[index], yins[index], zins[index], in_sum[index])
            elif region == "B":
                case = _classify_b(xins[index], yins[index], zins[index], in_sum[index])
            else:
                case = _classify_c(xins[index], yins[index], zins[index])
            value[index] = self._region_sum(region, cells.subset(index), case)
        return (value / NORM).reshape(shape)

    def _region_sum(self, region: str, cells: _Cells, case: np.ndarray) -> np.ndarray:
        """The summed contributions of the points of one region, in the reference's order:
        the region's fixed vertices first, then the two extra vertices of each point's case."""
        total = np.zeros(len(case))
        for offset in FIXED_VERTICES[region]:
            squish = sum(offset) * SQUISH
            d = tuple((d0 - o) - squish for d0, o in zip(cells.d, offset))
            total += self._contribution(cells, offset, d)
        t = _EXTRA
        for slot in range(2):
            offset = tuple(t.offset[slot, axis][case] for axis in range(3))
            squish = t.squish[slot][case]
            d = tuple(((d0 - t.early[slot, axis][case]) - squish) - t.late[slot, axis][case]
                      for axis, d0 in enumerate(cells.d))
            total += self._contribution(cells, offset, d)
        return total

    def _contribution(self, cells: _Cells, offset: Sequence[int | np.ndarray],
                      d: Sequence[np.ndarray]) -> np.ndarray:
        """One vertex's contribution ``attn**4 * (gradient . d)`` per point, or 0 where the
        point lies outside the vertex's radius of influence (``attn <= 0``)."""
        dx, dy, dz = d
        attn = 2 - dx * dx - dy * dy - dz * dz
        lx, ly, lz = ((c + o) & 0xFF for c, o in zip(cells.lattice, offset))
        perm = self._perm
        hashed = (perm[(perm[lx] + ly) & 0xFF] + lz) & 0xFF
        gx, gy, gz = (g[hashed] for g in self._gradient)
        inside = attn > 0
        attn *= attn
        return np.where(inside, attn * attn * (gx * dx + gy * dy + gz * dz), 0.0)
