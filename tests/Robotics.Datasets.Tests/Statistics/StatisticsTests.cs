using System.Text.Json;
using Robotics.Core.Arrays;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Statistics;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Statistics;

public sealed class StatisticsTests
{
    [Fact]
    public void Streaming_statistics_match_numpy_on_the_same_file()
    {
        using var dir = new TempDir();
        var ds = D4rlHdf5RoundTripTestsAccess.Sample(5000, seed: 4);
        string path = dir.File("s.hdf5");
        D4rlHdf5Writer.Write(path, ds);
        using var file = Hdf5TrajectoryFile.Open(path);
        var stats = DatasetStatistics.Compute(file, ["observations", "actions", "infos/task_index"], blockRows: 777);

        const string script = """
import sys, json, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r'); out = {}
for k in ['observations', 'actions', 'infos/task_index']:
    x = f[k][()].astype(np.float64).reshape(f[k].shape[0], -1)
    out[k] = {'mean': x.mean(0).tolist(), 'std': x.std(0).tolist(), 'min': x.min(0).tolist(), 'max': x.max(0).tolist(),
              'q01': np.quantile(x, 0.01, axis=0).tolist(), 'q50': np.quantile(x, 0.5, axis=0).tolist(), 'q99': np.quantile(x, 0.99, axis=0).tolist()}
print(json.dumps(out))
""";
        var numpy = JsonDocument.Parse(PythonReference.Run(script, path)).RootElement;
        foreach (var (key, s) in stats)
        {
            var reference = numpy.GetProperty(key);
            double[] Ref(string field) => reference.GetProperty(field).EnumerateArray().Select(e => e.GetDouble()).ToArray();
            AssertClose(Ref("mean"), s.Mean, 1e-9);
            AssertClose(Ref("std"), s.Std, 1e-9);
            AssertClose(Ref("min"), s.Min, 0);
            AssertClose(Ref("max"), s.Max, 0);
            AssertClose(Ref("q01"), s.Q01, 1e-6); // exact: 5000 rows fit the reservoir
            AssertClose(Ref("q50"), s.Q50, 1e-6);
            AssertClose(Ref("q99"), s.Q99, 1e-6);
            Assert.Equal(5000, s.Count);
        }
    }

    [Fact]
    public void Reservoir_quantiles_stay_close_and_memory_is_bounded_by_the_reservoir()
    {
        const int n = 200_000;
        var values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = (i * 7919 % n) / (float)n; // a permutation of a uniform grid on [0, 1)
        var acc = new StatisticsAccumulator("x", [], reservoirRows: 20_000, seed: 3);
        acc.Add(values);
        var s = acc.Result();
        Assert.Equal(0.5, s.Mean[0], 4);
        Assert.InRange(s.Q10[0], 0.09, 0.11);
        Assert.InRange(s.Q90[0], 0.89, 0.91);
        Assert.Equal(n, s.Count);
    }

    [Fact]
    public void Stats_json_round_trips_and_normalisation_inverts()
    {
        var ds = D4rlHdf5RoundTripTestsAccess.Sample(300);
        var stats = DatasetStatistics.Compute(new FlatDatasetSource(ds), ["actions"]);
        var back = StatsJson.Parse(StatsJson.Serialize(stats));
        Assert.Equal(stats["actions"].Mean, back["actions"].Mean);
        Assert.Equal(stats["actions"].Q99, back["actions"].Q99);
        Assert.Equal(300, back["actions"].Count);
        float[] row = [0.3f, -0.2f];
        foreach (var mode in new[] { NormalizationMode.MeanStd, NormalizationMode.MinMax, NormalizationMode.Quantile })
        {
            float[] copy = (float[])row.Clone();
            back["actions"].Normalize(copy, mode);
            back["actions"].Denormalize(copy, mode);
            Assert.Equal(row[0], copy[0], 5);
            Assert.Equal(row[1], copy[1], 5);
        }

        float[] minRow = [(float)stats["actions"].Min[0], (float)stats["actions"].Max[1]];
        stats["actions"].Normalize(minRow, NormalizationMode.MinMax);
        Assert.Equal(-1f, minRow[0], 5);
        Assert.Equal(1f, minRow[1], 5);
    }

    [Fact]
    public void Mixture_statistics_equal_statistics_of_the_concatenation()
    {
        var a = D4rlHdf5RoundTripTestsAccess.Sample(400, seed: 1);
        var b = D4rlHdf5RoundTripTestsAccess.Sample(700, seed: 2);
        var both = new FlatDataset(a.Columns.Keys.ToDictionary(k => k, k => Concat(a.Column(k), b.Column(k))));
        var mixed = DatasetStatistics.ComputeMany([new FlatDatasetSource(a), new FlatDatasetSource(b)], ["observations"]);
        var whole = DatasetStatistics.Compute(new FlatDatasetSource(both), ["observations"]);
        AssertClose(whole["observations"].Mean, mixed["observations"].Mean, 1e-12);
        AssertClose(whole["observations"].Std, mixed["observations"].Std, 1e-12);
        AssertClose(whole["observations"].Q50, mixed["observations"].Q50, 0);
    }

    private static NdArray Concat(NdArray x, NdArray y) => new(x.DType, [x.Shape[0] + y.Shape[0], .. x.Shape[1..]], [.. x.Data, .. y.Data]);

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance + 1e-12 * Math.Abs(expected[i]), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
