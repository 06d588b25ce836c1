"""Statistical disclosure control: small-cell suppression, complementary suppression, broad
groups (docs/disclosure-control.md).

Pure functions over plain counts: no ORM, no request. The selectors count in SQL and hand the
counts here before anything reaches a reader without case-level access, or any export.

The method, in short:

- **Primary suppression.** A count of 1..k-1 is hidden (k = ``ATPAZIT_STATS_MIN_CELL``, 10 by
  default). A zero is shown: no category here is a structural zero, and "nobody" discloses
  nobody. Totals are cells like any other, so a total below k is hidden too.
- **Complementary suppression.** A table is published with its row and column totals, so every
  row and every column of the table *with* its totals is a linear equation. A hidden cell can
  be recovered exactly from the published cells iff it lies on no cycle of the bipartite graph
  whose nodes are the table's lines (rows and columns, the totals' line included) and whose
  edges are the hidden cells (see the document for why). So, while some hidden cell is a bridge
  of that graph, the cheapest path of further cells that closes a cycle through it is hidden
  too (Dijkstra; a cell costs its count, a total costs more than any inner cell so that totals
  stay visible, zeros are never used: a hidden zero would let the bounds ``>= 0`` give a cell
  away). This covers the classic rule (no line with exactly one hidden cell) and the cases it
  misses (two blocks joined by a single hidden cell).
- **Linked tables** that publish the same totals (the official tables all publish the totals
  by registration status) are suppressed together: a total hidden in one is hidden in all,
  until nothing changes.
- **Broad groups only.** Ages in bands (``AGE_BANDS``), child/adult; citizenship as national,
  other EU, non-EU (``citizenship_group``).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_MIN_CELL = 10

# --- broad groups --------------------------------------------------------------------------------

# (code, lowest age, highest age or None): the bands a reader without case-level access sees.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-13", 0, 13),
    ("14-17", 14, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-49", 35, 49),
    ("50+", 50, None),
)
AGE_UNKNOWN = "unknown"
AGE_BAND_CODES: tuple[str, ...] = (*(code for code, _low, _high in AGE_BANDS), AGE_UNKNOWN)


def age_band(age: int | None) -> str:
    """The band of an age in whole years; ``unknown`` for none or a negative age."""
    if age is None or age < 0:
        return AGE_UNKNOWN
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return AGE_UNKNOWN  # pragma: no cover - the last band is open


NATIONAL_COUNTRY = "LV"
# No value, and ISO's user-assigned "nationality not known"; stateless (XX) is outside the EU.
NOT_KNOWN_COUNTRIES = frozenset({"", "ZZ"})
# The other 26 member states of the European Union (ISO 3166-1 alpha-2; Greece is "GR" in ISO).
OTHER_EU_COUNTRIES = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR",
        "HU", "IE", "IT", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip
CITIZENSHIP_NATIONAL = "national"
CITIZENSHIP_OTHER_EU = "other_eu"
CITIZENSHIP_NON_EU = "non_eu"
CITIZENSHIP_UNKNOWN = "unknown"
CITIZENSHIP_GROUPS = (
    CITIZENSHIP_NATIONAL,
    CITIZENSHIP_OTHER_EU,
    CITIZENSHIP_NON_EU,
    CITIZENSHIP_UNKNOWN,
)


def citizenship_group(country: str | None) -> str:
    """Eurostat's citizenship groups: the reporting country, another EU state, outside the EU."""
    code = (country or "").strip().upper()
    if code in NOT_KNOWN_COUNTRIES:
        return CITIZENSHIP_UNKNOWN
    if code == NATIONAL_COUNTRY:
        return CITIZENSHIP_NATIONAL
    if code == "EL":  # Eurostat's code for Greece
        return CITIZENSHIP_OTHER_EU
    if code in OTHER_EU_COUNTRIES:
        return CITIZENSHIP_OTHER_EU
    return CITIZENSHIP_NON_EU


# --- the threshold ------------------------------------------------------------------------------


