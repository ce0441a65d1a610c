using k8s.Models;

namespace Robotics.Evaluation.Kubernetes.Tests;

/// <summary>Picks the three objects out of a built or re-loaded manifest by kind and name.</summary>
internal static class ManifestQueries
{
    public static V1ConfigMap PlanConfigMap(IEnumerable<object> objects) =>
        Assert.Single(objects.OfType<V1ConfigMap>());

    public static V1Job ShardJob(IEnumerable<object> objects) =>
        Assert.Single(objects.OfType<V1Job>(), j => j.Metadata.Name.EndsWith("-shard", StringComparison.Ordinal));

    public static V1Job MergeJob(IEnumerable<object> objects) =>
        Assert.Single(objects.OfType<V1Job>(), j => j.Metadata.Name.EndsWith("-merge", StringComparison.Ordinal));
}
