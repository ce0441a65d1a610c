using k8s;
using k8s.Models;

namespace Robotics.Evaluation.Kubernetes.Tests;

public sealed class ShardJobTests
{
    private static readonly IReadOnlyList<object> Objects = SweepJobManifest.Build(SampleOptions.FourShards());

    [Fact]
    public void Build_returns_plan_config_map_then_shard_job_then_merge_job()
    {
        Assert.Collection(Objects,
            o => Assert.Equal(("v1", "ConfigMap", "quality-plan"), Describe(o)),
            o => Assert.Equal(("batch/v1", "Job", "quality-shard"), Describe(o)),
            o => Assert.Equal(("batch/v1", "Job", "quality-merge"), Describe(o)));
        Assert.All(Objects, o => Assert.Equal("default", ((IMetadata<V1ObjectMeta>)o).Metadata.NamespaceProperty));

        static (string, string, string) Describe(object o)
        {
            var k = Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o);
            return (k.ApiVersion, k.Kind, k.Metadata.Name);
        }
    }

    [Fact]
    public void Plan_config_map_holds_the_plan_under_its_file_name()
    {
        var map = ManifestQueries.PlanConfigMap(Objects);
        Assert.Equal(SampleOptions.PlanJson, Assert.Single(map.Data, kv => kv.Key == "quality.json").Value);
    }

    [Fact]
    public void Shard_job_is_indexed_with_one_completion_per_shard()
    {
        var spec = ManifestQueries.ShardJob(Objects).Spec;
        Assert.Equal("Indexed", spec.CompletionMode);
        Assert.Equal(4, spec.Completions);
        Assert.Equal(2, spec.Parallelism);
        Assert.Equal(2, spec.BackoffLimitPerIndex);
        Assert.Equal(0, spec.MaxFailedIndexes);
        Assert.Null(spec.BackoffLimit);
        Assert.Equal("Failed", spec.PodReplacementPolicy);
        Assert.Equal("Never", spec.Template.Spec.RestartPolicy);
    }

    [Fact]
    public void Evictions_do_not_use_up_a_shards_retries()
    {
        var rule = Assert.Single(ManifestQueries.ShardJob(Objects).Spec.PodFailurePolicy.Rules);
        Assert.Equal("Ignore", rule.Action);
        var condition = Assert.Single(rule.OnPodConditions);
        Assert.Equal(("DisruptionTarget", "True"), (condition.Type, condition.Status));
    }

    [Fact]
    public void Shard_container_runs_its_index_of_the_plan_into_its_own_folder_with_resume()
    {
        var container = Assert.Single(ManifestQueries.ShardJob(Objects).Spec.Template.Spec.Containers);
        Assert.Equal("registry.example.com/robotics:0.1.0", container.Image);
        var commandLine = string.Join(' ', container.Command.Concat(container.Args));
        Assert.Equal(
            "robotics sweep run /plan/quality.json --out /results/quality/shard-$(JOB_COMPLETION_INDEX) --shards 4 --resume",
            commandLine);
    }

    [Fact]
    public void Completion_index_is_declared_from_the_pod_annotation_so_the_kubelet_expands_it()
    {
        var container = Assert.Single(ManifestQueries.ShardJob(Objects).Spec.Template.Spec.Containers);
        var env = Assert.Single(container.Env);
        Assert.Equal("JOB_COMPLETION_INDEX", env.Name);
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env.ValueFrom.FieldRef.FieldPath);

        var pod3 = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "3" };
        var args = container.Args.Select(a => KubeletExpansion.Expand(a, pod3)).ToList();
        Assert.Equal(["sweep", "run", "/plan/quality.json", "--out", "/results/quality/shard-3", "--shards", "4", "--resume"], args);
    }

    [Fact]
    public void Plan_is_mounted_read_only_and_results_claim_at_the_mount_path()
    {
        var pod = ManifestQueries.ShardJob(Objects).Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        var planMount = Assert.Single(container.VolumeMounts, m => m.MountPath == "/plan");
        Assert.True(planMount.ReadOnlyProperty);
        var planVolume = Assert.Single(pod.Volumes, v => v.Name == planMount.Name);
        Assert.Equal("quality-plan", planVolume.ConfigMap.Name);
        var item = Assert.Single(planVolume.ConfigMap.Items);
        Assert.Equal(("quality.json", "quality.json"), (item.Key, item.Path));

        var resultsMount = Assert.Single(container.VolumeMounts, m => m.MountPath == "/results");
        Assert.NotEqual(true, resultsMount.ReadOnlyProperty);
        var resultsVolume = Assert.Single(pod.Volumes, v => v.Name == resultsMount.Name);
        Assert.Equal("sweep-results", resultsVolume.PersistentVolumeClaim.ClaimName);
    }

    [Fact]
    public void Shard_container_requests_and_is_limited_to_the_given_resources()
    {
        var resources = Assert.Single(ManifestQueries.ShardJob(Objects).Spec.Template.Spec.Containers).Resources;
        Assert.Equal("2", resources.Requests["cpu"].ToString());
        Assert.Equal("4Gi", resources.Requests["memory"].ToString());
        Assert.Equal("2", resources.Limits["cpu"].ToString());
        Assert.Equal("4Gi", resources.Limits["memory"].ToString());
    }

    [Fact]
    public void Every_object_and_pod_template_carries_the_sweep_labels()
    {
        var labelled = Objects.Cast<IMetadata<V1ObjectMeta>>().Select(o => o.Metadata.Labels)
            .Concat(Objects.OfType<V1Job>().Select(j => j.Spec.Template.Metadata.Labels));
        Assert.All(labelled, labels =>
        {
            Assert.Equal("robotics-sweep", labels["app.kubernetes.io/name"]);
            Assert.Equal("quality", labels["robotics/sweep"]);
        });
    }

    [Fact]
    public void Service_account_is_used_and_its_token_mounted_only_when_given()
    {
        var without = ManifestQueries.ShardJob(Objects).Spec.Template.Spec;
        Assert.Null(without.ServiceAccountName);
        Assert.False(without.AutomountServiceAccountToken);

        var with = SweepJobManifest.BuildShardJob(SampleOptions.FourShards() with { ServiceAccount = "sweeper" }).Spec.Template.Spec;
        Assert.Equal("sweeper", with.ServiceAccountName);
        Assert.True(with.AutomountServiceAccountToken);
    }

    [Fact]
    public void Options_other_than_the_defaults_reach_the_manifest()
    {
        var options = SampleOptions.FourShards() with
        {
            Shards = 10, Parallelism = 10, ResultsMountPath = "/mnt/shared/", Namespace = "eval",
            Cpu = "500m", Memory = "1Gi", BackoffLimitPerIndex = 5, MaxFailedIndexes = null,
        };
        var job = SweepJobManifest.BuildShardJob(options);
        Assert.Equal("eval", job.Metadata.NamespaceProperty);
        Assert.Equal((10, 10, 5, (int?)null), (job.Spec.Completions, job.Spec.Parallelism, job.Spec.BackoffLimitPerIndex, job.Spec.MaxFailedIndexes));
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Contains("/mnt/shared/quality/shard-$(JOB_COMPLETION_INDEX)", container.Args);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/mnt/shared/");
        Assert.Equal(("500m", "1Gi"), (container.Resources.Limits["cpu"].ToString(), container.Resources.Limits["memory"].ToString()));
    }
}
