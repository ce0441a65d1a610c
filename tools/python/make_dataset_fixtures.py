#!/usr/bin/python3
"""Writes the small dataset fixtures under tools/fixtures/datasets with h5py (Debian python3-h5py).

Run with /usr/bin/python3 (the interpreter that sees python3-h5py and python3-numpy):
    /usr/bin/python3 tools/python/make_dataset_fixtures.py
Values follow closed formulas so the C# conformance tests can recompute them exactly.
"""
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'datasets')


def d4rl(path):
    # 60 rows; rewards/terminals stored (N, 1) to exercise squeezing; timeouts (N,).
    n = 60
    i = np.arange(n, dtype=np.float32)
    with h5py.File(path, 'w') as f:
        kw = dict(compression='gzip')
        f.create_dataset('observations', data=np.stack([i * 0.5, i * 0.25, -i], axis=1).astype(np.float32), **kw)
        f.create_dataset('actions', data=np.stack([np.sin(i), np.cos(i)], axis=1).astype(np.float32), **kw)
        f.create_dataset('rewards', data=(i % 7).reshape(n, 1).astype(np.float32), **kw)
        f.create_dataset('terminals', data=(np.arange(n) % 17 == 16).reshape(n, 1), **kw)
        f.create_dataset('timeouts', data=(np.arange(n) % 25 == 24), **kw)
        f.create_dataset('infos/goal', data=np.stack([i % 3, i % 5], axis=1).astype(np.float32), **kw)
        f.create_dataset('infos/qpos', data=np.stack([i * 0.5, i * 0.25], axis=1).astype(np.float32), **kw)
        f.create_dataset('infos/step', data=np.arange(n, dtype=np.int64), **kw)
        f.create_dataset('infos/task_id', data=(np.arange(n) % 4).astype(np.int32), **kw)
        f.create_dataset('infos/camera', data=((np.arange(n * 4 * 4 * 3) * 3) % 256).astype(np.uint8).reshape(n, 4, 4, 3), **kw)
        f.create_dataset('infos/instruction', data=np.array([f'step {k}' for k in range(n)], dtype=h5py.string_dtype()))
        f['metadata/algorithm'] = 'scripted waypoint expert'
        f['metadata/seed'] = np.int64(1234)
        f['metadata/ref_scores'] = np.array([23.85, 161.86], dtype=np.float64)


def minari(folder):
    # Two episodes of lengths 4 and 3: T+1 observations, T actions/rewards/terminations/truncations.
    data = os.path.join(folder, 'data')
    os.makedirs(data, exist_ok=True)
    lengths = [4, 3]
    with h5py.File(os.path.join(data, 'main_data.hdf5'), 'w') as f:
        for e, t in enumerate(lengths):
            g = f.create_group(f'episode_{e}')
            g.attrs['id'] = e
            g.attrs['total_steps'] = t
            g.attrs['seed'] = 100 + e
            k = np.arange(t + 1, dtype=np.float32)
            g.create_dataset('observations', data=np.stack([k + 10 * e, -k], axis=1).astype(np.float32))
            g.create_dataset('actions', data=(np.arange(t, dtype=np.float32) * 0.1 + e).reshape(t, 1))
            g.create_dataset('rewards', data=np.arange(t, dtype=np.float64))
            g.create_dataset('terminations', data=np.array([False] * (t - 1) + [e == 0]))
            g.create_dataset('truncations', data=np.array([False] * (t - 1) + [e == 1]))
            g.create_dataset('infos/success', data=np.array([False] * (t - 1) + [e == 0]))
    meta = {
        'dataset_id': 'test/pointmaze/tiny-v0', 'total_episodes': 2, 'total_steps': 7, 'data_format': 'hdf5',
        'observation_space': json.dumps({'type': 'Box', 'dtype': 'float32', 'shape': [2], 'low': [-1e9, -1e9], 'high': [1e9, 1e9]}),
        'action_space': json.dumps({'type': 'Box', 'dtype': 'float32', 'shape': [1], 'low': [-1.0], 'high': [1.0]}),
        'env_spec': json.dumps({'id': 'PointMaze-v3', 'max_episode_steps': 300}),
        'ref_min_score': 0.0, 'ref_max_score': 1.0, 'minari_version': '0.4.3',
    }
    with open(os.path.join(data, 'metadata.json'), 'w') as fp:
        json.dump(meta, fp, indent=2)


def robomimic(path):
    # Three demos; image obs uint8 (T, 8, 8, 3); filter keys train = demo_0, demo_2; valid = demo_1.
    lengths = [5, 3, 4]
    with h5py.File(path, 'w') as f:
        d = f.create_group('data')
        d.attrs['total'] = sum(lengths)
        d.attrs['env_args'] = json.dumps({'env_name': 'Lift', 'type': 1, 'env_kwargs': {'control_freq': 20}})
        for e, t in enumerate(lengths):
            g = d.create_group(f'demo_{e}')
            g.attrs['num_samples'] = t
            k = np.arange(t, dtype=np.float32)
            g.create_dataset('states', data=np.stack([k, k + e], axis=1).astype(np.float64))
            g.create_dataset('actions', data=np.stack([k * 0.1, -k * 0.1, k * 0 + e], axis=1).astype(np.float64))
            g.create_dataset('rewards', data=(k == t - 1).astype(np.float64))
            g.create_dataset('dones', data=(k == t - 1).astype(np.int64))
            eef = np.stack([k, k * 2, k * 3 + e], axis=1).astype(np.float64)
            g.create_dataset('obs/robot0_eef_pos', data=eef)
            g.create_dataset('next_obs/robot0_eef_pos', data=eef + 1)
            img = ((np.arange(t * 8 * 8 * 3).reshape(t, 8, 8, 3) + e * 7) % 251).astype(np.uint8)
            g.create_dataset('obs/agentview_image', data=img, compression='gzip')
            g.create_dataset('next_obs/agentview_image', data=(img + 1) % 251, compression='gzip')
        f.create_dataset('mask/train', data=np.array([b'demo_0', b'demo_2'], dtype='S8'))
        f.create_dataset('mask/valid', data=np.array([b'demo_1'], dtype='S8'))


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    d4rl(os.path.join(OUT, 'd4rl_small.hdf5'))
    minari(os.path.join(OUT, 'minari_small'))
    robomimic(os.path.join(OUT, 'robomimic_small.hdf5'))
    for root, _, files in os.walk(OUT):
        for name in files:
            p = os.path.join(root, name)
            print(f'{os.path.relpath(p, OUT)}: {os.path.getsize(p)} bytes')
