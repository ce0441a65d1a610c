using Robotics.Datasets.Hdf5;
using Robotics.Sims.Generation;
using Robotics.Sims.Tests.Support;

namespace Robotics.Sims.Tests.Generation;

public sealed class TabletopDatasetGeneratorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tabletop-gen-").FullName;

    [Fact]
    public async Task Episodes_with_labels_tasks_and_faults_pass_an_independent_h5py_check()
    {
        var dataset = await TabletopDatasetGenerator.GenerateAsync(new TabletopGenerationOptions(16, Tasks: [0, 5, 7, 11], Noise: 0.1, FailureRate: 0.5, Seed: 8, Workers: 2));
        string path = Path.Combine(_folder, "push.hdf5");
        D4rlHdf5Writer.Write(path, dataset);

        var report = PythonCheck.Run("check_tabletop.py", path);
        Assert.Empty(report.GetProperty("problems").EnumerateArray());
        Assert.Equal(16, report.GetProperty("episodes").GetInt32());
        Assert.Equal(31, report.GetProperty("obs_shape")[1].GetInt32());
        Assert.Equal("float32", report.GetProperty("obs_dtype").GetString());
        Assert.Equal("bool", report.GetProperty("term_dtype").GetString());
        int successes = report.GetProperty("successes").GetInt32();
        Assert.InRange(successes, 1, 15); // both labels present: the detector needs both
        Assert.InRange(report.GetProperty("failures_injected").GetInt32(), 3, 13);
        Assert.Equal("push the red block to the left zone", report.GetProperty("instructions")[0].GetString());
        Assert.Equal("push the blue block to the near zone", report.GetProperty("instructions")[11].GetString());
        Assert.True(report.GetProperty("max_abs_action").GetDouble() <= 1.0);
    }

    [Fact]
    public async Task Task_ids_outside_the_task_list_are_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TabletopDatasetGenerator.GenerateAsync(new TabletopGenerationOptions(2, Tasks: [3, 12])));
        Assert.Contains("12", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