def check_min_cell(value: object) -> int:
    """The threshold k, validated: a whole number of at least 1 (1 suppresses nothing)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"ATPAZIT_STATS_MIN_CELL must be a whole number, not {value!r}")
    if value < 1:
        raise ValueError(f"ATPAZIT_STATS_MIN_CELL must be at least 1, not {value}")
    return value


def min_cell() -> int:
    """The configured threshold k (``ATPAZIT_STATS_MIN_CELL``, 10 unless set)."""
    from django.conf import settings

    return check_min_cell(getattr(settings, "ATPAZIT_STATS_MIN_CELL", DEFAULT_MIN_CELL))


# --- published cells ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One published figure: ``value`` is None when hidden.

    Deliberately no "why": a figure hidden because it is below k and one hidden to protect it
    must look alike. Told apart, they leak (cells 1 and 10 of a visible total 11: the one hidden
    to protect the other is at least k, so the small one is exactly 1)."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)


@dataclass(frozen=True)
class Table:
    """A two-way table with its totals, as published."""

    row_keys: tuple[str, ...]
    col_keys: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    col_totals: tuple[Cell, ...]
    total: Cell
    k: int
    suppressed: bool  # whether disclosure control was applied at all

    def cell(self, row: str, col: str) -> Cell:
        return self.cells[self.row_keys.index(row)][self.col_keys.index(col)]

    @property
    def hidden(self) -> int:
        """How many figures (totals included) are hidden."""
        inner = sum(cell.suppressed for row in self.cells for cell in row)
        margins = sum(cell.suppressed for cell in (*self.row_totals, *self.col_totals))
        return inner + margins + int(self.total.suppressed)


@dataclass(frozen=True)
class Series:
    """A one-way breakdown with its total, as published."""

    keys: tuple[str, ...]
    cells: tuple[Cell, ...]
    total: Cell
    k: int
    suppressed: bool

    def cell(self, key: str) -> Cell:
        return self.cells[self.keys.index(key)]

    @property
    def hidden(self) -> int:
        return sum(cell.suppressed for cell in self.cells) + int(self.total.suppressed)

    def items(self) -> list[tuple[str, Cell]]:
        return list(zip(self.keys, self.cells, strict=True))


# --- the algorithm ------------------------------------------------------------------------------

Position = tuple[int, int]


def augmented(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with a total column on the right and a total row at the bottom."""
    rows = [list(row) for row in counts]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every row of a table must have the same number of cells")
    if any(value < 0 for row in rows for value in row):
        raise ValueError("a count cannot be negative")
    with_totals = [[*row, sum(row)] for row in rows]
    bottom = [sum(row[j] for row in with_totals) for j in range(width + 1)]
    return [*with_totals, bottom]


def suppression_pattern(
    counts: Sequence[Sequence[int]], k: int, *, forced: Iterable[Position] = ()
) -> set[Position]:
    """Which cells of the table *with its totals* to hide (positions in ``augmented(counts)``:
    row ``len(counts)`` is the total row, column ``len(counts[0])`` the total column).

    ``forced`` are cells hidden anyway (e.g. a total another linked table had to hide)."""
    k = check_min_cell(k)
    grid = augmented(counts)
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    if n_rows == 0 or n_cols == 0:
        return set()
    hidden = {(i, j) for i in range(n_rows) for j in range(n_cols) if 0 < grid[i][j] < k}
    hidden |= {(i, j) for i, j in forced if grid[i][j] > 0}
    # A total costs more than any inner cell, the grand total more than any total.
    grand = grid[n_rows - 1][n_cols - 1]

    def cost(i: int, j: int) -> int:
        margins = (i == n_rows - 1) + (j == n_cols - 1)
        return grid[i][j] + margins * (grand + 1)

    while True:
        bridge = _first_bridge(hidden)
        if bridge is None:
            return hidden
        path = _cheapest_detour(grid, hidden, bridge, cost)
        if path is None:  # pragma: no cover - a table with a non-zero hidden cell always has one
            return {(i, j) for i in range(n_rows) for j in range(n_cols) if grid[i][j] > 0}
        hidden |= path


def _first_bridge(hidden: set[Position]) -> Position | None:
    """A hidden cell on no cycle of the line graph (rows and columns as nodes), if any."""
    for edge in sorted(hidden):
        rest = hidden - {edge}
        if not _connected(rest, ("r", edge[0]), ("c", edge[1])):
            return edge
    return None


def _connected(edges: set[Position], start: tuple[str, int], goal: tuple[str, int]) -> bool:
    adjacency: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in edges:
        adjacency.setdefault(("r", i), []).append(("c", j))
        adjacency.setdefault(("c", j), []).append(("r", i))
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for other in adjacency.get(node, []):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return False


