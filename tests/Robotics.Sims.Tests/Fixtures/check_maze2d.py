# Independent check of a generated maze2d file with h5py + numpy (Debian's /usr/bin/python3).
# Usage: check_maze2d.py FILE MAX_EPISODE_STEPS REWARD_TYPE GOAL_W GOAL_H ; prints one JSON object.
import json
import sys

import h5py
import numpy as np

path, max_steps, reward_type = sys.argv[1], int(sys.argv[2]), sys.argv[3]
goal_tile = np.array([float(sys.argv[4]), float(sys.argv[5])])
keys = ["observations", "actions", "rewards", "terminals", "timeouts", "infos/goal", "infos/qpos", "infos/qvel", "infos/goal_reached"]
with h5py.File(path, "r") as f:
    out = {
        "dtypes": {k: str(f[k].dtype) for k in keys},
        "shapes": {k: list(f[k].shape) for k in keys},
        "compression": sorted({str(f[k].compression) for k in keys}),
        "env": f["metadata/env"][()].decode(),
        "fixes": [s.decode() for s in f["metadata/generator_fixes"][:]],
        "max_episode_steps": int(f["metadata/max_episode_steps"][()]),
    }
    obs = f["observations"][:]
    rew = f["rewards"][:]
    term = f["terminals"][:]
    timeouts = f["timeouts"][:]
    reached = f["infos/goal_reached"][:]
    goal = f["infos/goal"][:]
    qpos = f["infos/qpos"][:]

# Reward of row i is measured on the observation after action i, against the maze's fixed goal.
d = np.linalg.norm(obs[1:, :2].astype(np.float64) - goal_tile, axis=1)
expected = (d <= 0.5).astype(np.float64) if reward_type == "sparse" else np.exp(-d)
out["reward_max_err"] = float(np.max(np.abs(rew[:-1] - expected)))
out["reward_sum"] = float(rew.sum())
# Semi-implicit Euler: qpos[i+1] = qpos[i] + dt * qvel[i+1] on every row, so no row is stale.
out["continuity_max_err"] = float(np.max(np.abs(obs[1:, :2] - (obs[:-1, :2] + 0.01 * obs[1:, 2:]))))
out["repeated_rows"] = int(np.sum(np.all(obs[1:] == obs[:-1], axis=1)))
out["qpos_matches_obs"] = bool(np.array_equal(qpos, obs[:, :2]))
boundary = reached | timeouts
change = np.any(goal[1:] != goal[:-1], axis=1)
out["changes_without_boundary"] = int(np.sum(change & ~boundary[:-1]))
out["boundaries_without_change"] = int(np.sum(boundary[:-1] & ~change))
lengths, bad_timeouts, count = [], 0, 0
for i in range(len(obs)):
    count += 1
    if timeouts[i] and count != max_steps and i != len(obs) - 1:  # the budget truncates the last segment
        bad_timeouts += 1
    if boundary[i]:
        lengths.append(count)
        count = 0
out["max_segment"] = max(lengths) if lengths else count
out["segments"] = len(lengths)
out["timeouts"] = int(timeouts.sum())
out["last_row_timeout"] = bool(timeouts[-1])
out["goals_reached"] = int(reached.sum())
out["timeouts_not_at_limit"] = bad_timeouts
out["any_terminal"] = bool(term.any())
print(json.dumps(out))
