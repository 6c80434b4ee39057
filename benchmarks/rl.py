"""RL environment throughput: environment steps per second, one environment and a vector of 2.

Run: .venv/bin/python benchmarks/rl.py [--seconds S] [SCENARIO ...]
(default: tests/data/crossing.yaml and every bundled scenario).

An agent step is one ``step`` of the Gymnasium environment with a masked-random action; the
opponent (``random``, so its own cost stays small) plays in between, its actions counted as
engine actions.  ``1 env`` times a plain loop; ``async x2`` a ``gymnasium.vector.AsyncVectorEnv``
of two, counting both environments' steps; both include episodes' resets.  A second figure,
``aec``, is the PettingZoo environment stepped for both sides (every step is an agent's).
Figures, not assertions: tests never time anything.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import gymnasium as gym
import numpy as np

import nomonhan.env  # noqa: F401 - registers the ids
from nomonhan.env import raw_env
from nomonhan.resources import bundled_scenario_paths

CROSSING = Path(__file__).resolve().parents[1] / "tests" / "data" / "crossing.yaml"


def _make(ref: str):  # type: ignore[no-untyped-def]
    return lambda: gym.make("nomonhan/Scenario-v0", scenario=ref, opponent="random")


def single(ref: str, seconds: float) -> tuple[float, float]:
    environment = _make(ref)()
    rng = np.random.default_rng(0)
    observation, _ = environment.reset(seed=0)
    game = environment.unwrapped.game
    steps = actions = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        before = game.steps
        observation, _reward, terminated, truncated, _ = environment.step(int(rng.choice(np.flatnonzero(observation["action_mask"]))))
        steps += 1
        actions += game.steps - before
        if terminated or truncated:
            observation, _ = environment.reset()
    elapsed = time.perf_counter() - start
    return steps / elapsed, actions / elapsed


def vector(ref: str, seconds: float) -> float:
    environments = gym.vector.AsyncVectorEnv([_make(ref)] * 2)
    rng = np.random.default_rng(0)
    observations, _ = environments.reset(seed=[0, 1])
    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        actions = [int(rng.choice(np.flatnonzero(mask))) if mask.any() else 0 for mask in observations["action_mask"]]
        observations, *_ = environments.step(np.array(actions))
        steps += 2
    elapsed = time.perf_counter() - start
    environments.close()
    return steps / elapsed


def aec(ref: str, seconds: float) -> float:
    environment = raw_env(scenario=ref)
    environment.reset(seed=0)
    rng = np.random.default_rng(0)
    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        agent = environment.agent_selection
        if environment.terminations[agent] or environment.truncations[agent]:
            environment.reset()
            continue
        environment.step(int(rng.choice(np.flatnonzero(environment.observe(agent)["action_mask"]))))
        steps += 1
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("scenarios", nargs="*")
    args = parser.parse_args()
    refs = args.scenarios or [str(CROSSING), *(p.stem for p in bundled_scenario_paths())]
    print(f"{'scenario':<22} {'1 env steps/s':>14} {'(engine actions/s)':>19} {'async x2 steps/s':>17} {'aec steps/s':>12}")
    for ref in refs:
        steps, actions = single(ref, args.seconds)
        print(f"{Path(ref).stem:<22} {steps:>14.1f} {actions:>19.1f} {vector(ref, args.seconds):>17.1f} {aec(ref, args.seconds):>12.1f}")


if __name__ == "__main__":
    main()
