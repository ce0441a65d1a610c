using System.Text.Json;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Trajectories;

namespace Robotics.Cli.Tests;

/// <summary><c>robotics sim ...</c> and <c>robotics dataset generate</c> run as a real process with real MuJoCo physics.</summary>
public sealed class SimCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("robotics-cli-sim-").FullName;

    [Fact]
    public async Task List_shows_every_environment()
    {
        var (exit, stdout, _) = await CliProcess.RunAsync(null, "sim", "list");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("tabletop-push", stdout);

        var json = await CliProcess.RunAsync(null, "sim", "list", "--json");
        Assert.Equal(ExitCodes.Success, json.ExitCode);
        var envs = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.Equal(["maze2d-large", "maze2d-large-dense", "maze2d-medium", "maze2d-medium-dense", "maze2d-umaze", "maze2d-umaze-dense", "tabletop-push", "tabletop-push-fixed"], envs.Keys.Order());
        Assert.Equal(12, envs["tabletop-push"].GetProperty("tasks").GetArrayLength());
        Assert.Equal(31, envs["tabletop-push"].GetProperty("observation").GetArrayLength());
        Assert.Equal(300, envs["maze2d-umaze"].GetProperty("maxEpisodeSteps").GetInt32());
    }

    [Fact]
    public async Task Run_prints_per_episode_return_success_and_length()
    {
        var (exit, stdout, _) = await CliProcess.RunAsync(null, "sim", "run", "tabletop-push", "--expert", "--episodes", "3", "--tasks", "0,5,11", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        var episodes = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal([0, 5, 11], episodes.Select(e => e.GetProperty("task").GetInt32()));
        Assert.All(episodes, e => Assert.True(e.GetProperty("success").GetBoolean()));
        Assert.All(episodes, e => Assert.InRange(e.GetProperty("length").GetInt32(), 1, 200));
        Assert.All(episodes, e => Assert.Equal(1.0, e.GetProperty("return").GetDouble()));
    }

    [Fact]
    public async Task Bad_arguments_are_usage_errors_naming_the_problem()
    {
        var noExpert = await CliProcess.RunAsync(null, "sim", "run", "maze2d-umaze");
        Assert.Equal(ExitCodes.Usage, noExpert.ExitCode);
        Assert.Contains("--expert", noExpert.Stdout);

        var badTask = await CliProcess.RunAsync(null, "sim", "run", "tabletop-push", "--expert", "--tasks", "12");
        Assert.Equal(ExitCodes.Usage, badTask.ExitCode);
        Assert.Contains("out of range", badTask.Stdout);

        var unknown = await CliProcess.RunAsync(null, "sim", "run", "cartpole", "--expert");
        Assert.Equal(ExitCodes.Usage, unknown.ExitCode);
        Assert.Contains("tabletop-push", unknown.Stdout);

        var mixed = await CliProcess.RunAsync(null, "dataset", "generate", "tabletop-push", "--samples", "10", "--out", Path.Combine(_dir, "x.hdf5"));
        Assert.Equal(ExitCodes.Usage, mixed.ExitCode);
        Assert.Contains("--samples", mixed.Stdout);
        Assert.False(File.Exists(Path.Combine(_dir, "x.hdf5")));
    }

    [Fact]
    public async Task Generate_writes_d4rl_files_through_the_datasets_library()
    {
        string maze = Path.Combine(_dir, "umaze.hdf5");
        var m = await CliProcess.RunAsync(null, "dataset", "generate", "maze2d-umaze", "--samples", "4000", "--noisy", "--seed", "3", "--out", maze);
        Assert.Equal(ExitCodes.Success, m.ExitCode);
        var mazeData = D4rlHdf5Reader.Read(maze);
        Assert.Equal(4000, mazeData.RowCount);
        Assert.True(mazeData.HasColumn(D4rlKeys.Timeouts));
        Assert.True(mazeData.Metadata.ContainsKey("metadata/generator_fixes"));

        string push = Path.Combine(_dir, "push.hdf5");
        var p = await CliProcess.RunAsync(null, "dataset", "generate", "tabletop-push", "--episodes", "6", "--tasks", "1,2", "--failures", "0.5", "--out", push);
        Assert.Equal(ExitCodes.Success, p.ExitCode);
        var pushData = D4rlHdf5Reader.Read(push);
        Assert.Equal(6, pushData.Episodes().Count);
        Assert.Equal(31, pushData.Column(D4rlKeys.Observations).Shape[1]);
        Assert.True(pushData.HasColumn(D4rlKeys.Success));
        Assert.Contains("6 episodes", p.Stdout);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
