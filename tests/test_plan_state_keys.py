"""`PlanState`'s indexed key sets answer what the scans they replaced answered: what a restore
takes away below a key, and which known names are one edit from a name (MB417)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from modsl.checker.state import Keys, ObjectKey, covers
from modsl.engines.matrixone.rules.existence import near_miss_of, one_edit

parts = st.text(alphabet="abc12", min_size=1, max_size=4)
keys = st.lists(st.lists(parts, min_size=0, max_size=3).map(tuple), max_size=25)


def closed(found: list[ObjectKey]) -> list[ObjectKey]:
    return [k[:depth] for k in found for depth in range(len(k) + 1)]


@given(keys, st.lists(parts, min_size=0, max_size=3).map(tuple))
def test_take_away_below_is_the_scan(found: list[ObjectKey], obj: ObjectKey) -> None:
    scanned = {k for k in closed(found) if not (covers(obj, k) and k != obj)}
    indexed = Keys(closed(found))
    indexed.take_away_below(obj)
    assert set(indexed) == scanned
    indexed.update(closed([obj]))  # and it can be added to again
    assert set(indexed) == scanned | set(closed([obj]))


@given(keys, st.lists(parts, min_size=1, max_size=3).map(tuple))
def test_one_edit_candidates_miss_nothing_the_scan_finds(found: list[ObjectKey],
                                                         key: ObjectKey) -> None:
    known = Keys(closed(found))
    scanned = {k for k in known if len(k) == len(key) and k[:-1] == key[:-1]
               and one_edit(key[-1], k[-1]) is not None}
    assert scanned <= known.one_edit_candidates(key)
    assert all(k[:-1] == key[:-1] for k in known.one_edit_candidates(key))


@given(keys, st.lists(parts, min_size=1, max_size=3).map(tuple))
def test_candidates_without_digit_edits_miss_no_near_miss(found: list[ObjectKey],
                                                          key: ObjectKey) -> None:
    """MB417's look-up leaves out only names a digit's edit alone reaches."""
    known = Keys(closed(found))
    scanned = {k for k in known if len(k) == len(key) and k[:-1] == key[:-1]
               and near_miss_of(key[-1], k[-1])}
    narrowed = known.one_edit_candidates(key, digits=False)
    assert scanned <= narrowed <= known.one_edit_candidates(key)


@given(keys, st.lists(parts, min_size=0, max_size=3).map(tuple))
def test_add_with_prefixes_is_adding_each_prefix(found: list[ObjectKey], key: ObjectKey) -> None:
    one, each = Keys(closed(found)), Keys(closed(found))
    one.add_with_prefixes(key)
    each.update(closed([key]))
    assert set(one) == set(each)
    if key:
        assert one.one_edit_candidates(key) == each.one_edit_candidates(key)
