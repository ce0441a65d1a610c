#!/usr/bin/python3
"""Writes the episode-boundary fixtures under tools/fixtures/datasets with h5py (Debian python3-h5py).

Run with /usr/bin/python3 (the interpreter that sees python3-h5py and python3-numpy):
    /usr/bin/python3 tools/python/make_episode_fixtures.py

Independent of our C# code: the robomimic files follow robomimic's own writers
(robomimic/scripts/dataset_states_to_obs.py at d309eae: done_mode 2, actions_abs, action_dict/*,
model_file and ep_meta demo attributes, env_args = json.dumps(env.serialize(), indent=4);
robomimic/utils/file_utils.py create_hdf5_filter_key: masks as np.array(keys, dtype='S')), and the
D4RL v0-like file has no timeouts, as d4rl's v0 datasets. Values follow closed formulas so the C#
tests can recompute them; every file stays far below 1 MB.
"""
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'datasets')

# robosuite-style demo numbers (1-based, and demo_10 sorts before demo_2 by name: robomimic sorts
# by the integer, dataset.py load_demo_info). Per demo: length and the first success step.
ROBOMIMIC_DEMOS = {1: (16, 9), 2: (13, 6), 3: (15, 7), 10: (12, 4)}
# demo 3 touches success once early (step 3) and loses it again: a done inside, far from the end.
FLICKER = {3: [3]}


def model_xml(demo):
    return f'<mujoco model="base"><worldbody><body name="cube" pos="0 0 {0.8 + 0.01 * demo:.2f}"/></worldbody></mujoco>'


def robomimic_done_mode_2(path):
    with h5py.File(path, 'w') as f:
        data = f.create_group('data')
        total = 0
        for demo, (t, success_from) in ROBOMIMIC_DEMOS.items():
            g = data.create_group(f'demo_{demo}')
            k = np.arange(t, dtype=np.float64)
            success = k >= success_from
            for s in FLICKER.get(demo, []):
                success[s] = True
            # done_mode 2: done = (t == traj_len) or is_success(), written as int(done)
            dones = np.array([int(bool(success[i]) or i == t - 1) for i in range(t)])
            g.create_dataset('actions', data=np.stack([k * 0.01 * j + demo for j in range(7)], axis=1))
            g.create_dataset('actions_abs', data=np.stack([k * 0.1 + j - demo for j in range(7)], axis=1))
            g.create_dataset('states', data=np.stack([k, k * 0 + demo, -k, k * k, k + 0.5], axis=1))
            g.create_dataset('rewards', data=success.astype(np.float64))
            g.create_dataset('dones', data=dones)
            g.create_dataset('action_dict/abs_pos', data=np.stack([k, k + 1, k + 2], axis=1) * 0.001 * demo)
            g.create_dataset('action_dict/abs_rot_6d', data=np.stack([k * j for j in range(6)], axis=1).astype(np.float64))
            g.create_dataset('action_dict/gripper', data=((k % 2) * 2 - 1).reshape(t, 1))
            eef = np.stack([k, k * 2, k * 3 + demo], axis=1)
            g.create_dataset('obs/robot0_eef_pos', data=eef)
            g.create_dataset('next_obs/robot0_eef_pos', data=eef + 1)
            grip = np.stack([k * 0.5, -k * 0.5], axis=1)
            g.create_dataset('obs/robot0_gripper_qpos', data=grip)
            g.create_dataset('next_obs/robot0_gripper_qpos', data=grip + 0.5)
            img = ((np.arange(t * 6 * 6 * 3).reshape(t, 6, 6, 3) + demo * 11) % 251).astype(np.uint8)
            g.create_dataset('obs/agentview_image', data=img, compression='gzip')
            g.create_dataset('next_obs/agentview_image', data=(img + 1) % 251, compression='gzip')
            g.attrs['model_file'] = model_xml(demo)
            g.attrs['ep_meta'] = json.dumps({'lang': f'lift the cube {demo}', 'layout_id': demo})
            g.attrs['num_samples'] = t
            total += t
        data.attrs['total'] = total
        env = {'env_name': 'Lift', 'env_version': '1.4.1', 'type': 1,
               'env_kwargs': {'has_renderer': False, 'control_freq': 20, 'robots': ['Panda'],
                              'controller_configs': {'type': 'OSC_POSE'}}}
        data.attrs['env_args'] = json.dumps(env, indent=4)
        # create_hdf5_filter_key: f["mask/<name>"] = np.array(demo_keys, dtype='S')
        f['mask/train'] = np.array(['demo_1', 'demo_10', 'demo_3'], dtype='S')
        f['mask/valid'] = np.array(['demo_2'], dtype='S')
        f['mask/20_percent'] = np.array(['demo_10'], dtype='S')


def robomimic_without_rewards(path):
    # Two demos with actions, dones and obs but no rewards: robomimic's in-memory loader would
    # substitute zeros; our converters must not invent them silently.
    with h5py.File(path, 'w') as f:
        data = f.create_group('data')
        lengths = [5, 4]
        for e, t in enumerate(lengths):
            g = data.create_group(f'demo_{e}')
            k = np.arange(t, dtype=np.float64)
            g.create_dataset('actions', data=np.stack([k, -k], axis=1))
            g.create_dataset('dones', data=(k == t - 1).astype(np.int64))
            g.create_dataset('obs/state', data=np.stack([k + 10 * e, k * 0.5], axis=1).astype(np.float32))
            g.create_dataset('next_obs/state', data=np.stack([k + 1 + 10 * e, (k + 1) * 0.5], axis=1).astype(np.float32))
            g.attrs['num_samples'] = t
        data.attrs['total'] = sum(lengths)
        data.attrs['env_args'] = json.dumps({'env_name': 'PointMaze', 'type': 2, 'env_kwargs': {}}, indent=4)


# D4RL v0: time-limited episodes are not marked (no timeouts key). Limit 10. Episodes in order:
# 10 rows cut by the limit, 4 rows ending in a terminal, 10 rows cut, 10 rows cut, 6 trailing rows.
D4RL_V0_LIMIT = 10
D4RL_V0_EPISODES = [(10, False), (4, True), (10, False), (10, False), (6, False)]


def d4rl_v0_without_timeouts(path):
    obs, act, rew, term = [], [], [], []
    for e, (t, terminal) in enumerate(D4RL_V0_EPISODES):
        for s in range(t):
            obs.append([e, s, e * 100 + s])   # episode number and step: the ground truth of the split
            act.append([s * 0.1, -e * 0.1])
            rew.append(float(s))
            term.append(terminal and s == t - 1)
    with h5py.File(path, 'w') as f:
        kw = dict(compression='gzip')
        f.create_dataset('observations', data=np.array(obs, dtype=np.float32), **kw)
        f.create_dataset('actions', data=np.array(act, dtype=np.float32), **kw)
        f.create_dataset('rewards', data=np.array(rew, dtype=np.float32), **kw)
        f.create_dataset('terminals', data=np.array(term, dtype=bool), **kw)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    targets = {
        'robomimic_done_mode2.hdf5': robomimic_done_mode_2,
        'robomimic_no_rewards.hdf5': robomimic_without_rewards,
        'd4rl_v0_no_timeouts.hdf5': d4rl_v0_without_timeouts,
    }
    for name, write in targets.items():
        p = os.path.join(OUT, name)
        write(p)
        print(f'{name}: {os.path.getsize(p)} bytes')
