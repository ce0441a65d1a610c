# Independent check of a generated tabletop-push file with h5py + numpy. Prints one JSON object.
import json
import sys

import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as f:
    obs = f["observations"][:]
    act = f["actions"][:]
    rew = f["rewards"][:]
    term = f["terminals"][:]
    timeouts = f["timeouts"][:]
    success = f["infos/success"][:]
    task = f["infos/task_index"][:]
    episode = f["infos/episode_index"][:]
    ep_success = f["metadata/episode_success"][:]
    ep_task = f["metadata/episode_task"][:]
    ep_failure = [s.decode() for s in f["metadata/episode_failure"][:]]
    instructions = [s.decode() for s in f["metadata/task_instructions"][:]]
    out = {"obs_shape": list(obs.shape), "act_shape": list(act.shape), "obs_dtype": str(obs.dtype), "term_dtype": str(term.dtype)}

ends = np.flatnonzero(term | timeouts)
starts = np.concatenate([[0], ends[:-1] + 1])
problems = []
for e, (s, t) in enumerate(zip(starts, ends)):
    rows = slice(s, t + 1)
    if not np.all(episode[rows] == e):
        problems.append(f"episode {e}: episode_index")
    if not np.all(success[rows] == ep_success[e]):
        problems.append(f"episode {e}: success label")
    if not np.all(task[rows] == ep_task[e]):
        problems.append(f"episode {e}: task")
    if bool(term[t]) != bool(ep_success[e]) or bool(timeouts[t]) == bool(ep_success[e]):
        problems.append(f"episode {e}: end flags")
    if bool(ep_success[e]) != (rew[t] == 1.0):
        problems.append(f"episode {e}: final reward")
    # The one-hot task in the observation agrees with the task index.
    block, zone = divmod(int(ep_task[e]), 4)
    if not (np.all(obs[rows, 22 + block] == 1) and np.all(obs[rows, 25 + zone] == 1)):
        problems.append(f"episode {e}: one-hot task")
out.update({
    "episodes": len(ends),
    "rows": int(len(obs)),
    "successes": int(ep_success.sum()),
    "failures_injected": sum(1 for k in ep_failure if k != "none"),
    "instructions": instructions,
    "max_abs_action": float(np.abs(act).max()),
    "problems": problems,
})
print(json.dumps(out))
