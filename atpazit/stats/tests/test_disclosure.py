"""Disclosure control (docs/disclosure-control.md): no visible cell under k, no hidden cell
recoverable from the published totals, linked tables consistent, broad groups only."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atpazit.stats.disclosure import (
    AGE_BANDS,
    CITIZENSHIP_NATIONAL,
    CITIZENSHIP_NON_EU,
    CITIZENSHIP_OTHER_EU,
    CITIZENSHIP_UNKNOWN,
    Table,
    age_band,
    augmented,
    check_min_cell,
    citizenship_group,
    protect_linked_tables,
    protect_series,
    protect_table,
    suppression_pattern,
)

# --- an attacker's linear algebra -----------------------------------------------------------------


def _rank(rows: list[list[Fraction]]) -> int:
    """Rank by Gaussian elimination over the rationals."""
    matrix = [row[:] for row in rows if any(row)]
    rank = 0
    width = len(matrix[0]) if matrix else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                factor = matrix[r][col] / matrix[rank][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def _equations(n_rows: int, n_cols: int) -> list[dict[tuple[int, int], int]]:
    """Every line of a table with its totals (``augmented``): the cells minus the total = 0."""
    total_row, total_col = n_rows, n_cols
    lines = []
    for i in range(n_rows + 1):
        line = {(i, j): 1 for j in range(n_cols)}
        line[(i, total_col)] = -1
        lines.append(line)
    for j in range(n_cols + 1):
        line = {(i, j): 1 for i in range(n_rows)}
        line[(total_row, j)] = -1
        lines.append(line)
    return lines


def recoverable(equations: list[dict[object, int]], hidden: Sequence[object]) -> list[object]:
    """The hidden unknowns a reader can compute exactly from the equations and the visible
    values: those whose unit vector lies in the row space of the equations restricted to the
    hidden unknowns (the visible ones are constants)."""
    unknowns = list(dict.fromkeys(hidden))
    matrix = [[Fraction(eq.get(u, 0)) for u in unknowns] for eq in equations]
    full = _rank(matrix)
    found = []
    for index, unknown in enumerate(unknowns):
        without = [row[:index] + row[index + 1 :] for row in matrix]
        if _rank(without) < full:
            found.append(unknown)
    return found


def _hidden_positions(table: Table) -> list[tuple[int, int]]:
    n_rows, n_cols = len(table.row_keys), len(table.col_keys)
    hidden = [(i, j) for i in range(n_rows) for j in range(n_cols) if table.cells[i][j].suppressed]
    hidden += [(i, n_cols) for i in range(n_rows) if table.row_totals[i].suppressed]
    hidden += [(n_rows, j) for j in range(n_cols) if table.col_totals[j].suppressed]
    if table.total.suppressed:
        hidden.append((n_rows, n_cols))
    return hidden


def _published(table: Table) -> dict[tuple[int, int], int | None]:
    n_rows, n_cols = len(table.row_keys), len(table.col_keys)
    shown: dict[tuple[int, int], int | None] = {}
    for i in range(n_rows):
        for j in range(n_cols):
            shown[(i, j)] = table.cells[i][j].value
        shown[(i, n_cols)] = table.row_totals[i].value
    for j in range(n_cols):
        shown[(n_rows, j)] = table.col_totals[j].value
    shown[(n_rows, n_cols)] = table.total.value
    return shown


# --- strategies ---------------------------------------------------------------------------------

small_counts = st.one_of(st.integers(0, 12), st.integers(0, 60), st.just(0), st.integers(1, 9))


@st.composite
def tables(draw: st.DrawFn, max_rows: int = 5, max_cols: int = 5) -> list[list[int]]:
    n_rows = draw(st.integers(1, max_rows))
    n_cols = draw(st.integers(1, max_cols))
    return [[draw(small_counts) for _ in range(n_cols)] for _ in range(n_rows)]


thresholds = st.integers(1, 12)


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(counts=tables(), k=thresholds)
def test_no_visible_cell_is_below_k_and_visible_cells_are_true(
    counts: list[list[int]], k: int
) -> None:
    rows = [f"r{i}" for i in range(len(counts))]
    cols = [f"c{j}" for j in range(len(counts[0]))]
    table = protect_table(rows, cols, counts, k=k)
    truth = augmented(counts)
    for (i, j), value in _published(table).items():
        if value is not None:
            assert value == truth[i][j]
            assert value == 0 or value >= k, f"cell {(i, j)} = {value} shown under k={k}"


@settings(max_examples=300, deadline=None)
@given(counts=tables(), k=thresholds)
def test_no_hidden_cell_can_be_recovered_from_the_totals(counts: list[list[int]], k: int) -> None:
    rows = [f"r{i}" for i in range(len(counts))]
    cols = [f"c{j}" for j in range(len(counts[0]))]
    table = protect_table(rows, cols, counts, k=k)
    hidden = _hidden_positions(table)
    equations = _equations(len(rows), len(cols))
    assert recoverable(equations, hidden) == []  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(counts=tables(), k=thresholds)
def test_zeros_are_never_hidden(counts: list[list[int]], k: int) -> None:
    """A hidden zero would let a reader use "no count is negative" to pin its neighbours down;
    every hidden cell is at least 1, so each cycle of hidden cells can shift by one either way
    and every hidden cell keeps at least two possible values."""
    truth = augmented(counts)
    for i, j in suppression_pattern(counts, k):
        assert truth[i][j] > 0


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(small_counts, min_size=1, max_size=8), k=thresholds)
def test_a_series_hides_small_cells_and_cannot_be_recovered(counts: list[int], k: int) -> None:
    keys = [f"k{i}" for i in range(len(counts))]
    series = protect_series(dict(zip(keys, counts, strict=True)), k=k)
    for cell, value in zip(series.cells, counts, strict=True):
        assert cell.value in (None, value)
        assert cell.value is None or cell.value == 0 or cell.value >= k
    hidden: list[object] = [key for key, cell in series.items() if cell.suppressed]
    if series.total.suppressed:
        hidden.append("total")
    equation: dict[object, int] = {key: 1 for key in keys}
    equation["total"] = -1
    assert recoverable([equation], hidden) == []


@settings(max_examples=150, deadline=None)
@given(data=st.data(), k=thresholds)
def test_linked_tables_give_nothing_away_together(data: st.DataObject, k: int) -> None:
    """Tables over the same rows (the official tables by registration status) publish the same
    row totals: solved together, no hidden cell of any of them can be recovered."""
    n_rows = data.draw(st.integers(1, 3))
    totals_by_row = [data.draw(st.integers(0, 40)) for _ in range(n_rows)]
    tables_in: dict[str, tuple[list[str], list[list[int]]]] = {}
    for t in range(data.draw(st.integers(2, 3))):
        n_cols = data.draw(st.integers(1, 4))
        counts = []
        for total in totals_by_row:
            # Split the row's total over the columns: every table counts the same population.
            cuts = sorted(data.draw(st.integers(0, total)) for _ in range(n_cols - 1))
            parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
            counts.append(parts)
        tables_in[f"t{t}"] = ([f"c{j}" for j in range(n_cols)], counts)
    rows = [f"r{i}" for i in range(n_rows)]
    published = protect_linked_tables(rows, tables_in, k=k)

    equations: list[dict[object, int]] = []
    hidden: list[object] = []
    for name, table in published.items():
        n_cols = len(table.col_keys)

        def var(i: int, j: int, name: str = name, n_cols: int = n_cols) -> object:
            # A row total (and the grand total) is one quantity, whichever table shows it.
            return ("rowtotal", i) if j == n_cols else (name, i, j)

        for equation in _equations(n_rows, n_cols):
            equations.append({var(i, j): c for (i, j), c in equation.items()})
        hidden += [var(i, j) for i, j in _hidden_positions(table)]
    assert recoverable(equations, hidden) == []
    # And the same total is shown (or hidden) alike everywhere.
    for i in range(n_rows + 1):
        shown = {
            (table.row_totals[i] if i < n_rows else table.total).value
            for table in published.values()
        }
        assert len(shown) == 1


# --- examples -----------------------------------------------------------------------------------


def test_one_small_cell_in_a_row_takes_a_second_cell_with_it() -> None:
    table = protect_table(["a", "b"], ["x", "y"], [[3, 20], [15, 30]], k=10)
    assert table.cell("a", "x").suppressed
    # Three more cells close the rectangle: a row, a column and the opposite corner.
    assert table.hidden == 4
    assert table.total.value == 68
    assert [cell.value for cell in table.row_totals] == [23, 45]


def test_two_blocks_joined_by_a_single_hidden_cell_are_still_protected() -> None:
    """Every line holds two hidden cells, yet the cell joining the two blocks is the only link:
    the classic "no line with exactly one hidden cell" rule would publish this. Ours does not."""
    counts = [
        [2, 3, 50, 50],
        [4, 5, 50, 50],
        [50, 50, 6, 7],
        [50, 50, 8, 9],
    ]
    table = protect_table(list("abcd"), list("wxyz"), counts, k=10)
    assert recoverable(_equations(4, 4), _hidden_positions(table)) == []  # type: ignore[arg-type]


def test_zero_is_shown_and_k_of_one_hides_nothing() -> None:
    series = protect_series({"f": 0, "m": 12, "o": 11}, k=10)
    assert [cell.value for cell in series.cells] == [0, 12, 11]
    exact = protect_table(["a"], ["x", "y"], [[1, 2]], k=1)
    assert exact.hidden == 0


def test_a_total_below_k_is_hidden_with_its_cells() -> None:
    series = protect_series({"f": 4, "m": 3}, k=10)
    assert series.total.suppressed
    assert all(cell.suppressed for cell in series.cells)


def test_without_suppression_every_figure_is_exact() -> None:
    table = protect_table(["a"], ["x", "y"], [[1, 2]], k=10, suppress=False)
    assert [cell.value for cell in table.cells[0]] == [1, 2]
    assert table.total.value == 3


@pytest.mark.parametrize("bad", [0, -1, "10", 2.5, True, None])
def test_the_threshold_must_be_a_whole_number_of_at_least_one(bad: object) -> None:
    with pytest.raises(ValueError, match="ATPAZIT_STATS_MIN_CELL"):
        check_min_cell(bad)


def test_a_table_with_negative_or_ragged_counts_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        protect_table(["a"], ["x"], [[-1]], k=10)
    with pytest.raises(ValueError, match="keys"):
        protect_table(["a", "b"], ["x"], [[1]], k=10)


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "0-13"),
        (13, "0-13"),
        (14, "14-17"),
        (17, "14-17"),
        (18, "18-24"),
        (34, "25-34"),
        (35, "35-49"),
        (49, "35-49"),
        (50, "50+"),
        (99, "50+"),
        (None, "unknown"),
        (-1, "unknown"),
    ],
)
def test_ages_fall_in_broad_bands(age: int | None, band: str) -> None:
    assert age_band(age) == band


def test_the_bands_cover_every_age_without_overlap() -> None:
    covered = [age for _code, low, high in AGE_BANDS for age in range(low, (high or 120) + 1)]
    assert covered == list(range(0, 121))


@pytest.mark.parametrize(
    ("country", "group"),
    [
        ("LV", CITIZENSHIP_NATIONAL),
        ("lv", CITIZENSHIP_NATIONAL),
        ("LT", CITIZENSHIP_OTHER_EU),
        ("GR", CITIZENSHIP_OTHER_EU),
        ("EL", CITIZENSHIP_OTHER_EU),
        ("UZ", CITIZENSHIP_NON_EU),
        ("NO", CITIZENSHIP_NON_EU),  # EEA, not EU
        ("", CITIZENSHIP_UNKNOWN),
        (None, CITIZENSHIP_UNKNOWN),
        ("ZZ", CITIZENSHIP_UNKNOWN),  # nationality not known is not "outside the EU"
        ("XX", CITIZENSHIP_NON_EU),  # stateless
    ],
)
def test_citizenship_groups(country: str | None, group: str) -> None:
    assert citizenship_group(country) == group


def test_the_attackers_algebra_finds_a_cell_left_alone() -> None:
    """The check above can fail: primary suppression alone leaves the cell recoverable."""
    counts = [[3, 20], [15, 30]]
    alone = [(0, 0), (0, 2), (2, 0)]  # the cell, its row total (23 is >= k) is not even hidden
    assert recoverable(_equations(2, 2), [(0, 0)]) == [(0, 0)]  # type: ignore[arg-type]
    assert recoverable(_equations(2, 2), alone) != []  # type: ignore[arg-type]
    assert suppression_pattern(counts, 10) != {(0, 0)}


def test_the_configured_threshold_is_read_and_checked(settings: object) -> None:
    from atpazit.stats.disclosure import min_cell

    settings.ATPAZIT_STATS_MIN_CELL = 5  # type: ignore[attr-defined]
    assert min_cell() == 5
    settings.ATPAZIT_STATS_MIN_CELL = 0  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="at least 1"):
        min_cell()


def test_a_small_figure_and_its_protector_read_alike() -> None:
    """1 and 10 under a visible total of 11: were the 10 marked "hidden to protect" (so at least
    k), the 1 would follow exactly. Both read the same, and nothing on a cell tells them apart."""
    from atpazit.stats.charts import shown

    series = protect_series({"a": 1, "b": 10}, k=10)
    assert series.total.value == 11
    assert series.cell("a") == series.cell("b")
    assert shown(series.cell("a"), 10) == shown(series.cell("b"), 10) == "hidden"
