using System.Globalization;
using k8s;
using k8s.Models;

namespace Robotics.Evaluation.Kubernetes;

/// <summary>
/// Writes the Kubernetes objects that run a sweep plan on a cluster: a ConfigMap shipping the plan,
/// an Indexed Job whose pod <c>i</c> runs shard <c>i</c> into its own folder on a shared
/// ReadWriteMany volume, and a Job that waits for every shard's <c>DONE</c> file, merges the shards
/// and writes the report. Built from the official client's typed models rather than text templates,
/// so field names and nesting are checked by the compiler and the YAML comes from the same
/// serializer the client uses to talk to the API server.
/// </summary>
public static class SweepJobManifest
{
    private const string ResultsVolume = "results";
    private const string PlanVolume = "plan";

    /// <summary>
    /// The objects in the order they should be applied: the plan <see cref="V1ConfigMap"/>, the shard
    /// Indexed <see cref="V1Job"/> and the merge <see cref="V1Job"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message and ParamName name it.</exception>
    public static IReadOnlyList<object> Build(SweepJobOptions options)
    {
        SweepJobOptionsValidation.Validate(options);
        return [BuildPlanConfigMap(options), BuildShardJob(options), BuildMergeJob(options)];
    }

    /// <summary>The objects of <see cref="Build"/> as multi-document YAML ("---" separated), ready for <c>kubectl apply -f</c>.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message and ParamName name it.</exception>
    public static string ToYaml(SweepJobOptions options) => KubernetesYaml.SerializeAll(Build(options));

