using Robotics.Detectors.Data;

namespace Robotics.Evaluation.Store;

/// <summary>Sweep records with recorded policy calls as the rollouts a failure detector learns from.</summary>
public static class SweepFeatures
{
    public static IReadOnlyList<FeatureRollout> ToRollouts(IEnumerable<SweepRecord> records) => records.Select(r =>
    {
        var calls = r.Result.Calls ?? throw new InvalidDataException($"episode {r.Key} has no recorded policy calls; run the sweep with \"recordFeatures\": true");
        return new FeatureRollout(r.Key, r.Task, r.Result.Success, r.Result.Steps, calls.Select(c => c.Step).ToArray(),
            calls.Select(c => c.Features).ToArray(), r.Result.Fault,
            calls.All(c => c.Chunk is not null) ? calls.Select(c => c.Chunk!.SelectMany(row => row).ToArray()).ToArray() : null,
            calls.All(c => c.Samples is not null) ? calls.Select(c => c.Samples!.Select(k => k.SelectMany(row => row).ToArray()).ToArray()).ToArray() : null);
    }).ToArray();
}
