using PureHDF;
using Robotics.Core.IO;

namespace Robotics.Detectors.Data;

/// <summary>
/// A feature corpus on disk (HDF5, readable with h5py): one row per policy call and one per rollout.
/// <code>
/// calls/episode   int64   [C]        rollout row of the call
/// calls/step      int64   [C]        environment step the call was made at
/// calls/features  float32 [C, F]     the policy's feature vector (PolicyChunk.Features)
/// calls/chunk     float32 [C, H*A]   the chunk the call predicted, flattened (absent when not recorded)
/// calls/samples   float32 [C, K, H*A] K extra chunks sampled for the same history (absent when not recorded)
/// episodes/task, episodes/length, episodes/seed, episodes/first_call, episodes/calls   int64 [E]
/// episodes/success  int64 [E] (1 = success)
/// episodes/fault    string [E] ("" = no injected fault)
/// episodes/id       string [E]
/// metadata/*        strings: policy, environment, feature_layout, created_by; int64: feature_dim, chunk_dim
/// </code>
/// Written through a temporary name and a rename, so a reader never sees half a file.
/// </summary>
public static class FeatureCorpusFile
{
    public static void Write(string path, IReadOnlyList<FeatureRollout> rollouts, IReadOnlyDictionary<string, string> metadata)
    {
        if (rollouts.Count == 0)
            throw new ArgumentException("a feature corpus needs at least one rollout", nameof(rollouts));
        int featureDim = rollouts.First(r => r.Calls > 0).Features[0].Length;
        int chunkDim = rollouts.All(r => r.ExecutedChunks is not null) ? rollouts.First(r => r.Calls > 0).ExecutedChunks![0].Length : 0;
        int calls = rollouts.Sum(r => r.Calls);
        var episode = new long[calls];
        var step = new long[calls];
        var features = new float[(long)calls * featureDim];
        var chunks = new float[(long)calls * chunkDim];
        int row = 0;
        var firstCall = new long[rollouts.Count];
        for (int e = 0; e < rollouts.Count; e++)
        {
            var r = rollouts[e];
            firstCall[e] = row;
            for (int c = 0; c < r.Calls; c++, row++)
            {
                if (r.Features[c].Length != featureDim)
                    throw new ArgumentException($"rollout {r.Id} call {c}: {r.Features[c].Length} features, the corpus has {featureDim}");
                episode[row] = e;
                step[row] = r.Steps[c];
                r.Features[c].CopyTo(features, (long)row * featureDim);
                if (chunkDim > 0)
                    r.ExecutedChunks![c].AsSpan(0, chunkDim).CopyTo(chunks.AsSpan((int)((long)row * chunkDim)));
            }
        }

        var file = new H5File
        {
            ["calls"] = new H5Group
            {
                ["episode"] = new H5Dataset(episode),
                ["step"] = new H5Dataset(step),
                ["features"] = new H5Dataset(features, fileDims: [(ulong)calls, (ulong)featureDim]),
            },
            ["episodes"] = new H5Group
            {
                ["id"] = new H5Dataset(rollouts.Select(r => r.Id).ToArray()),
                ["task"] = new H5Dataset(rollouts.Select(r => (long)r.Task).ToArray()),
                ["success"] = new H5Dataset(rollouts.Select(r => r.Success ? 1L : 0L).ToArray()),
                ["length"] = new H5Dataset(rollouts.Select(r => (long)r.EpisodeLength).ToArray()),
                ["fault"] = new H5Dataset(rollouts.Select(r => r.Fault ?? "").ToArray()),
                ["first_call"] = new H5Dataset(firstCall),
                ["calls"] = new H5Dataset(rollouts.Select(r => (long)r.Calls).ToArray()),
            },
        };
        if (chunkDim > 0)
            ((H5Group)file["calls"])["chunk"] = new H5Dataset(chunks, fileDims: [(ulong)calls, (ulong)chunkDim]);
        int samples = chunkDim > 0 && rollouts.All(r => r.SampledChunks is not null) ? rollouts.First(r => r.Calls > 0).SampledChunks![0].Length : 0;
        if (samples > 0)
        {
            var flat = rollouts.SelectMany(r => r.SampledChunks!).SelectMany(k => k).SelectMany(c => c).ToArray();
            ((H5Group)file["calls"])["samples"] = new H5Dataset(flat, fileDims: [(ulong)calls, (ulong)samples, (ulong)chunkDim]);
        }
        var meta = new H5Group
        {
            ["feature_dim"] = new H5Dataset(new[] { (long)featureDim }, fileDims: []),
            ["chunk_dim"] = new H5Dataset(new[] { (long)chunkDim }, fileDims: []),
            ["samples_per_call"] = new H5Dataset(new[] { (long)samples }, fileDims: []),
        };
        foreach (var (key, value) in metadata)
            meta[key] = new H5Dataset(value);
        file["metadata"] = meta;
        AtomicFile.Write(path, temp => file.Write(temp));
    }

