"""Environments for AI research: PettingZoo (two agents) and Gymnasium (one side against a
built-in opponent).  Needs the ``rl`` extra (gymnasium, pettingzoo, numpy); see docs/rl.md.

Built on ``engine.observe``, ``engine.legal_actions`` and ``engine.step`` only: an agent is
given what its side's observation holds, never the game state.
"""

from nomonhan.env.actions import ActionCodec
from nomonhan.env.aec import env, raw_env
from nomonhan.env.observation import GLOBAL_NAMES, ObservationEncoder
from nomonhan.env.policy import PolicyPlayer
from nomonhan.env.single_agent import NomonhanEnv, register

register()

__all__ = ["GLOBAL_NAMES", "ActionCodec", "NomonhanEnv", "ObservationEncoder", "PolicyPlayer", "env", "raw_env"]
