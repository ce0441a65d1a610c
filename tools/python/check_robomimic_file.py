#!/usr/bin/python3
"""Reads a robomimic HDF5 file the way robomimic's loader does and prints what it sees as JSON.

Usage: /usr/bin/python3 tools/python/check_robomimic_file.py FILE

Independent of our C# code: every access below follows robomimic at commit d309eae
(robomimic/utils/file_utils.py get_env_metadata_from_dataset, get_demos_for_filter_key,
get_shape_metadata_from_dataset; robomimic/utils/dataset.py load_demo_info,
load_dataset_in_memory; robomimic/utils/env_utils.py get_env_type). Where robomimic would raise
(KeyError, assertion), this script raises too and exits non-zero. The printed summary lets a test
compare what robomimic would load from two files.
"""
import hashlib
import json
import sys

import h5py
import numpy as np


def digest(array):
    a = np.ascontiguousarray(array)
    return {'dtype': a.dtype.str, 'shape': list(a.shape), 'sha1': hashlib.sha1(a.tobytes()).hexdigest()}


def text(value):
    return value.decode('utf-8') if isinstance(value, bytes) else str(value)


def main(path):
    f = h5py.File(path, 'r')

    # file_utils.get_env_metadata_from_dataset
    env_meta = json.loads(f['data'].attrs['env_args'])
    if 'env_lang' in env_meta['env_kwargs']:
        del env_meta['env_kwargs']['env_lang']
    # env_utils.get_env_type / create_env_from_metadata
    assert env_meta['type'] in (1, 2, 3), env_meta['type']
    assert isinstance(env_meta['env_name'], str)
    assert isinstance(env_meta['env_kwargs'], dict)

    # dataset.py load_demo_info (no filter): every key of data/ is a demo, sorted by its integer
    demos = list(f['data'].keys())
    inds = np.argsort([int(elem[5:]) for elem in demos])
    demos = [demos[i] for i in inds]

    # file_utils.get_demos_for_filter_key / load_demo_info(filter_by_attribute=k)
    masks = {}
    if 'mask' in f:
        for k in f['mask']:
            keys = [elem.decode('utf-8') for elem in np.array(f['mask/{}'.format(k)][:])]
            for ep in keys:
                # load_demo_info reads data/<ep>.attrs["num_samples"]: a missing demo is a KeyError there
                assert 'data/{}'.format(ep) in f, 'mask/{} names missing demo {}'.format(k, ep)
                _ = f['data/{}'.format(ep)].attrs['num_samples']
            masks[k] = keys

    # action keys a config may name: actions, actions_abs, action_dict/*
    first = f['data/{}'.format(list(f['data'].keys())[0])]
    action_keys = ['actions']
    if 'actions_abs' in first:
        action_keys.append('actions_abs')
    if 'action_dict' in first:
        action_keys += ['action_dict/{}'.format(k) for k in first['action_dict']]
    # file_utils.get_shape_metadata_from_dataset: "assert len(demo[key].shape) == 2"
    for key in action_keys:
        assert len(first[key].shape) == 2, (key, first[key].shape)
    ac_dim = sum([first[key].shape[1] for key in action_keys])
    obs_keys = sorted(first['obs'].keys())

    summary = {'env_meta': env_meta, 'demos': demos, 'masks': masks, 'action_keys': action_keys,
               'ac_dim': ac_dim, 'obs_keys': obs_keys, 'total': int(f['data'].attrs['total']), 'per_demo': {}}
    total = 0
    for ep in demos:
        g = f['data/{}'.format(ep)]
        n = int(g.attrs['num_samples'])
        total += n
        entry = {'num_samples': n}
        # load_dataset_in_memory
        for k in obs_keys:
            o = f['data/{}/obs/{}'.format(ep, k)][()]
            no = f['data/{}/next_obs/{}'.format(ep, k)][()]
            assert o.shape[0] == n and no.shape == o.shape, (ep, k, o.shape, no.shape)
            entry['obs/' + k] = digest(o)
            entry['next_obs/' + k] = digest(no)
        for k in ['actions', 'rewards', 'dones']:
            if k in g:
                v = f['data/{}/{}'.format(ep, k)][()].astype('float32')
            else:
                v = np.zeros((n, 1), dtype=np.float32)
            assert v.shape[0] == n, (ep, k, v.shape)
            entry[k] = digest(v)
        for k in action_keys:
            v = g[k][()]
            assert len(v.shape) == 2 and v.shape[0] == n, (ep, k, v.shape)
            entry[k] = digest(v)
        for a in ['model_file', 'ep_meta']:
            if a in g.attrs:
                entry[a] = text(g.attrs[a])
        if 'states' in g:
            entry['states'] = digest(g['states'][()])
        summary['per_demo'][ep] = entry
    assert summary['total'] == total, (summary['total'], total)
    print(json.dumps(summary, sort_keys=True))


if __name__ == '__main__':
    main(sys.argv[1])