    public static (IReadOnlyList<FeatureRollout> Rollouts, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such feature corpus", path);
        using var file = H5File.OpenRead(path);
        T Get<T>(string key)
        {
            try
            {
                return file.Dataset(key).Read<T>();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidDataException($"{path}: dataset '{key}' is missing or unreadable ({e.Message})", e);
            }
        }

        int featureDim = (int)Get<long>("metadata/feature_dim");
        int chunkDim = (int)Get<long>("metadata/chunk_dim");
        var step = Get<long[]>("calls/step");
        var features = Get<float[]>("calls/features");
        var chunks = chunkDim > 0 ? Get<float[]>("calls/chunk") : null;
        int samplesPerCall = file.Group("metadata").LinkExists("samples_per_call") ? (int)Get<long>("metadata/samples_per_call") : 0;
        var sampled = samplesPerCall > 0 ? Get<float[]>("calls/samples") : null;
        var ids = Get<string[]>("episodes/id");
        var task = Get<long[]>("episodes/task");
        var success = Get<long[]>("episodes/success");
        var length = Get<long[]>("episodes/length");
        var fault = Get<string[]>("episodes/fault");
        var first = Get<long[]>("episodes/first_call");
        var count = Get<long[]>("episodes/calls");
        if (features.Length != step.Length * featureDim)
            throw new InvalidDataException($"{path}: calls/features has {features.Length} values, expected {step.Length} x {featureDim}");
        var rollouts = new FeatureRollout[ids.Length];
        for (int e = 0; e < ids.Length; e++)
        {
            int start = (int)first[e], n = (int)count[e];
            if (start < 0 || start + n > step.Length)
                throw new InvalidDataException($"{path}: episodes/first_call[{e}] + calls[{e}] = {start + n} is beyond the {step.Length} calls");
            rollouts[e] = new FeatureRollout(ids[e], (int)task[e], success[e] != 0, (int)length[e],
                Enumerable.Range(start, n).Select(i => (int)step[i]).ToArray(),
                Enumerable.Range(start, n).Select(i => features.AsSpan(i * featureDim, featureDim).ToArray()).ToArray(),
                string.IsNullOrEmpty(fault[e]) ? null : fault[e],
                chunks is null ? null : Enumerable.Range(start, n).Select(i => chunks.AsSpan(i * chunkDim, chunkDim).ToArray()).ToArray(),
                sampled is null ? null : Enumerable.Range(start, n).Select(i => Enumerable.Range(0, samplesPerCall)
                    .Select(k => sampled.AsSpan((i * samplesPerCall + k) * chunkDim, chunkDim).ToArray()).ToArray()).ToArray());
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var link in file.Group("metadata").Children())
        {
            // Text entries are variable-length strings; the two counts are integers and are read above.
            if (link is IH5Dataset d && link.Name is not ("feature_dim" or "chunk_dim" or "samples_per_call"))
                metadata[link.Name] = d.Read<string>();
        }

        return (rollouts, metadata);
    }
}
