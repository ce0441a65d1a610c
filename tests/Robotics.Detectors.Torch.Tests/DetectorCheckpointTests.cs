using System.Text.Json.Nodes;
using Robotics.Detectors.Torch.Checkpoints;
using Robotics.Detectors.Torch.Rnd;
using Robotics.Detectors.Torch.Safe;

namespace Robotics.Detectors.Torch.Tests;

[Collection(TorchCollection.Name)]
public sealed class DetectorCheckpointTests : IDisposable
{
    private const int Dimension = 16;
    private const string Layout = "mode:width=16;tokens=mean;sampling=10";
    private readonly string root = Path.Combine(Path.GetTempPath(), "detector-ckpt-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Kinds => new() { SafeDetectorKinds.Mlp, SafeDetectorKinds.Lstm, RndScorer.Kind };

    private static TorchFailureScorer Trained(string kind)
    {
        var train = SyntheticRollouts.Make(16, Dimension, visible: true, seed: 40);
        TorchFailureScorer scorer = kind == RndScorer.Kind
            ? new RndScorer(new RndOptions(Hidden: 16, Output: 8, Epochs: 2))
            : SafeDetector.Create(new SafeDetectorOptions(kind, Hidden: 16, Epochs: 2, Batch: 8, Seed: 3));
        scorer.Fit(train);
        return scorer;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Round_trip_gives_identical_scores_and_keeps_the_extras(string kind)
    {
        using var scorer = Trained(kind);
        string folder = Path.Combine(root, kind);
        var calibration = new JsonObject { ["alpha"] = 0.1, ["band"] = new JsonArray(0.5, 0.7, 0.9) };
        DetectorCheckpoint.Save(folder, scorer, new DetectorCheckpointExtras(Layout, calibration));

        Assert.True(File.Exists(Path.Combine(folder, DetectorCheckpoint.WeightsFile)));
        Assert.Empty(Directory.GetDirectories(root, ".*")); // no temporary folder left behind
        var loaded = DetectorCheckpoint.Load(folder, expectedFeatureDimension: Dimension, expectedFeatureLayout: Layout);
        using var again = loaded.Scorer;
        Assert.Equal(kind, again.Name);
        Assert.Equal(scorer.ParameterCount, again.ParameterCount);
        Assert.Equal(Layout, loaded.Manifest.FeatureLayout);
        Assert.Equal(0.1, loaded.Manifest.Calibration!["alpha"]!.GetValue<double>());
        foreach (var r in SyntheticRollouts.Make(4, Dimension, visible: true, seed: 41))
            Assert.Equal(scorer.Scores(r), again.Scores(r));
    }

    [Fact]
    public void Options_survive_the_round_trip()
    {
        using var scorer = Trained(SafeDetectorKinds.Lstm);
        string folder = Path.Combine(root, "options");
        DetectorCheckpoint.Save(folder, scorer, new DetectorCheckpointExtras(Layout));
        using var again = DetectorCheckpoint.Load(folder).Scorer;
        Assert.Equal(((SafeDetector)scorer).Options, ((SafeDetector)again).Options);
        Assert.Null(DetectorCheckpoint.LoadManifest(folder).Calibration);
    }

    [Fact]
    public void Truncated_safetensors_is_named()
    {
        string folder = Saved("truncated");
        string weights = Path.Combine(folder, DetectorCheckpoint.WeightsFile);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => DetectorCheckpoint.Load(folder));
        Assert.Contains(DetectorCheckpoint.WeightsFile, e.Message);
    }

    [Fact]
    public void Wrong_feature_dimension_in_json_is_named()
    {
        string folder = Saved("dimension");
        string manifest = Path.Combine(folder, DetectorCheckpoint.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        json["featureDimension"] = Dimension + 3;
        File.WriteAllText(manifest, json.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => DetectorCheckpoint.Load(folder));
        Assert.Contains(DetectorCheckpoint.ManifestFile, e.Message);
        Assert.Contains("'featureDimension'", e.Message);
        Assert.Contains(DetectorCheckpoint.WeightsFile, e.Message);
    }

    [Fact]
    public void Mis_shaped_weight_tensor_is_named()
    {
        string folder = Saved("shape");
        string weights = Path.Combine(folder, DetectorCheckpoint.WeightsFile);
        var tensors = TorchSharp.PyBridge.Safetensors.LoadStateDict(weights);
        tensors["network.hidden.weight"] = TorchSharp.torch.zeros(8, Dimension);
        using (var stream = File.Create(weights))
            TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, tensors);
        foreach (var t in tensors.Values)
            t.Dispose();
        var e = Assert.Throws<InvalidDataException>(() => DetectorCheckpoint.Load(folder));
        Assert.Contains(DetectorCheckpoint.WeightsFile, e.Message);
        Assert.Contains("network.hidden.weight", e.Message);
    }

    [Fact]
    public void Caller_dimension_or_layout_mismatch_is_named()
    {
        string folder = Saved("caller");
        var e = Assert.Throws<InvalidDataException>(() => DetectorCheckpoint.Load(folder, expectedFeatureDimension: 32));
        Assert.Contains("featureDimension", e.Message);
        e = Assert.Throws<InvalidDataException>(() => DetectorCheckpoint.Load(folder, expectedFeatureLayout: "other:width=16"));
        Assert.Contains("featureLayout", e.Message);
    }

    [Theory]
    [InlineData(DetectorCheckpoint.WeightsFile)]
    [InlineData(DetectorCheckpoint.ManifestFile)]
    public void Missing_file_is_named(string file)
    {
        string folder = Saved("missing-" + file);
        File.Delete(Path.Combine(folder, file));
        var e = Assert.Throws<InvalidDataException>(() => DetectorCheckpoint.Load(folder));
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public void Unknown_kind_and_bad_json_are_named()
    {
        string folder = Saved("kind");
        string manifest = Path.Combine(folder, DetectorCheckpoint.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        json["kind"] = "safe-transformer";
        File.WriteAllText(manifest, json.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => DetectorCheckpoint.Load(folder));
        Assert.Contains("'kind'", e.Message);
        File.WriteAllText(manifest, "{ not json");
        e = Assert.Throws<InvalidDataException>(() => DetectorCheckpoint.Load(folder));
        Assert.Contains(DetectorCheckpoint.ManifestFile, e.Message);
    }

    [Fact]
    public void Saving_again_replaces_the_folder()
    {
        string folder = Saved("replace");
        using var other = Trained(SafeDetectorKinds.Lstm);
        DetectorCheckpoint.Save(folder, other, new DetectorCheckpointExtras(Layout));
        Assert.Equal(SafeDetectorKinds.Lstm, DetectorCheckpoint.LoadManifest(folder).Kind);
    }

    private string Saved(string name)
    {
        using var scorer = Trained(SafeDetectorKinds.Mlp);
        string folder = Path.Combine(root, name);
        DetectorCheckpoint.Save(folder, scorer, new DetectorCheckpointExtras(Layout));
        return folder;
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }
}
