namespace Robotics.Evaluation.Kubernetes;

/// <summary>
/// What is needed to run one sweep plan as a Kubernetes Indexed Job: the plan itself (shipped in a
/// ConfigMap so the image stays generic), how many shards and how many at once, the image that has
/// <c>robotics</c> on its PATH, and the shared volume every shard writes to so that the merge Job can
/// read all of them. Validated by <see cref="SweepJobManifest.Build"/>, which throws
/// <see cref="ArgumentException"/> naming the offending field.
/// </summary>
/// <param name="Name">
/// DNS-1123 label (lowercase alphanumerics and '-', at most 52 characters). It names the ConfigMap
/// (<c>NAME-plan</c>), the Jobs (<c>NAME-shard</c>, <c>NAME-merge</c>), the <c>robotics/sweep</c>
/// label and the results folder. 52 leaves room for <c>-shard</c> plus the <c>-INDEX</c> suffix the
/// Job controller appends to pod hostnames, which must fit in 63 characters.
/// </param>
/// <param name="PlanFileName">File name of the plan inside the pod, e.g. <c>quality.json</c>; also its ConfigMap key.</param>
/// <param name="PlanJson">The plan file's text; shipped in a ConfigMap, so at most about 1 MiB.</param>
/// <param name="Shards">Completions of the Indexed Job: the plan is split into this many deterministic shards (1..10000).</param>
/// <param name="Parallelism">Pods running at once (1..<paramref name="Shards"/>), so a sweep can share a cluster.</param>
/// <param name="Image">Container image with <c>robotics</c> and a POSIX <c>sh</c> on its PATH.</param>
/// <param name="ResultsClaim">
/// Name of a ReadWriteMany PersistentVolumeClaim mounted at <paramref name="ResultsMountPath"/> in every
/// pod; ReadWriteMany because shards on different nodes write at the same time and the merge pod reads them.
/// </param>
/// <param name="ResultsMountPath">Absolute path where the claim is mounted; results go to <c>PATH/NAME/shard-I</c>.</param>
/// <param name="Namespace">Namespace of every object, so the manifest can be applied without <c>-n</c>.</param>
/// <param name="Cpu">CPU request and limit of the sweep and merge containers (a Kubernetes quantity).</param>
/// <param name="Memory">Memory request and limit of the sweep and merge containers (a Kubernetes quantity).</param>
/// <param name="BackoffLimitPerIndex">
/// Retries per shard. Cheap, because a retried shard resumes from its own folder (<c>--resume</c>)
/// and only that index is retried.
/// </param>
/// <param name="ServiceAccount">Service account of the pods, or null for the namespace default (its token is then not mounted).</param>
/// <param name="MaxFailedIndexes">
/// Failed shards tolerated before the whole Job is failed and its running pods stopped. Default 0:
/// the merge needs every shard, so one shard that exhausted its retries already dooms the sweep, and
/// stopping early loses nothing (finished episodes are on the claim and a rerun resumes them). Null
/// lets the other shards run to the end anyway.
/// </param>
/// <param name="MergeWaitTimeoutSeconds">
/// How long the merge pod waits for all shards' <c>DONE</c> files before giving up, so a failed sweep
/// does not leave a pod polling forever. Default 24 hours.
/// </param>
public sealed record SweepJobOptions(
    string Name,
    string PlanFileName,
    string PlanJson,
    int Shards,
    int Parallelism,
    string Image,
    string ResultsClaim,
    string ResultsMountPath = "/results",
    string Namespace = "default",
    string Cpu = "2",
    string Memory = "4Gi",
    int BackoffLimitPerIndex = 2,
    string? ServiceAccount = null,
    int? MaxFailedIndexes = 0,
    int MergeWaitTimeoutSeconds = 24 * 60 * 60);
