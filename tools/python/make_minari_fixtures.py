#!/usr/bin/python3
"""Writes Minari 0.5.3-layout fixtures under tools/fixtures/datasets with h5py, numpy and PIL.

Run with /usr/bin/python3 (Debian's python3-h5py, python3-numpy and python3-pil):
    /usr/bin/python3 tools/python/make_minari_fixtures.py

The writer below follows minari 0.5.3 (minari/dataset/_storages/hdf5_storage.py _add_episode_to_group,
minari/serialization.py serialize_space, minari/dataset/minari_storage.py MinariStorage.new /
update_metadata, minari/utils.py _generate_dataset_metadata) without importing minari or gymnasium:
  * one group episode_{i} per episode with attrs id, total_steps and seed (absent when unknown);
  * Dict spaces are groups keyed by subspace name, Tuple spaces groups of _index_{i};
  * leaf lists are stored with chunks=True and maxshape=(None, *shape); lists of str as utf-8 strings;
  * image leaves (uint8 frames of rank 2, or rank 3 with 1 or 3 channels) are JPEG-encoded with PIL,
    one frame per row: variable-length uint8 when the encoded lengths differ, else a (rows, length)
    uint8 array (h5py's choice when every frame has the same length);
  * infos have T + 1 rows (the reset info first);
  * metadata.json: spaces serialised to strings (Box low/high as lists, so -Infinity/Infinity appear as
    Python's json writes them), author / author_email as lists (sets through _json_converter),
    minari_version and dataset_id. 0.5.3 writes no jpeg_encoding key (it always encodes image spaces).
Values follow closed formulas so the C# tests can recompute them; the JPEG fixture also stores PIL's
own decoding of every frame (pil_decoded.hdf5, outside data/) as the reference pixels.
"""
import io
import json
import os
import shutil

import h5py
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'datasets')
INF = float('inf')


# ---- minari/serialization.py, for the spaces used here -------------------------------------------
def box(dtype, shape, low, high):
    low = np.full(shape, low, dtype=dtype) if np.isscalar(low) else np.asarray(low, dtype=dtype)
    high = np.full(shape, high, dtype=dtype) if np.isscalar(high) else np.asarray(high, dtype=dtype)
    return {'type': 'Box', 'dtype': str(np.dtype(dtype)), 'shape': list(shape), 'low': low.tolist(), 'high': high.tolist()}


def discrete(n, start=0):
    return {'type': 'Discrete', 'dtype': 'int64', 'start': int(start), 'n': int(n)}


def multi_binary(n):
    return {'type': 'MultiBinary', 'n': n}


def text(max_length, charset):
    return {'type': 'Text', 'max_length': max_length, 'min_length': 1, 'charset': charset}


def dict_space(subspaces):
    # gymnasium.spaces.Dict sorts the keys of a plain dict.
    return {'type': 'Dict', 'subspaces': {k: subspaces[k] for k in sorted(subspaces)}}


def tuple_space(items):
    return {'type': 'Tuple', 'subspaces': list(items)}


# ---- minari/dataset/_storages/hdf5_storage.py ----------------------------------------------------
def _is_image(data):
    if not (isinstance(data, np.ndarray) and data.dtype == np.uint8):
        return False
    if len(data.shape) in {2, 3}:
        return True
    if len(data.shape) == 4:
        return data.shape[-1] in {1, 3}
    return False


def encode_frame(frame):
    buffer = io.BytesIO()
    Image.fromarray(frame).save(buffer, format='JPEG')
    return np.frombuffer(buffer.getvalue(), dtype=np.uint8).flatten()


def add_to_group(buffer, group):
    for key, data in buffer.items():
        if isinstance(data, dict):
            add_to_group(data, group.require_group(key))
        elif isinstance(data, tuple):
            add_to_group({f'_index_{i}': d for i, d in enumerate(data)}, group.require_group(key))
        elif (isinstance(data, list) and all(_is_image(e) for e in data)) or (isinstance(data, np.ndarray) and _is_image(data)):
            data = [encode_frame(f) for f in data]
            dt = None
            if any(f.shape != data[0].shape for f in data):
                dt = h5py.vlen_dtype(np.uint8)
            group.create_dataset(key, data=data, dtype=dt, chunks=True)
        elif not isinstance(data, (list, np.ndarray)):
            if data is not None:
                group.create_dataset(key, data=data)
        else:
            dtype = None
            if all(isinstance(e, str) for e in data):
                dtype = h5py.string_dtype(encoding='utf-8')
            dshape = data[0].shape if hasattr(data[0], 'shape') else ()
            group.create_dataset(key, data=data, dtype=dtype, chunks=True, maxshape=(None, *dshape))