    /// <summary>The plan as a ConfigMap, so the image needs no copy of it and a new plan needs no new image.</summary>
    public static V1ConfigMap BuildPlanConfigMap(SweepJobOptions options)
    {
        SweepJobOptionsValidation.Validate(options);
        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = Metadata(options, SweepJobNames.PlanConfigMap(options.Name), "plan"),
            Data = new Dictionary<string, string> { [options.PlanFileName] = options.PlanJson },
        };
    }

    /// <summary>
    /// The Indexed Job running one shard per completion index. Each pod writes only
    /// <c>FOLDER/shard-INDEX</c>, so shards never share files and a retried index resumes its own folder.
    /// </summary>
    public static V1Job BuildShardJob(SweepJobOptions options)
    {
        SweepJobOptionsValidation.Validate(options);
        var folder = SweepJobNames.SweepFolder(options);
        var container = new V1Container
        {
            Name = "sweep",
            Image = options.Image,
            // Exec form, no shell: the kubelet expands $(JOB_COMPLETION_INDEX) from the container's
            // environment, where the variable is declared below (and injected by the Job controller).
            Command = ["robotics"],
            Args =
            [
                "sweep", "run", $"{SweepJobNames.PlanMountPath}/{options.PlanFileName}",
                "--out", $"{folder}/shard-$({SweepJobNames.CompletionIndexVariable})",
                "--shards", options.Shards.ToString(CultureInfo.InvariantCulture),
                "--resume",
            ],
            Env =
            [
                new V1EnvVar
                {
                    Name = SweepJobNames.CompletionIndexVariable,
                    ValueFrom = new V1EnvVarSource
                    {
                        FieldRef = new V1ObjectFieldSelector
                        {
                            FieldPath = $"metadata.annotations['{SweepJobNames.CompletionIndexAnnotation}']",
                        },
                    },
                },
            ],
            Resources = Resources(options.Cpu, options.Memory, options.Cpu, options.Memory),
            VolumeMounts =
            [
                new V1VolumeMount { Name = PlanVolume, MountPath = SweepJobNames.PlanMountPath, ReadOnlyProperty = true },
                new V1VolumeMount { Name = ResultsVolume, MountPath = options.ResultsMountPath },
            ],
        };

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = Metadata(options, SweepJobNames.ShardJob(options.Name), "shard"),
            Spec = new V1JobSpec
            {
                CompletionMode = "Indexed",
                Completions = options.Shards,
                Parallelism = options.Parallelism,
                BackoffLimitPerIndex = options.BackoffLimitPerIndex,
                MaxFailedIndexes = options.MaxFailedIndexes,
                // A replacement starts only once the failed pod is gone, so two pods never append to
                // the same shard folder at once.
                PodReplacementPolicy = "Failed",
                PodFailurePolicy = IgnoreDisruptions(),
                Template = PodTemplate(options, "shard", [container], initContainers: null,
                [
                    new V1Volume
                    {
                        Name = PlanVolume,
                        ConfigMap = new V1ConfigMapVolumeSource
                        {
                            Name = SweepJobNames.PlanConfigMap(options.Name),
                            Items = [new V1KeyToPath { Key = options.PlanFileName, Path = options.PlanFileName }],
                        },
                    },
                    ResultsClaimVolume(options),
                ]),
            },
        };
    }

    /// <summary>
    /// The Job that merges the shards. It is applied together with the shard Job (Kubernetes has no
    /// dependencies between Jobs), so an init container holds it back until every shard has written
    /// its <c>DONE</c> file; its wait is bounded by <see cref="SweepJobOptions.MergeWaitTimeoutSeconds"/>.
    /// </summary>
    public static V1Job BuildMergeJob(SweepJobOptions options)
    {
        SweepJobOptionsValidation.Validate(options);
        var resultsMount = new V1VolumeMount { Name = ResultsVolume, MountPath = options.ResultsMountPath };
        var wait = new V1Container
        {
            Name = "wait-for-shards",
            Image = options.Image,
            Command = ["sh", "-c", SweepShellScripts.WaitForShards(options)],
            // Polling needs next to nothing; keep it from holding the sweep's CPU and memory while it waits.
            Resources = Resources("10m", "16Mi", "100m", "64Mi"),
            VolumeMounts = [resultsMount],
        };
        var merge = new V1Container
        {
            Name = "merge",
            Image = options.Image,
            Command = ["sh", "-c", SweepShellScripts.MergeAndReport(options)],
            Resources = Resources(options.Cpu, options.Memory, options.Cpu, options.Memory),
            VolumeMounts = [resultsMount],
        };

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = Metadata(options, SweepJobNames.MergeJob(options.Name), "merge"),
            Spec = new V1JobSpec
            {
                Completions = 1,
                Parallelism = 1,
                BackoffLimit = options.BackoffLimitPerIndex,
                PodReplacementPolicy = "Failed",
                PodFailurePolicy = IgnoreDisruptions(),
                Template = PodTemplate(options, "merge", [merge], [wait], [ResultsClaimVolume(options)]),
            },
        };
    }

    private static V1PodTemplateSpec PodTemplate(
        SweepJobOptions options, string component, IList<V1Container> containers,
        IList<V1Container>? initContainers, IList<V1Volume> volumes) => new()
        {
            Metadata = new V1ObjectMeta { Labels = Labels(options, component) },
            Spec = new V1PodSpec
            {
                // Required by backoffLimitPerIndex and podFailurePolicy, and what makes a failure a
                // new pod that the Job counts, rather than a container restart in place.
                RestartPolicy = "Never",
                ServiceAccountName = options.ServiceAccount,
                // The sweep never calls the API server; only mount a token when an account was chosen.
                AutomountServiceAccountToken = options.ServiceAccount is not null,
                InitContainers = initContainers,
                Containers = containers,
                Volumes = volumes,
            },
        };

    /// <summary>
    /// Pods evicted by a node drain, preemption or taint (condition DisruptionTarget) are replaced
    /// without using up the index's retries: the shard did nothing wrong and resumes where it stopped.
    /// </summary>
    private static V1PodFailurePolicy IgnoreDisruptions() => new()
    {
        Rules =
        [
            new V1PodFailurePolicyRule
            {
                Action = "Ignore",
                OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }],
            },
        ],
    };

    private static V1Volume ResultsClaimVolume(SweepJobOptions options) => new()
    {
        Name = ResultsVolume,
        PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = options.ResultsClaim },
    };

    private static V1ResourceRequirements Resources(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpuRequest),
            ["memory"] = new(memoryRequest),
        },
        Limits = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpuLimit),
            ["memory"] = new(memoryLimit),
        },
    };

    private static V1ObjectMeta Metadata(SweepJobOptions options, string name, string component) => new()
    {
        Name = name,
        NamespaceProperty = options.Namespace,
        Labels = Labels(options, component),
    };

    private static Dictionary<string, string> Labels(SweepJobOptions options, string component) => new()
    {
        [SweepJobNames.AppNameLabel] = SweepJobNames.AppName,
        [SweepJobNames.ComponentLabel] = component,
        [SweepJobNames.SweepLabel] = options.Name,
    };
}
