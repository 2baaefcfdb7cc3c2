"""Anchoring a quote that occurs more than once, or with words changed (factdb.quotes)."""

from __future__ import annotations

from factdb.quotes import find_anchor

TWICE = 'Earlier, Smith said "we will win". Later, at the rally, Jones said "we will win" too.'


def test_a_quote_found_twice_is_ambiguous_without_a_recorded_context() -> None:
    status, location = find_anchor("we will win", TWICE)
    assert status == "ambiguous"
    assert location is not None and location.start == TWICE.index("we will win")


def test_the_recorded_context_picks_the_occurrence() -> None:
    # the context recorded when the quote was anchored in an earlier version of the text
    status, location = find_anchor("we will win", TWICE, ("at the rally, Jones said \"", '" too.'))
    assert status == "found"
    assert location is not None and location.start == TWICE.rindex("we will win")
    assert location.prefix.endswith('Jones said "')
    # a context that fits neither better: still ambiguous
    assert find_anchor("we will win", TWICE, ("nothing alike", "at all"))[0] == "ambiguous"


def test_found_once_changed_and_missing() -> None:
    text = "Officials said Maysan is a key importing point for Iranian weapons, a US source said."
    assert find_anchor("a key importing point for Iranian weapons", text)[0] == "found"
    status, location = find_anchor("a key importation point for Iranian weapons", text)
    assert status == "changed"
    assert location is not None and location.exact == "a key importing point for Iranian weapons"
    assert find_anchor("absolutely complicit", text) == ("missing", None)
    assert find_anchor("we win", "they said we won")[0] == "missing"  # too short to call changed


def test_normalize_quote_text_is_the_anchoring_normalization_without_its_map() -> None:
    # the fast form reports use must give the text the anchoring (with offsets) gives
    import random

    from factdb.quotes import _normalized_with_map, normalize_quote_text

    rng = random.Random(5)
    pieces = ["a", "B", " ", "\n", "\t", "\u00a0", "\u2019", "\u201c", "\u2003", "\u3000", ".", "\x1c", "\u2026"]
    for _ in range(20000):
        sample = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert normalize_quote_text(sample) == _normalized_with_map(sample)[0], repr(sample)