def write_dataset(root, dataset_id, episodes, observation_space, action_space, extra_metadata):
    folder = os.path.join(root, dataset_id, 'data')
    shutil.rmtree(os.path.join(root, dataset_id.split('/')[0]), ignore_errors=True)
    os.makedirs(folder)
    with h5py.File(os.path.join(folder, 'main_data.hdf5'), 'a', track_order=True) as f:
        for i, ep in enumerate(episodes):
            g = f.create_group(f'episode_{i}')
            g.attrs['id'] = i
            if ep.get('seed') is not None:
                g.attrs['seed'] = ep['seed']
            g.attrs['total_steps'] = len(ep['rewards'])
            add_to_group({k: ep[k] for k in ['observations', 'actions', 'rewards', 'terminations', 'truncations', 'infos'] if k in ep}, g)
    metadata = {
        'total_episodes': len(episodes),
        'total_steps': sum(len(e['rewards']) for e in episodes),
        'data_format': 'hdf5',
        'observation_space': json.dumps(observation_space),
        'action_space': json.dumps(action_space),
        'dataset_id': dataset_id,
        'minari_version': '0.5.3',
    }
    metadata.update(extra_metadata)
    metadata['dataset_size'] = 0.0
    with open(os.path.join(folder, 'metadata.json'), 'w') as fp:
        json.dump(metadata, fp)


# ---- fixtures ------------------------------------------------------------------------------------
def pointmaze(root):
    """PointMaze-like: Dict obs achieved_goal / desired_goal / observation (float64), Box(2) float32
    actions, bool success info and a string info, both with the reset row; seeds: a 64-bit one above
    2^63 (stored as uint64), a small one, and none."""
    episodes = []
    for e, t in enumerate([4, 3, 5]):
        k = np.arange(t + 1, dtype=np.float64)
        obs = {
            'observation': [np.array([k[i], -k[i], 0.5 * k[i], e], dtype=np.float64) for i in range(t + 1)],
            'achieved_goal': [np.array([k[i], -k[i]], dtype=np.float64) for i in range(t + 1)],
            'desired_goal': [np.array([3.0 + e, -3.0], dtype=np.float64) for _ in range(t + 1)],
        }
        episodes.append({
            'seed': [2**64 - 5, 42, None][e],
            'observations': obs,
            'actions': [np.array([0.1 * i, -0.1 * i + 0.25 * e], dtype=np.float32) for i in range(t)],
            'rewards': [float(i == t - 1) for i in range(t)],
            'terminations': [e == 0 and i == t - 1 for i in range(t)],
            'truncations': [e != 0 and i == t - 1 for i in range(t)],
            'infos': {
                'success': [i == t and e == 0 for i in range(t + 1)],
                'status': [f'ep{e} reset'] + [f'ep{e} step{i}' for i in range(t)],
                'goal': {'distance': [np.float32(10 * e + i) for i in range(t + 1)]},
            },
        })
    obs_space = dict_space({
        'observation': box(np.float64, (4,), -INF, INF),
        'achieved_goal': box(np.float64, (2,), -INF, INF),
        'desired_goal': box(np.float64, (2,), -INF, INF),
    })
    write_dataset(root, 'test/pointmaze-umaze-v1', episodes, obs_space, box(np.float32, (2,), -1.0, 1.0), {
        'env_spec': json.dumps({'id': 'PointMaze_UMaze-v3', 'entry_point': 'gymnasium_robotics.envs.maze.point_maze:PointMazeEnv', 'max_episode_steps': 300}),
        'author': ['Ada', 'Grace'], 'author_email': ['ada@example.org'], 'algorithm_name': 'QIteration',
        'code_permalink': 'https://example.org/code', 'ref_min_score': 1.5, 'ref_max_score': 150.25,
    })


