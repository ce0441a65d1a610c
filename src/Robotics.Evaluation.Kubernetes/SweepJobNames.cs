namespace Robotics.Evaluation.Kubernetes;

/// <summary>
/// Names, labels and paths shared by the manifests, public so that tooling (the CLI, <c>kubectl</c>
/// hints, tests) derives them the same way the manifests do instead of repeating string literals.
/// </summary>
public static class SweepJobNames
{
    /// <summary>Value of <c>app.kubernetes.io/name</c> on every object, so all sweeps can be listed with one selector.</summary>
    public const string AppName = "robotics-sweep";

    /// <summary>Recommended Kubernetes label naming the application.</summary>
    public const string AppNameLabel = "app.kubernetes.io/name";

    /// <summary>Recommended Kubernetes label naming the part of the application (plan, shard, merge).</summary>
    public const string ComponentLabel = "app.kubernetes.io/component";

    /// <summary>Label carrying the sweep's name, so one sweep's objects can be selected and deleted together.</summary>
    public const string SweepLabel = "robotics/sweep";

    /// <summary>Where the plan ConfigMap is mounted (read-only) in the shard pods.</summary>
    public const string PlanMountPath = "/plan";

    /// <summary>
    /// Environment variable holding the shard index. The Job controller injects it into pods of an
    /// Indexed Job; the manifests also declare it explicitly from the pod annotation, so that
    /// <c>$(JOB_COMPLETION_INDEX)</c> in the container arguments expands even where it would not be injected.
    /// </summary>
    public const string CompletionIndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>Pod annotation in which the Job controller stores the completion index.</summary>
    public const string CompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index";

    /// <summary>File a shard folder contains once its run completed; the merge waits for one per shard.</summary>
    public const string DoneFileName = "DONE";

    /// <summary>Seconds between two looks for <see cref="DoneFileName"/> files by the merge pod.</summary>
    public const int MergePollSeconds = 10;

    /// <summary>Name of the ConfigMap that ships the plan.</summary>
    public static string PlanConfigMap(string sweepName) => sweepName + "-plan";

    /// <summary>Name of the Indexed Job running the shards.</summary>
    public static string ShardJob(string sweepName) => sweepName + "-shard";

    /// <summary>Name of the Job merging the shards and writing the report.</summary>
    public static string MergeJob(string sweepName) => sweepName + "-merge";

    /// <summary>Folder on the shared volume holding this sweep's shards, merged results and report.</summary>
    public static string SweepFolder(SweepJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ResultsMountPath.TrimEnd('/') + "/" + options.Name;
    }
}
