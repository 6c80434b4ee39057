"""Pinned vectors and properties for nomonhan.rng (splitmix64)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import MASK64, dice_sides, rng_states

from nomonhan.rng import Generator, next_u64, roll, seed_state

GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def test_first_output_matches_published_splitmix64_reference() -> None:
    # Vigna's splitmix64.c with x = 0 yields 0xE220A8397B1DCDAF first.
    value, state = next_u64(0)
    assert value == 0xE220A8397B1DCDAF
    assert state == GOLDEN_GAMMA


def test_pinned_sequence_from_zero() -> None:
    # Computed once with this code; the same four values as the reference implementation.
    expected = [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC]
    state = 0
    got = []
    for _ in expected:
        value, state = next_u64(state)
        got.append(value)
    assert got == expected
    assert state == (4 * GOLDEN_GAMMA) & MASK64


def test_pinned_seed_states_and_rolls() -> None:
    # Pinned so that any change to seeding or rolling (which would break saved games and replays)
    # shows up as a test failure.
    assert seed_state(0) == 16294208416658607535
    assert seed_state(1) == 10451216379200822465
    state = seed_state(12345)
    assert state == 2454886589211414944
    faces = []
    for _ in range(10):
        face, state = roll(state, 6)
        faces.append(face)
    assert faces == PINNED_D6_FROM_SEED_12345


PINNED_D6_FROM_SEED_12345 = [6, 1, 1, 5, 4, 6, 5, 4, 4, 1]


@given(rng_states())
def test_next_u64_is_64_bit_and_advances_by_gamma(state: int) -> None:
    value, new_state = next_u64(state)
    assert 0 <= value <= MASK64
    assert new_state == (state + GOLDEN_GAMMA) & MASK64


@settings(max_examples=200)
@given(rng_states(), dice_sides())
def test_roll_within_bounds(state: int, sides: int) -> None:
    value, new_state = roll(state, sides)
    assert 1 <= value <= sides
    assert 0 <= new_state <= MASK64
    assert new_state != state


@given(rng_states())
def test_one_sided_die_always_one(state: int) -> None:
    assert roll(state, 1)[0] == 1


@pytest.mark.parametrize("sides", [0, -1, -6])
def test_roll_rejects_nonpositive_sides(sides: int) -> None:
    with pytest.raises(ValueError):
        roll(0, sides)


def test_roll_rejection_path_consumes_an_extra_step() -> None:
    # With sides = 3 * 2**62 the acceptance limit is 3 * 2**62, so a quarter of outputs are
    # rejected.  Walk the stream to a state whose first output is rejected and whose second is
    # accepted, and check that roll returned the second output and consumed two steps.
    sides = 3 << 62
    limit = (1 << 64) - ((1 << 64) % sides)
    assert limit == sides
    state = 0
    for _ in range(1000):
        first, after_first = next_u64(state)
        second, after_second = next_u64(after_first)
        if first >= limit and second < limit:
            break
        state = after_first
    else:  # pragma: no cover - would mean the generator is badly broken
        pytest.fail("no rejected-then-accepted pair in 1000 steps")
    assert roll(state, sides) == (second % sides + 1, after_second)


def test_d6_distribution_is_roughly_uniform() -> None:
    state = seed_state(2024)
    counts: Counter[int] = Counter()
    n = 6000
    for _ in range(n):
        face, state = roll(state, 6)
        counts[face] += 1
    assert set(counts) == {1, 2, 3, 4, 5, 6}
    assert all(800 <= counts[face] <= 1200 for face in range(1, 7)), counts
    expected = n / 6
    chi_square = sum((counts[f] - expected) ** 2 / expected for f in range(1, 7))
    assert chi_square < 20.52  # 5 degrees of freedom, p = 0.001


@given(st.integers(), st.integers(min_value=-1000, max_value=1000), st.integers(0, 1000))
def test_generator_randint_bounds(seed: int, low: int, width: int) -> None:
    gen = Generator(seed)
    high = low + width
    for _ in range(5):
        assert low <= gen.randint(low, high) <= high


def test_generator_randint_degenerate_and_inverted() -> None:
    gen = Generator(7)
    assert gen.randint(3, 3) == 3
    with pytest.raises(ValueError):
        gen.randint(4, 3)


def test_generator_covers_both_ends() -> None:
    gen = Generator(99)
    seen = {gen.randint(-2, 2) for _ in range(200)}
    assert seen == {-2, -1, 0, 1, 2}


def test_generator_is_deterministic_per_seed() -> None:
    a, b, c = Generator(42), Generator(42), Generator(43)
    seq_a = [a.randint(1, 1000) for _ in range(20)]
    assert seq_a == [b.randint(1, 1000) for _ in range(20)]
    assert seq_a != [c.randint(1, 1000) for _ in range(20)]


@pytest.mark.parametrize("empty", [[], (), ""])
def test_choice_on_empty_raises_index_error(empty) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IndexError):
        Generator(0).choice(empty)


@given(st.integers(), st.lists(st.integers(), min_size=1, max_size=20))
def test_choice_returns_a_member(seed: int, items: list[int]) -> None:
    assert Generator(seed).choice(items) in items


def test_seed_state_differs_for_adjacent_seeds() -> None:
    assert seed_state(0) != seed_state(1)
    assert len({seed_state(s) for s in range(100)}) == 100


@given(st.integers())
def test_seed_state_accepts_any_integer(seed: int) -> None:
    assert 0 <= seed_state(seed) <= MASK64
    assert seed_state(seed) == seed_state(seed & MASK64)