def nested(root):
    """Nested Dict + Tuple + Text observations, MultiBinary (int8) actions, infos of every integer width,
    a scalar info (no row axis)."""
    episodes = []
    for e, t in enumerate([3, 2]):
        n = t + 1
        episodes.append({
            'seed': 7 + e,
            'observations': {
                'agent': {
                    'pos': [np.array([i, 2 * i, e], dtype=np.float32) for i in range(n)],
                    'vel': [np.array([-i, 0.5], dtype=np.float32) for i in range(n)],
                },
                'sensors': ([np.array([i, -i], dtype=np.int16) for i in range(n)], [np.int64((i + e) % 5) for i in range(n)]),
                'mission': [f'go to box {e}' for _ in range(n)],
            },
            'actions': [np.array([(i + j + e) % 2 for j in range(4)], dtype=np.int8) for i in range(t)],
            'rewards': [float(i) for i in range(t)],
            'terminations': [False] * (t - 1) + [True],
            'truncations': [False] * t,
            'infos': {
                'i8': [np.int8(-100 + i + e) for i in range(n)],
                'i16': [np.int16(-30000 + i) for i in range(n)],
                'u16': [np.uint16(65000 + i) for i in range(n)],
                'u32': [np.uint32(4_000_000_000 + i) for i in range(n)],
                'u64': [np.uint64(2**63 + 1000 * e + i) for i in range(n)],
                'level': np.int64(3 + e),
            },
        })
    obs_space = dict_space({
        'agent': dict_space({'pos': box(np.float32, (3,), -10.0, 10.0), 'vel': box(np.float32, (2,), -INF, INF)}),
        'sensors': tuple_space([box(np.int16, (2,), -100, 100), discrete(5)]),
        'mission': text(32, ' 0123456789abcdefghijklmnopqrstuvwxyz'),
    })
    write_dataset(root, 'nested-v0', episodes, obs_space, multi_binary(4), {'author': ['Ada']})


def frames(kind, e, t):
    """Images with texture (so JPEG lengths differ) or, for episode 1, the same frame repeated (equal
    lengths, so h5py stores a plain (rows, length) uint8 array)."""
    y, x = np.mgrid[0:32, 0:32]
    out = []
    for i in range(t + 1):
        s = 0 if e == 1 else i
        if kind == 'rgb':
            img = np.stack([(x * 8 + s * 20) % 256, (y * 8) % 256, ((x + y) * 4 + 40 * e) % 256], axis=-1)
        else:
            img = (((x // 4 + y // 4) % 2) * 200 + s * 10) % 256
        out.append(img.astype(np.uint8))
    return out


def jpeg(root):
    """Image observations as 0.5.3 stores them: Dict of an RGB (32, 32, 3) and a grey (32, 32) image
    space (uint8, bounds 0..255), JPEG per row; Discrete actions."""
    episodes = []
    reference = {}
    for e, t in enumerate([3, 2]):
        obs = {'rgb': frames('rgb', e, t), 'gray': frames('gray', e, t)}
        episodes.append({
            'seed': None,
            'observations': obs,
            'actions': [np.int64(i % 3) for i in range(t)],
            'rewards': [0.0] * t,
            'terminations': [False] * (t - 1) + [True],
            'truncations': [False] * t,
        })
        for key, fs in obs.items():
            reference[f'episode_{e}/{key}'] = np.stack([np.array(Image.open(io.BytesIO(encode_frame(f).tobytes())), dtype=np.uint8) for f in fs])
    obs_space = dict_space({'rgb': box(np.uint8, (32, 32, 3), 0, 255), 'gray': box(np.uint8, (32, 32), 0, 255)})
    write_dataset(root, 'images-v0', episodes, obs_space, discrete(3), {'author': ['Ada']})
    with h5py.File(os.path.join(root, 'images-v0', 'pil_decoded.hdf5'), 'w') as f:
        for key, value in reference.items():
            f[key] = value


if __name__ == '__main__':
    pointmaze(os.path.join(OUT, 'minari_pointmaze'))
    nested(os.path.join(OUT, 'minari_nested'))
    jpeg(os.path.join(OUT, 'minari_jpeg'))
    for name in ['minari_pointmaze', 'minari_nested', 'minari_jpeg']:
        for dirpath, _, files in os.walk(os.path.join(OUT, name)):
            for file in sorted(files):
                p = os.path.join(dirpath, file)
                print(f'{os.path.relpath(p, OUT)}: {os.path.getsize(p)} bytes')
