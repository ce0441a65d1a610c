using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Tests.Recording;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;
using Robotics.Datasets.Validation;

namespace Robotics.Datasets.Tests.Validation;

public sealed class DatasetValidatorTests
{
    [Fact]
    public void A_recorded_dataset_is_valid()
    {
        var report = DatasetValidator.Validate(new FlatDatasetSource(EpisodeRecorderTests.ThreeEpisodes()), new ValidationOptions { ObservationShape = [2], ActionShape = [1] });
        Assert.True(report.IsValid, string.Join("\n", report.Issues));
        Assert.Equal(3, report.Episodes);
    }

    [Fact]
    public void Every_problem_is_reported_with_key_and_row()
    {
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        float[] obs = ds.Column("observations").ToFloats();
        obs[2 * 5 + 1] = float.NaN;
        obs[2 * 9] = float.PositiveInfinity;
        byte[] timeouts = ds.Column("timeouts").Data.ToArray();
        timeouts[3] = 0; // episode 0 now ends without a flag while infos/episode_index changes
        byte[] terminals = ds.Column("terminals").Data.ToArray();
        terminals[11] = 1; // terminal and timeout on the last row
        var bad = ds.WithColumn("observations", NdArray.FromFloats(obs, 12, 2))
            .WithColumn("timeouts", new NdArray(DType.Bool, [12], timeouts))
            .WithColumn("terminals", new NdArray(DType.Bool, [12], terminals));
        var report = DatasetValidator.Validate(new FlatDatasetSource(bad, "bad.hdf5"), new ValidationOptions { ActionShape = [3] });

        Assert.False(report.IsValid);
        Assert.Contains(report.Issues, i => i is { Key: "observations", Row: 5, Severity: ValidationSeverity.Error } && i.Message.Contains("NaN"));
        Assert.Contains(report.Issues, i => i is { Key: "observations", Row: 9 } && i.Message.Contains("Inf"));
        Assert.Contains(report.Issues, i => i is { Key: "infos/episode_index", Row: 3 } && i.Message.Contains("neither terminals nor timeouts"));
        Assert.Contains(report.Issues, i => i is { Key: "timeouts", Row: 11, Severity: ValidationSeverity.Warning });
        Assert.Contains(report.Issues, i => i.Key == "actions" && i.Message.Contains("action space"));
        Assert.All(report.Issues, i => Assert.Equal("bad.hdf5", i.File));
    }

    [Fact]
    public void Episode_ids_above_two_to_the_24_stay_distinct()
    {
        // 20000000 and 20000001 are the same float32: read through floats the three episodes would look like one.
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        var ids = MemoryMarshal.Cast<byte, long>(ds.Column("infos/episode_index").Data).ToArray().Select(e => e + 20_000_000L).ToArray();
        var shifted = ds.WithColumn("infos/episode_index", new NdArray(DType.Int64, [ids.Length], MemoryMarshal.AsBytes(ids.AsSpan()).ToArray()));
        Assert.Equal((float)ids[0], (float)ids[4]); // episodes 0 and 1
        var report = DatasetValidator.Validate(new FlatDatasetSource(shifted), new ValidationOptions { ObservationShape = [2], ActionShape = [1] });
        Assert.True(report.IsValid, string.Join("\n", report.Issues));
        Assert.Equal(3, report.Episodes);
    }

    [Fact]
    public void Missing_keys_wrong_dtypes_and_unequal_lengths_in_an_h5py_file_are_errors()
    {
        using var dir = new TempDir();
        string path = dir.File("broken.hdf5");
        PythonReference.Run("""
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], 'w') as f:
    f['observations'] = np.zeros((10, 3), np.float32)
    f['actions'] = np.zeros((9, 2), np.float32)
    f['rewards'] = np.zeros((10, 2), np.float32)
    f['timeouts'] = np.zeros(10, bool)
""", path);
        using var file = Hdf5TrajectoryFile.Open(path);
        var report = DatasetValidator.Validate(file, columnRowCounts: file.ColumnRowCounts);
        Assert.Contains(report.Issues, i => i is { Key: "terminals", Severity: ValidationSeverity.Error } && i.Message.Contains("missing"));
        Assert.Contains(report.Issues, i => i.Key == "actions" && i.Message.Contains("9 rows"));
        Assert.Contains(report.Issues, i => i.Key == "rewards" && i.Message.Contains("(N,)"));
        Assert.All(report.Issues, i => Assert.Equal(path, i.File));
    }

    [Fact]
    public void Many_bad_rows_are_summarised_not_flooded()
    {
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        var nan = Enumerable.Repeat(float.NaN, 24).ToArray();
        var report = DatasetValidator.Validate(new FlatDatasetSource(ds.WithColumn("observations", NdArray.FromFloats(nan, 12, 2))), new ValidationOptions { MaxRowsPerProblem = 3 });
        Assert.Equal(3, report.Issues.Count(i => i.Key == "observations" && i.Row is not null));
        Assert.Contains(report.Issues, i => i.Key == "observations" && i.Message.Contains("12 in all"));
    }
}
