using System.Diagnostics;
using Robotics.Detectors.Data;

namespace Robotics.Evaluation.Tests;

/// <summary>The feature corpus file round-trips and reads in h5py as documented.</summary>
public sealed class FeatureCorpusTests : IDisposable
{
    private readonly string _dir = SweepFixtures.TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FeatureRollout Rollout(int i, bool success, int calls) => new(
        $"r{i}", i % 3, success, calls * 8, Enumerable.Range(0, calls).Select(c => c * 8).ToArray(),
        Enumerable.Range(0, calls).Select(c => Enumerable.Range(0, 5).Select(f => (float)(i * 100 + c * 10 + f)).ToArray()).ToArray(),
        success ? null : "shove",
        Enumerable.Range(0, calls).Select(c => new[] { (float)i, c, 0.5f, -0.5f }).ToArray());

    [Fact]
    public void RoundTripsAndH5pyReadsTheDocumentedLayout()
    {
        var rollouts = new[] { Rollout(0, true, 3), Rollout(1, false, 2), Rollout(2, true, 4) };
        string path = Path.Combine(_dir, "f.h5");
        FeatureCorpusFile.Write(path, rollouts, new Dictionary<string, string> { ["policy"] = "p", ["feature_layout"] = "mode|features=5" });
        var (back, metadata) = FeatureCorpusFile.Read(path);
        Assert.Equal(rollouts.Select(r => (r.Id, r.Task, r.Success, r.EpisodeLength, r.Fault)), back.Select(r => (r.Id, r.Task, r.Success, r.EpisodeLength, r.Fault)));
        Assert.Equal(rollouts.SelectMany(r => r.Steps), back.SelectMany(r => r.Steps));
        Assert.Equal(rollouts.SelectMany(r => r.Features.SelectMany(f => f)), back.SelectMany(r => r.Features.SelectMany(f => f)));
        Assert.Equal(rollouts.SelectMany(r => r.ExecutedChunks!.SelectMany(f => f)), back.SelectMany(r => r.ExecutedChunks!.SelectMany(f => f)));
        Assert.Equal("mode|features=5", metadata["feature_layout"]);

        const string script = """
            import sys, h5py
            f = h5py.File(sys.argv[1], "r")
            feats = f["calls/features"][:]
            first, n = f["episodes/first_call"][:], f["episodes/calls"][:]
            print(feats.shape, f["calls/chunk"].shape, list(f["episodes/success"][:]), [x.decode() for x in f["episodes/fault"][:]],
                  float(feats[first[1]:first[1] + n[1]].sum()), f["metadata/feature_dim"][()])
            """;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        // Rollout 1: features 100 + 10c + f for c in 0..1, f in 0..4 -> 2 * (500 + 10 + 5 * 2 * ... ) computed below.
        double expected = rollouts[1].Features.SelectMany(f => f).Sum(v => (double)v);
        Assert.Equal($"(9, 5) (9, 4) [1, 0, 1] ['', 'shove', ''] {expected:0.0} 5", output.Trim());
    }

    [Fact]
    public void ACorruptCorpusIsAClearError()
    {
        string path = Path.Combine(_dir, "bad.h5");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.ThrowsAny<Exception>(() => FeatureCorpusFile.Read(path));
        Assert.Throws<FileNotFoundException>(() => FeatureCorpusFile.Read(Path.Combine(_dir, "none.h5")));
    }
}
