using System.Runtime.CompilerServices;
using System.Text.Json;
using Robotics.Core.Arrays;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Policies.Checkpoints;
using Robotics.Policies.Configuration;
using Robotics.Policies.Data;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using Robotics.Policies.Runtime;
using Robotics.Policies.Training;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Registry;

/// <summary>
/// Every registered policy type, the same checks: its options live in its own config section and survive config.json,
/// and a tiny fixed-seed checkpoint stored in the repository (Golden/TYPE) still loads and gives the stored action
/// chunks, so a refactor that changes outputs is caught. ROBOTICS_UPDATE_GOLDEN=1 rewrites them (review the diff).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class RegisteredPolicyTests
{
    [Theory]
    [MemberData(nameof(RegisteredPolicies.Names), MemberType = typeof(RegisteredPolicies))]
    public void The_type_options_live_in_their_own_section_and_survive_config_json(string type)
    {
        var registered = PolicyRegistry.Get(type);
        var config = ToyTasks.Config(type);
        string before = JsonSerializer.Serialize(registered.Options(config), registered.Options(config).GetType(), PolicyConfig.Json);
        string json = JsonSerializer.Serialize(config, PolicyConfig.Json);
        using var document = JsonDocument.Parse(json);
        Assert.True(document.RootElement.TryGetProperty(registered.OptionsSection, out _), $"config.json lacks the '{registered.OptionsSection}' section");
        var back = JsonSerializer.Deserialize<PolicyConfig>(json, PolicyConfig.Json)!.EnsureValid();
        Assert.Equal(before, JsonSerializer.Serialize(registered.Options(back), registered.Options(back).GetType(), PolicyConfig.Json));
        Assert.Equal(json, JsonSerializer.Serialize(back, PolicyConfig.Json));
    }

    [Fact]
    public void An_unknown_type_is_refused_with_the_registered_names()
    {
        var config = ToyTasks.Config();
        config.Type = "transformer_xl";
        var e = Assert.Throws<InvalidPolicyConfigException>(() => config.EnsureValid());
        Assert.Contains("transformer_xl", e.Message);
        Assert.All(PolicyRegistry.All, t => Assert.Contains(t.Name, e.Message));
    }

    [Theory]
    [MemberData(nameof(RegisteredPolicies.Names), MemberType = typeof(RegisteredPolicies))]
    public void The_stored_tiny_checkpoint_gives_the_stored_action_chunks(string type)
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Golden", type);
        if (Environment.GetEnvironmentVariable("ROBOTICS_UPDATE_GOLDEN") == "1")
        {
            folder = Path.Combine(SourceFolder(), "..", "Golden", type);
            Write(type, folder);
        }

        Assert.True(Directory.Exists(folder), $"no golden checkpoint for '{type}' at {folder}: run the tests once with ROBOTICS_UPDATE_GOLDEN=1 and commit Golden/{type}");
        var golden = JsonSerializer.Deserialize<float[][][]>(File.ReadAllText(Path.Combine(folder, "chunks.json")))!;
        var chunks = Chunks(folder);
        Assert.Equal(golden.Length, chunks.Length);
        for (int i = 0; i < golden.Length; i++)
        for (int k = 0; k < golden[i].Length; k++)
        for (int a = 0; a < golden[i][k].Length; a++)
            Assert.True(Math.Abs(golden[i][k][a] - chunks[i][k][a]) < 1e-4, $"{type}: observation {i}, row {k}, action {a}: {chunks[i][k][a]} vs stored {golden[i][k][a]}");
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>Three observations of different tasks, each predicted after a reset with the policy's own seeded noise.</summary>
    private static float[][][] Chunks(string checkpoint)
    {
        using var policy = TorchChunkPolicy.Load(checkpoint, CPU, seed: 7);
        float[][] states = [[0.3f, -0.2f], [-0.5f, 0.4f], [0.8f, 0.1f]];
        return states.Select((s, i) =>
        {
            policy.Reset();
            return policy.PredictChunk(new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats(s) }, i % 3)).Actions;
        }).ToArray();
    }

    private static void Write(string type, string folder)
    {
        var config = ToyTasks.Config(type, width: 16, layers: 1);
        var episodes = ToyTasks.Episodes(12, 16, seed: 2);
        manual_seed(11);
        var trainer = new PolicyTrainer(PolicyRegistry.Create(config), new PolicyProcessor(config, ToyTasks.Stats(episodes)),
            new TrainingOptions { Steps = 40, BatchSize = 16, WarmupSteps = 5, Seed = 11, CheckpointEvery = 1000, ValidateEvery = 1000 }, CPU);
        using (trainer)
        {
            trainer.Run(ToyTasks.Source(episodes, config, 11), null, null);
            string temp = folder + ".tmp";
            if (Directory.Exists(temp)) Directory.Delete(temp, true);
            trainer.SaveCheckpoint(temp);
            Directory.Delete(Path.Combine(temp, PolicyCheckpoint.TrainingFolder), true);
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
            Directory.Move(temp, folder);
        }

        File.WriteAllText(Path.Combine(folder, "chunks.json"), JsonSerializer.Serialize(Chunks(folder)));
    }
}