def _cheapest_detour(
    grid: list[list[int]],
    hidden: set[Position],
    bridge: Position,
    cost: Callable[[int, int], int],
) -> set[Position] | None:
    """The cheapest set of non-zero cells that joins the bridge's row and column again."""
    n_rows, n_cols = len(grid), len(grid[0])
    start, goal = ("r", bridge[0]), ("c", bridge[1])
    best: dict[tuple[str, int], int] = {start: 0}
    came: dict[tuple[str, int], tuple[tuple[str, int], Position]] = {}
    queue: list[tuple[int, tuple[str, int]]] = [(0, start)]
    while queue:
        distance, node = heapq.heappop(queue)
        if node == goal:
            break
        if distance > best.get(node, distance):
            continue
        kind, index = node
        neighbours = (
            [(("c", j), (index, j)) for j in range(n_cols)]
            if kind == "r"
            else [(("r", i), (i, index)) for i in range(n_rows)]
        )
        for other, position in neighbours:
            if position == bridge or grid[position[0]][position[1]] == 0:
                continue
            step = 0 if position in hidden else cost(*position)
            if distance + step < best.get(other, distance + step + 1):
                best[other] = distance + step
                came[other] = (node, position)
                heapq.heappush(queue, (distance + step, other))
    if goal not in came:
        return None
    path: set[Position] = set()
    node = goal
    while node != start:
        node, position = came[node]
        path.add(position)
    return path


# --- tables as published ------------------------------------------------------------------------


def protect_table(
    row_keys: Sequence[str],
    col_keys: Sequence[str],
    counts: Sequence[Sequence[int]],
    *,
    k: int,
    suppress: bool = True,
    forced: Iterable[Position] = (),
) -> Table:
    """The table as a reader sees it: suppressed when ``suppress`` (readers without case-level
    access, every export), exact otherwise."""
    if len(counts) != len(row_keys) or any(len(row) != len(col_keys) for row in counts):
        raise ValueError("the counts do not match the keys of the table")
    grid = augmented(counts) if row_keys and col_keys else _empty_grid(row_keys, col_keys)
    pattern = suppression_pattern(counts, k, forced=forced) if suppress and counts else set()

    def cell(i: int, j: int) -> Cell:
        value = grid[i][j]
        if (i, j) in pattern:
            return Cell(None)
        return Cell(value)

    n_rows, n_cols = len(row_keys), len(col_keys)
    return Table(
        row_keys=tuple(row_keys),
        col_keys=tuple(col_keys),
        cells=tuple(tuple(cell(i, j) for j in range(n_cols)) for i in range(n_rows)),
        row_totals=tuple(cell(i, n_cols) for i in range(n_rows)),
        col_totals=tuple(cell(n_rows, j) for j in range(n_cols)),
        total=cell(n_rows, n_cols),
        k=k,
        suppressed=suppress,
    )


def _empty_grid(row_keys: Sequence[str], col_keys: Sequence[str]) -> list[list[int]]:
    return [[0] * (len(col_keys) + 1) for _ in range(len(row_keys) + 1)]


def protect_series(
    counts: Mapping[str, int] | Sequence[tuple[str, int]], *, k: int, suppress: bool = True
) -> Series:
    """A one-way breakdown and its total. Its only equation is "the cells add up to the total",
    which a table of one row with its totals states exactly."""
    items = list(counts.items()) if isinstance(counts, Mapping) else list(counts)
    keys = [key for key, _value in items]
    if not keys:
        return Series((), (), Cell(0), k=k, suppressed=suppress)
    table = protect_table(["all"], keys, [[value for _key, value in items]], k=k, suppress=suppress)
    return Series(
        keys=tuple(keys),
        cells=table.cells[0],
        total=table.row_totals[0],
        k=k,
        suppressed=suppress,
    )


def protect_linked_tables(
    row_keys: Sequence[str],
    tables: Mapping[str, tuple[Sequence[str], Sequence[Sequence[int]]]],
    *,
    k: int,
    suppress: bool = True,
) -> dict[str, Table]:
    """Tables that share their rows (and so publish the same row totals and grand total), each
    with its own columns: suppressed together, so a row total hidden in one is hidden in every
    one and no table gives away what another hides."""
    forced_rows: set[int] = set()
    grand_forced = False
    while True:
        published: dict[str, Table] = {}
        for name, (col_keys, counts) in tables.items():
            n_cols = len(col_keys)
            forced = {(i, n_cols) for i in forced_rows}
            if grand_forced:
                forced.add((len(row_keys), n_cols))
            published[name] = protect_table(
                row_keys, col_keys, counts, k=k, suppress=suppress, forced=forced
            )
        rows_now = {
            i
            for table in published.values()
            for i, cell in enumerate(table.row_totals)
            if cell.suppressed
        }
        grand_now = any(table.total.suppressed for table in published.values())
        if rows_now <= forced_rows and grand_now <= grand_forced:
            return published
        forced_rows |= rows_now
        grand_forced = grand_forced or grand_now
