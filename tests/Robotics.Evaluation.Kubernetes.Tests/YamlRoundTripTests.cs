using k8s;
using k8s.Models;

namespace Robotics.Evaluation.Kubernetes.Tests;

public sealed class YamlRoundTripTests
{
    [Fact]
    public void Yaml_is_three_documents_separated_by_dashes()
    {
        var yaml = SweepJobManifest.ToYaml(SampleOptions.FourShards());
        var separators = yaml.Split('\n').Count(line => line == "---");
        Assert.Equal(2, separators);
        Assert.StartsWith("apiVersion: v1\nkind: ConfigMap", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_loads_back_into_equal_typed_objects()
    {
        var options = SampleOptions.FourShards();
        var built = SweepJobManifest.Build(options);
        var loaded = KubernetesYaml.LoadAllFromString(SweepJobManifest.ToYaml(options), typeMap: null, strict: true);

        Assert.Equal(built.Select(o => o.GetType()), loaded.Select(o => o.GetType()));
        Assert.Equal(
            built.Cast<IKubernetesObject<V1ObjectMeta>>().Select(o => (o.ApiVersion, o.Kind, o.Metadata.Name, o.Metadata.NamespaceProperty)),
            loaded.Cast<IKubernetesObject<V1ObjectMeta>>().Select(o => (o.ApiVersion, o.Kind, o.Metadata.Name, o.Metadata.NamespaceProperty)));

        Assert.Equal(ManifestQueries.PlanConfigMap(built).Data, ManifestQueries.PlanConfigMap(loaded).Data);
        Assert.Equal(ManifestQueries.PlanConfigMap(built).Metadata.Labels, ManifestQueries.PlanConfigMap(loaded).Metadata.Labels);
        AssertSameJob(ManifestQueries.ShardJob(built), ManifestQueries.ShardJob(loaded));
        AssertSameJob(ManifestQueries.MergeJob(built), ManifestQueries.MergeJob(loaded));
    }

    [Theory]
    [InlineData("{\"seeds\":[0]}")]
    [InlineData("{\n  \"seeds\": [0]\n}\n\n")]
    [InlineData("{ \"name\": \"a: b # not a comment\", \"q\": \"---\" }\n")]
    public void Plan_text_survives_yaml_exactly(string plan)
    {
        var yaml = SweepJobManifest.ToYaml(SampleOptions.FourShards() with { PlanJson = plan });
        var loaded = KubernetesYaml.LoadAllFromString(yaml);
        Assert.Equal(plan, ManifestQueries.PlanConfigMap(loaded).Data["quality.json"]);
    }

    private static void AssertSameJob(V1Job expected, V1Job actual)
    {
        Assert.Equal(expected.Metadata.Labels, actual.Metadata.Labels);
        var (e, a) = (expected.Spec, actual.Spec);
        Assert.Equal(
            (e.CompletionMode, e.Completions, e.Parallelism, e.BackoffLimit, e.BackoffLimitPerIndex, e.MaxFailedIndexes, e.PodReplacementPolicy),
            (a.CompletionMode, a.Completions, a.Parallelism, a.BackoffLimit, a.BackoffLimitPerIndex, a.MaxFailedIndexes, a.PodReplacementPolicy));
        Assert.Equal(
            e.PodFailurePolicy.Rules.Select(r => (r.Action, r.OnPodConditions.Single().Type, r.OnPodConditions.Single().Status)),
            a.PodFailurePolicy.Rules.Select(r => (r.Action, r.OnPodConditions.Single().Type, r.OnPodConditions.Single().Status)));

        Assert.Equal(e.Template.Metadata.Labels, a.Template.Metadata.Labels);
        var (ep, ap) = (e.Template.Spec, a.Template.Spec);
        Assert.Equal((ep.RestartPolicy, ep.ServiceAccountName, ep.AutomountServiceAccountToken), (ap.RestartPolicy, ap.ServiceAccountName, ap.AutomountServiceAccountToken));
        Assert.Equal(
            ep.Volumes.Select(v => (v.Name, v.ConfigMap?.Name, v.PersistentVolumeClaim?.ClaimName)),
            ap.Volumes.Select(v => (v.Name, v.ConfigMap?.Name, v.PersistentVolumeClaim?.ClaimName)));
        AssertSameContainers(ep.InitContainers, ap.InitContainers);
        AssertSameContainers(ep.Containers, ap.Containers);
    }

    private static void AssertSameContainers(IList<V1Container>? expected, IList<V1Container>? actual)
    {
        Assert.Equal(expected?.Count, actual?.Count);
        foreach (var (e, a) in (expected ?? []).Zip(actual ?? []))
        {
            Assert.Equal((e.Name, e.Image), (a.Name, a.Image));
            Assert.Equal(e.Command, a.Command);
            Assert.Equal(e.Args, a.Args);
            Assert.Equal(
                e.Env?.Select(v => (v.Name, v.ValueFrom?.FieldRef?.FieldPath)),
                a.Env?.Select(v => (v.Name, v.ValueFrom?.FieldRef?.FieldPath)));
            Assert.Equal(
                e.VolumeMounts.Select(m => (m.Name, m.MountPath, m.ReadOnlyProperty)),
                a.VolumeMounts.Select(m => (m.Name, m.MountPath, m.ReadOnlyProperty)));
            Assert.Equal(Quantities(e.Resources.Requests), Quantities(a.Resources.Requests));
            Assert.Equal(Quantities(e.Resources.Limits), Quantities(a.Resources.Limits));
        }
    }

    private static Dictionary<string, string> Quantities(IDictionary<string, ResourceQuantity> resources) =>
        resources.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
}
