using System.Diagnostics;
using System.Text.Json;

namespace Robotics.Cli.Tests;

/// <summary>
/// <c>robotics train</c> and <c>robotics eval</c> as real processes: corpora written by sims' generator and by
/// h5py (an independent HDF5 writer), real TorchSharp training, real MuJoCo closed-loop evaluation.
/// </summary>
public sealed class PolicyCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("robotics-cli-policy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Tiny = ["--set", "Torch:Threads=1", "--set", "Policy:Width=32", "--set", "Policy:Mode:Layers=1", "--set", "Policy:Horizon=8", "--set", "Policy:ExecutedSteps=8", "--batch-size", "8"];

    [Fact]
    public async Task Train_then_eval_closed_loop_on_tabletop_push()
    {
        string data = Path.Combine(_dir, "push.hdf5");
        var gen = await CliProcess.RunAsync(null, "dataset", "generate", "tabletop-push", "--episodes", "4", "--seed", "3", "--out", data);
        Assert.True(gen.ExitCode == ExitCodes.Success, gen.Stdout + gen.Stderr);

        string run = Path.Combine(_dir, "run");
        var train = await CliProcess.RunAsync(null, ["train", "--preset", "tabletop-mode", "--data", data, "--out", run, "--steps", "3", .. Tiny]);
        Assert.True(train.ExitCode == ExitCodes.Success, train.Stdout + train.Stderr);
        string final = Path.Combine(run, "final");
        foreach (var file in new[] { "config.json", "model.safetensors", "normalization.json", "training/optimizer.safetensors", "training/trainer.json" })
            Assert.True(File.Exists(Path.Combine(final, file)), file);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(final, "config.json"))).RootElement;
        Assert.Equal(31, config.GetProperty("stateDim").GetInt32());
        Assert.Equal("tabletop-push", config.GetProperty("environment").GetString());

        string json = Path.Combine(_dir, "eval.json");
        var eval = await CliProcess.RunAsync(null, "eval", "--checkpoint", final, "--episodes", "2", "--json", json, "--set", "Torch:Threads=1");
        Assert.True(eval.ExitCode == ExitCodes.Success, eval.Stdout + eval.Stderr);
        var result = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var episodes = result.GetProperty("episodes").EnumerateArray().ToArray();
        Assert.Equal(2, episodes.Length);
        Assert.Equal([0, 1], episodes.Select(e => e.GetProperty("task").GetInt32()));
        Assert.All(episodes, e => Assert.InRange(e.GetProperty("steps").GetInt32(), 1, 200));
        double rate = result.GetProperty("summary").GetProperty("successRate").GetDouble();
        Assert.Equal(episodes.Count(e => e.GetProperty("success").GetBoolean()) / 2.0, rate);
    }

    [Fact]
    public async Task Fine_tuning_with_init_keeps_the_architecture_freezes_the_trunk_and_records_provenance()
    {
        string pretrainData = Path.Combine(_dir, "pre.hdf5"), newData = Path.Combine(_dir, "new.hdf5");
        foreach (var (file, tasks, seed) in new[] { (pretrainData, "0,1", "3"), (newData, "2", "4") })
        {
            var gen = await CliProcess.RunAsync(null, "dataset", "generate", "tabletop-push", "--episodes", "4", "--tasks", tasks, "--seed", seed, "--out", file);
            Assert.True(gen.ExitCode == ExitCodes.Success, gen.Stdout + gen.Stderr);
        }

        string pre = Path.Combine(_dir, "pre"), ft = Path.Combine(_dir, "ft");
        var train = await CliProcess.RunAsync(null, ["train", "--preset", "tabletop-mode", "--data", pretrainData, "--out", pre, "--steps", "2", .. Tiny]);
        Assert.True(train.ExitCode == ExitCodes.Success, train.Stdout + train.Stderr);
        // The preset would give width 64: the pretrained architecture (width 32) wins.
        var tune = await CliProcess.RunAsync(null, "train", "--preset", "tabletop-mode", "--data", newData, "--init", Path.Combine(pre, "final"),
            "--freeze-trunk", "--out", ft, "--steps", "2", "--batch-size", "8", "--set", "Torch:Threads=1");
        Assert.True(tune.ExitCode == ExitCodes.Success, tune.Stdout + tune.Stderr);
        Assert.Contains("re-initialised", tune.Stdout);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(ft, "final", "config.json"))).RootElement;
        Assert.Equal(32, config.GetProperty("width").GetInt32());
        var provenance = JsonDocument.Parse(File.ReadAllText(Path.Combine(ft, "final", "provenance.json"))).RootElement;
        Assert.Equal(Path.Combine(pre, "final"), provenance.GetProperty("checkpoint").GetString());
        Assert.Equal(2, provenance.GetProperty("pretrainedSteps").GetInt64());
        Assert.Equal("pretrained", provenance.GetProperty("stats").GetString());
        Assert.True(provenance.GetProperty("frozen").GetArrayLength() > 0);
        Assert.Contains(provenance.GetProperty("frozen").EnumerateArray(), n => n.GetString()!.StartsWith("blocks.", StringComparison.Ordinal));

        var both = await CliProcess.RunAsync(null, "train", "--preset", "tabletop-mode", "--data", newData, "--init", Path.Combine(pre, "final"), "--resume", Path.Combine(pre, "final"));
        Assert.Equal(ExitCodes.Usage, both.ExitCode);
        Assert.Contains("--init", both.Stdout + both.Stderr);
    }

    [Fact]
    public async Task Corpora_written_by_h5py_are_mixed_and_their_tasks_merged_by_instruction()
    {
        // Two files with overlapping task lists in different orders: the policy must end with 3 distinct tasks.
        const string script = """
            import h5py, numpy as np, sys
            def write(path, instructions, tasks):
                n = 40
                rng = np.random.default_rng(len(path))
                with h5py.File(path, 'w') as f:
                    f.create_dataset('observations', data=rng.normal(size=(n, 3)).astype('f4'), compression='gzip')
                    f.create_dataset('actions', data=rng.uniform(-1, 1, size=(n, 2)).astype('f4'), compression='gzip')
                    f.create_dataset('rewards', data=np.zeros(n, 'f4'))
                    term = np.zeros(n, bool); term[[9, 19, 29, 39]] = True
                    f.create_dataset('terminals', data=term)
                    f.create_dataset('timeouts', data=np.zeros(n, bool))
                    f.create_dataset('infos/task_index', data=np.repeat(np.array(tasks, 'i8'), 10))
                    f.create_dataset('metadata/task_instructions', data=np.array(instructions, dtype=h5py.string_dtype()))
            write(sys.argv[1], ['push red left', 'push blue right'], [0, 1, 0, 1])
            write(sys.argv[2], ['push blue right', 'open the drawer'], [1, 0, 1, 0])
            """;
        string a = Path.Combine(_dir, "a.hdf5"), b = Path.Combine(_dir, "b.hdf5");
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        foreach (var arg in new[] { "-c", script, a, b }) psi.ArgumentList.Add(arg);
        using (var p = Process.Start(psi)!)
        {
            string err = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, err);
        }

        string run = Path.Combine(_dir, "mix");
        var train = await CliProcess.RunAsync(null, ["train", "--preset", "tabletop-mlp", "--data", a + "@3", "--data", b, "--out", run, "--steps", "2", .. Tiny]);
        Assert.True(train.ExitCode == ExitCodes.Success, train.Stdout + train.Stderr);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "final", "config.json"))).RootElement;
        Assert.Equal(["push red left", "push blue right", "open the drawer"], config.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("instruction").GetString()));
        Assert.Equal(3, config.GetProperty("stateDim").GetInt32());
    }

    [Theory]
    [InlineData("minari_pointmaze/test/pointmaze-umaze-v1", 8, 2)] // Minari 0.5.3 layout (h5py), Dict observation space
    [InlineData("lerobot_v30_sim", 2, 2)] // LeRobot v3.0 layout (Parquet.Net), observation.state / action
    [InlineData("robomimic_small.hdf5", 3, 3)] // robomimic layout (h5py): data/demo_N, obs/* flattened, float64 actions
    public async Task Corpora_in_upstream_formats_train_without_conversion(string fixture, int stateDim, int actionDim)
    {
        string data = Path.Combine(Checkout.Root, "tools", "fixtures", "datasets", fixture);
        string run = Path.Combine(_dir, "upstream");
        var train = await CliProcess.RunAsync(null, ["train", "--preset", "tabletop-mlp", "--data", data, "--include-failures", "--out", run, "--steps", "2", .. Tiny]);
        Assert.True(train.ExitCode == ExitCodes.Success, train.Stdout + train.Stderr);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "final", "config.json"))).RootElement;
        Assert.Equal(stateDim, config.GetProperty("stateDim").GetInt32());
        Assert.Equal(actionDim, config.GetProperty("actionDim").GetInt32());
        var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "final", "normalization.json"))).RootElement;
        Assert.Equal(stateDim, stats.GetProperty("observation.state").GetProperty("mean").GetArrayLength());
    }

    [Fact]
    public async Task Label_actions_fills_an_action_free_corpus_with_inverse_dynamics_and_says_so()
    {
        string labelled = Path.Combine(_dir, "labelled.hdf5"), play = Path.Combine(_dir, "play.hdf5"), out_ = Path.Combine(_dir, "pseudo.hdf5");
        var gen = await CliProcess.RunAsync(null, "dataset", "generate", "tabletop-push", "--episodes", "4", "--seed", "3", "--out", labelled);
        Assert.True(gen.ExitCode == ExitCodes.Success, gen.Stdout + gen.Stderr);
        const string strip = """
            import h5py, shutil, sys
            shutil.copy(sys.argv[1], sys.argv[2])
            with h5py.File(sys.argv[2], 'r+') as f:
                del f['actions']
            """;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        foreach (var arg in new[] { "-c", strip, labelled, play }) psi.ArgumentList.Add(arg);
        using (var p = Process.Start(psi)!)
        {
            string err = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, err);
        }

        string run = Path.Combine(_dir, "wm");
        var train = await CliProcess.RunAsync(null, ["train", "--preset", "tabletop-mode-wm", "--data", labelled, "--out", run, "--steps", "2", .. Tiny]);
        Assert.True(train.ExitCode == ExitCodes.Success, train.Stdout + train.Stderr);
        var label = await CliProcess.RunAsync(null, "dataset", "label-actions", play, out_, "--checkpoint", Path.Combine(run, "final"), "--set", "Torch:Threads=1");
        Assert.True(label.ExitCode == ExitCodes.Success, label.Stdout + label.Stderr);

        const string check = """
            import h5py, json, sys
            with h5py.File(sys.argv[1]) as a, h5py.File(sys.argv[2]) as b:
                print(json.dumps({'shape': list(b['actions'].shape), 'rows': a['observations'].shape[0],
                                  'finite': bool((abs(b['actions'][()]) < 1e6).all()),
                                  'note': b['metadata/pseudo_labelled_actions'][()].decode()}))
            """;
        var psi2 = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", check, labelled, out_ }) psi2.ArgumentList.Add(arg);
        using var q = Process.Start(psi2)!;
        string json = await q.StandardOutput.ReadToEndAsync();
        await q.WaitForExitAsync();
        var doc = JsonDocument.Parse(json).RootElement;
        Assert.Equal(doc.GetProperty("rows").GetInt32(), doc.GetProperty("shape")[0].GetInt32());
        Assert.Equal(2, doc.GetProperty("shape")[1].GetInt32());
        Assert.True(doc.GetProperty("finite").GetBoolean());
        Assert.Contains("inverse dynamics of", doc.GetProperty("note").GetString());

        // A corpus that already records actions is refused by name.
        var recorded = await CliProcess.RunAsync(null, "dataset", "label-actions", labelled, Path.Combine(_dir, "x.hdf5"), "--checkpoint", Path.Combine(run, "final"));
        Assert.Equal(ExitCodes.Usage, recorded.ExitCode);
        Assert.Contains("already records", recorded.Stdout + recorded.Stderr);
    }

    [Fact]
    public async Task An_action_free_folder_trains_the_world_model_side_beside_labelled_data_and_is_refused_without_that_head()
    {
        string labelled = Path.Combine(_dir, "labelled.hdf5"), play = Path.Combine(_dir, "play");
        var gen = await CliProcess.RunAsync(null, "dataset", "generate", "tabletop-push", "--episodes", "4", "--seed", "3", "--out", labelled);
        Assert.True(gen.ExitCode == ExitCodes.Success, gen.Stdout + gen.Stderr);
        // Play data as another tool would write it: the same scene's states with no actions column (h5py).
        const string script = """
            import h5py, sys
            src, dst = sys.argv[1], sys.argv[2]
            with h5py.File(src, 'r') as f, h5py.File(dst, 'w') as g:
                for key in ('observations', 'rewards', 'terminals', 'timeouts'):
                    g.create_dataset(key, data=f[key][()])
            """;
        Directory.CreateDirectory(play);
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        foreach (var arg in new[] { "-c", script, labelled, Path.Combine(play, "states.hdf5") }) psi.ArgumentList.Add(arg);
        using (var p = Process.Start(psi)!)
        {
            string err = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, err);
        }

        string run = Path.Combine(_dir, "uwm");
        var train = await CliProcess.RunAsync(null, ["train", "--preset", "tabletop-mode-wm", "--data", labelled + "@0.7", "--data", play + "@0.3", "--out", run, "--steps", "2", .. Tiny]);
        Assert.True(train.ExitCode == ExitCodes.Success, train.Stdout + train.Stderr);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "final", "config.json"))).RootElement;
        Assert.Equal(2, config.GetProperty("actionDim").GetInt32());

        var refused = await CliProcess.RunAsync(null, ["train", "--preset", "tabletop-mode", "--data", labelled, "--data", play, "--out", Path.Combine(_dir, "no"), "--steps", "2", .. Tiny]);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("world-model head", refused.Stdout + refused.Stderr);
        var alone = await CliProcess.RunAsync(null, ["train", "--preset", "tabletop-mode-wm", "--data", play, "--out", Path.Combine(_dir, "alone"), "--steps", "2", .. Tiny]);
        Assert.Equal(ExitCodes.Usage, alone.ExitCode);
        Assert.Contains("has actions", alone.Stdout + alone.Stderr);
    }

    [Fact]
    public async Task Bad_inputs_fail_with_a_message_naming_the_problem()
    {
        var unknown = await CliProcess.RunAsync(null, "train", "--preset", "nope", "--data", "x.hdf5");
        Assert.NotEqual(ExitCodes.Success, unknown.ExitCode);
        Assert.Contains("tabletop-mode", unknown.Stdout);

        var missing = await CliProcess.RunAsync(null, "train", "--preset", "tabletop-mode", "--data", Path.Combine(_dir, "missing.hdf5"));
        Assert.NotEqual(ExitCodes.Success, missing.ExitCode);
        Assert.Contains("missing.hdf5", missing.Stdout);

        var noCheckpoint = await CliProcess.RunAsync(null, "eval", "--checkpoint", _dir, "--env", "tabletop-push");
        Assert.NotEqual(ExitCodes.Success, noCheckpoint.ExitCode);
        Assert.Contains("config.json", noCheckpoint.Stdout);

        var list = await CliProcess.RunAsync(null, "train", "--list-presets");
        Assert.Equal(ExitCodes.Success, list.ExitCode);
        foreach (var preset in new[] { "maze2d-mode", "maze2d-dense", "maze2d-mlp", "tabletop-mode", "tabletop-dense", "tabletop-mlp", "tabletop-mode-wm" })
            Assert.Contains(preset, list.Stdout);
    }
}
