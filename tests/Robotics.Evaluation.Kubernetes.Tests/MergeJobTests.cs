namespace Robotics.Evaluation.Kubernetes.Tests;

public sealed class MergeJobTests
{
    private static readonly k8s.Models.V1Job Job = SweepJobManifest.BuildMergeJob(SampleOptions.FourShards());

    [Fact]
    public void Merge_job_runs_one_pod_that_is_not_restarted_in_place()
    {
        Assert.Equal(("batch/v1", "Job", "quality-merge"), (Job.ApiVersion, Job.Kind, Job.Metadata.Name));
        Assert.Equal((1, 1), (Job.Spec.Completions, Job.Spec.Parallelism));
        Assert.Null(Job.Spec.CompletionMode);
        Assert.Equal("Never", Job.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("merge", Job.Spec.Template.Metadata.Labels["app.kubernetes.io/component"]);
    }

    [Fact]
    public void Init_container_waits_for_one_done_file_per_shard_polling_every_10_seconds()
    {
        var wait = Assert.Single(Job.Spec.Template.Spec.InitContainers);
        Assert.Equal("registry.example.com/robotics:0.1.0", wait.Image);
        Assert.Equal(["sh", "-c"], wait.Command.Take(2));
        var script = wait.Command[2];
        Assert.Contains("want=4", script, StringComparison.Ordinal);
        Assert.Contains("set -- /results/quality/shard-*/DONE", script, StringComparison.Ordinal);
        Assert.Contains("sleep 10", script, StringComparison.Ordinal);
        Assert.Contains("polls=8640", script, StringComparison.Ordinal); // 24 h / 10 s: bounded
        Assert.Contains("exit 1", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Wait_timeout_rounds_up_to_whole_polls()
    {
        var job = SweepJobManifest.BuildMergeJob(SampleOptions.FourShards() with { MergeWaitTimeoutSeconds = 95 });
        Assert.Contains("polls=10", Assert.Single(job.Spec.Template.Spec.InitContainers).Command[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Main_container_merges_the_shard_glob_then_writes_the_report()
    {
        var merge = Assert.Single(Job.Spec.Template.Spec.Containers);
        Assert.Equal(["sh", "-c"], merge.Command.Take(2));
        var lines = merge.Command[2].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "set -e",
                "robotics sweep merge /results/quality/shard-* --out /results/quality/merged --overwrite",
                "robotics sweep report /results/quality/merged --out /results/quality/report",
            ],
            lines);
    }

    [Fact]
    public void Both_containers_mount_the_results_claim()
    {
        var pod = Job.Spec.Template.Spec;
        var volume = Assert.Single(pod.Volumes);
        Assert.Equal("sweep-results", volume.PersistentVolumeClaim.ClaimName);
        Assert.All(pod.InitContainers.Concat(pod.Containers), c =>
            Assert.Contains(c.VolumeMounts, m => m.Name == volume.Name && m.MountPath == "/results"));
    }

    [Fact]
    public void Scripts_survive_the_kubelets_variable_expansion_unchanged()
    {
        // The kubelet rewrites $(NAME) and $$ in command and args; the scripts must reach sh as written,
        // whatever the pod's environment holds.
        var environment = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0", ["i"] = "x", ["have"] = "y" };
        var pod = Job.Spec.Template.Spec;
        Assert.All(pod.InitContainers.Concat(pod.Containers).SelectMany(c => c.Command), part =>
            Assert.Equal(part, KubeletExpansion.Expand(part, environment)));
    }
}
