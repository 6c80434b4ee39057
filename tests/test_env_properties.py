"""Properties of the RL environments over random games: the action mask is the legal actions,
both ways, and an agent is given nothing its side cannot see."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_information import SCENARIOS, _scenario, disguise, hidden_from, sampled_states

from nomonhan import engine
from nomonhan.actions import Advance, AirMission, Attack, BuildBridge, Declare, DemolishBridge, Move, Retreat, Support
from nomonhan.env import raw_env

BLOCKS = {
    Move: "to_hex",
    Retreat: "to_hex",
    Support: "to_hex",
    Declare: "declare",
    Attack: "overrun",
    BuildBridge: "bridge",
    DemolishBridge: "demolish",
    Advance: "advance",
    AirMission: "air",
}
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _environment(ref: str) -> raw_env:
    found = _ENVIRONMENTS.get(ref)
    if found is None:
        found = _ENVIRONMENTS[ref] = raw_env(scenario=_scenario(ref))
    return found


_ENVIRONMENTS: dict[str, raw_env] = {}


@SLOW
@given(ref=st.sampled_from(SCENARIOS), seed=st.integers(0, 3), pick=st.integers(0, 10**6), choice=st.integers(0, 10**6))
def test_the_mask_is_the_legal_actions_both_ways(ref: str, seed: int, pick: int, choice: int) -> None:
    states = sampled_states(ref, seed)
    state = states[pick % len(states)]
    aec = _environment(ref)
    aec.start_from(state)
    side = state.acting_side
    codec = aec.codecs[side]
    positions = {u.id: u.hex for u in engine.observe(state, side).own_units}
    legal = list(engine.legal_actions(state))
    mask = aec.observe(side)["action_mask"]
    indices = [codec.encode(action, positions) for action in legal]
    # legal -> mask: each legal action has its own index, in its block, set in the mask
    assert len(set(indices)) == len(legal)
    assert all(mask[i] == 1 for i in indices)
    assert all(codec.block(i) == BLOCKS.get(type(a), "answers") for a, i in zip(legal, indices))
    # mask -> legal: every index set in the mask is one of those, and playing it plays that action
    assert set(np.flatnonzero(mask).tolist()) == set(indices)
    index = indices[choice % len(indices)]
    aec.step(index)
    expected, _events = engine.step(state, legal[choice % len(indices)])
    assert aec.game_state.digest() == expected.digest()


@SLOW
@given(ref=st.sampled_from(SCENARIOS), seed=st.integers(0, 3), pick=st.integers(0, 10**6), draw=st.data())
def test_what_a_side_cannot_see_changes_nothing_in_its_planes_or_mask(ref: str, seed: int, pick: int, draw: st.DataObject) -> None:
    states = sampled_states(ref, seed)
    state = states[pick % len(states)]
    side = state.acting_side
    other = disguise(state, side, draw)
    assert other.digest() != state.digest() or not hidden_from(state, side)
    aec = _environment(ref)
    aec.start_from(state)
    given_state = aec.observe(side)
    aec.start_from(other)
    given_other = aec.observe(side)
    for key in ("observation", "globals", "action_mask"):
        assert np.array_equal(given_state[key], given_other[key]), key
