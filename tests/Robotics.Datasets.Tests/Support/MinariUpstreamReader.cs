using System.Text.Json;

namespace Robotics.Datasets.Tests.Support;

/// <summary>
/// An independent reader of a Minari dataset folder in Python (h5py, numpy, json; PIL for JPEG frames),
/// following minari 0.5.3's reading path rule for rule: MinariStorage.read_raw_metadata and
/// deserialize_space (Box needs low and high), MinariDataset.__init__ (dataset_id must match
/// DATASET_ID_RE with a version, minari_version must be a supported one, author / author_email become
/// sets), HDF5Storage.get_episodes over range(total_episodes) with _decode_space (Dict groups by key,
/// Tuple groups of _index_i, Text as UTF-8, image Box as JPEG unless jpeg_encoding is false) and
/// _decode_info, get_episode_metadata (int(seed) when present). It asserts what upstream relies on and
/// prints a JSON summary for the C# test to compare with what was written.
/// </summary>
public static class MinariUpstreamReader
{
    private const string Script = """
import sys, os, io, json, re, h5py, numpy as np
folder = sys.argv[1]
data = os.path.join(folder, 'data')
with open(os.path.join(data, 'metadata.json')) as fp:
    m = json.load(fp)

def deserialize(d):
    if isinstance(d, str):
        d = json.loads(d)
    t = d['type']
    if t == 'Box':
        shape, dtype = tuple(d['shape']), np.dtype(d['dtype'])
        low, high = np.array(d['low'], dtype=dtype), np.array(d['high'], dtype=dtype)
        assert low.shape in (shape, ()) and high.shape in (shape, ()), ('Box bounds shape', low.shape, shape)
        return {'type': 'Box', 'dtype': dtype, 'shape': shape, 'low': np.broadcast_to(low, shape), 'high': np.broadcast_to(high, shape)}
    if t == 'Discrete':
        return {'type': 'Discrete', 'n': int(d['n']), 'start': int(d['start'])}
    if t == 'MultiDiscrete':
        return {'type': 'MultiDiscrete', 'nvec': np.array(d['nvec']), 'dtype': np.dtype(d['dtype'])}
    if t == 'MultiBinary':
        return {'type': 'MultiBinary', 'n': d['n']}
    if t == 'Text':
        return {'type': 'Text', 'max_length': d['max_length'], 'min_length': d['min_length'], 'charset': d['charset']}
    if t == 'Dict':
        return {'type': 'Dict', 'spaces': {k: deserialize(v) for k, v in d['subspaces'].items()}}
    if t == 'Tuple':
        return {'type': 'Tuple', 'spaces': [deserialize(s) for s in d['subspaces']]}
    raise NotImplementedError(t)

obs_space = deserialize(m['observation_space'])
act_space = deserialize(m['action_space'])
assert m['data_format'] == 'hdf5'
NS = r'(?:(?P<namespace>[-_\w][-_\w/]*[-_\w]+)\/)'
ID_RE = re.compile(rf'^{NS}?(?:(?P<dataset>[-_\w]+?))(?:-v(?P<version>\d+))?$')
match = ID_RE.fullmatch(m['dataset_id'])
assert match, m['dataset_id']
int(match.group('version'))
assert os.path.abspath(folder).replace(os.sep, '/').endswith('/' + m['dataset_id']), (folder, m['dataset_id'])
assert m['minari_version'] in {'0.4.0', '0.4.1', '0.4.2', '0.4.3', '0.5.0', '0.5.1', '0.5.2', '0.5.3'}, m['minari_version']
assert isinstance(m['author'], list) and all(isinstance(a, str) for a in m['author'])
authors = sorted(set(m['author']))
jpeg = bool(m.get('jpeg_encoding', True))

def is_image(s):
    return (s['type'] == 'Box' and len(s['shape']) in {2, 3} and s['shape'][0] >= 32 and s['shape'][1] >= 32
            and s['dtype'] == np.uint8 and bool(np.all(s['low'] == 0)) and bool(np.all(s['high'] == 255)))

leaves = {}
def decode(ref, space, rows, path):
    t = space['type']
    if t == 'Tuple':
        assert isinstance(ref, h5py.Group), path
        return tuple(decode(ref[f'_index_{i}'], space['spaces'][i], rows, f'{path}/_index_{i}') for i in range(len(ref.keys())))
    if t == 'Dict':
        assert isinstance(ref, h5py.Group), path
        return {k: decode(ref[k], space['spaces'][k], rows, f'{path}/{k}') for k in ref.keys()}
    assert isinstance(ref, h5py.Dataset), path
    if t == 'Text':
        value = [s.decode('utf-8') for s in ref[()]]
        assert len(value) == rows, (path, len(value), rows)
    elif jpeg and is_image(space):
        from PIL import Image
        value = np.stack([np.array(Image.open(io.BytesIO(bytes(b))), dtype=np.uint8) for b in ref[()]])
    else:
        value = ref[()]
    if t == 'Box':
        assert value.shape == (rows,) + space['shape'], (path, value.shape, space['shape'])
        assert value.dtype == space['dtype'], (path, value.dtype, space['dtype'])
        assert np.all(value >= space['low']) and np.all(value <= space['high']), ('outside the Box', path)
    elif t == 'Discrete':
        assert value.shape == (rows,) and np.all((value >= space['start']) & (value < space['start'] + space['n'])), path
    elif t == 'MultiBinary':
        n = space['n'] if isinstance(space['n'], list) else [space['n']]
        assert value.shape == (rows, *n) and np.all((value == 0) | (value == 1)), path
    key = path.split('/', 1)[1] if '/' in path else ''
    leaves.setdefault(path.split('/')[0], {})[key] = {'dtype': str(np.asarray(value).dtype) if t != 'Text' else 'str', 'shape': list(np.asarray(value).shape[1:]) if t != 'Text' else []}
    return value

def decode_info(group, prefix=''):
    out = {}
    for k, v in group.items():
        if isinstance(v, h5py.Group):
            out.update(decode_info(v, prefix + k + '/'))
        else:
            out[prefix + k] = v[()]
    return out

episodes = []
total = 0
with h5py.File(os.path.join(data, 'main_data.hdf5'), 'r') as f:
    assert len(f.keys()) == m['total_episodes']
    for i in range(m['total_episodes']):
        g = f[f'episode_{i}']
        attrs = dict(g.attrs)
        assert int(attrs['id']) == i
        seed = attrs.get('seed')
        seed = int(seed) if seed is not None else None
        rewards, terms, truncs = g['rewards'][:], g['terminations'][:], g['truncations'][:]
        t = len(rewards)
        assert int(attrs['total_steps']) == t and len(terms) == t and len(truncs) == t
        assert terms.dtype == np.bool_ and truncs.dtype == np.bool_
        decode(g['observations'], obs_space, t + 1, 'observations')
        decode(g['actions'], act_space, t, 'actions')
        infos = decode_info(g['infos']) if 'infos' in g else {}
        for k, v in infos.items():
            # A scalar info (upstream writes one for a non-iterable value) has no row axis.
            assert np.ndim(v) == 0 or np.asarray(v).shape[0] == t + 1, ('infos need T + 1 rows', k, np.asarray(v).shape, t)
        episodes.append({'seed': str(seed) if seed is not None else None, 'steps': t,
                         'infos': {k: ('str' if np.asarray(v).dtype.kind in 'OSU' else str(np.asarray(v).dtype)) for k, v in sorted(infos.items())},
                         'terminated': bool(terms[-1]), 'truncated': bool(truncs[-1])})
        total += t
assert total == m['total_steps'], (total, m['total_steps'])
print(json.dumps({'dataset_id': m['dataset_id'], 'authors': authors, 'jpeg_encoding': m.get('jpeg_encoding'), 'episodes': episodes,
                  'leaves': leaves, 'minari_version': m['minari_version']}))
""";

    /// <summary>Reads the dataset folder &lt;root&gt;/&lt;id&gt; as upstream would; throws with Python's assertion when it would not load.</summary>
    public static JsonElement Read(string datasetFolder) => JsonDocument.Parse(PythonReference.Run(Script, datasetFolder)).RootElement.Clone();
}
