namespace Robotics.Datasets.Tests.Support;

/// <summary>Every group, dataset and attribute of an HDF5 file as h5py sees it (dtype, shape, a digest of the bytes), for comparing two files.</summary>
public static class H5Dump
{
    private const string Script = """
        import h5py, json, sys, hashlib, numpy as np
        out = {}
        def attrs(o):
            return {k: (v.decode() if isinstance(v, bytes) else v.tolist() if hasattr(v, 'tolist') else v) for k, v in sorted(o.attrs.items())}
        def visit(name, o):
            if isinstance(o, h5py.Dataset):
                v = o[()]
                if v.dtype.kind == 'O':
                    data = [x.decode() if isinstance(x, bytes) else hashlib.sha256(np.asarray(x).tobytes()).hexdigest() if hasattr(x, 'tobytes') else x for x in v.tolist()]
                else:
                    data = hashlib.sha256(np.ascontiguousarray(v).tobytes()).hexdigest()
                out[name] = {'dtype': str(o.dtype), 'shape': list(o.shape), 'data': data, 'attrs': attrs(o)}
            else:
                out[name] = {'attrs': attrs(o)}
        f = h5py.File(sys.argv[1], 'r')
        out['/'] = {'attrs': attrs(f)}
        f.visititems(visit)
        print(json.dumps(out, sort_keys=True, default=str))
        """;

    public static string Of(string path) => PythonReference.Run(Script, path);
}
