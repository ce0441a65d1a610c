using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Robotics.Evaluation.Kubernetes;

/// <summary>
/// Checks <see cref="SweepJobOptions"/> before any manifest is written, because a manifest the API
/// server rejects (or, worse, accepts and then runs wrongly: a path with a space splits a shell
/// command) is only found out on a cluster. Every failure is an <see cref="ArgumentException"/> whose
/// <see cref="ArgumentException.ParamName"/> and message name the field.
/// </summary>
internal static partial class SweepJobOptionsValidation
{
    /// <summary>Longest sweep name: 63 (label and hostname limit) minus "-shard" minus "-" and four index digits.</summary>
    public const int MaxNameLength = 52;

    /// <summary>Most shards: the index suffix of pod hostnames must stay within four digits (see <see cref="MaxNameLength"/>).</summary>
    public const int MaxShards = 10_000;

    /// <summary>ConfigMaps are limited to 1 MiB in all; leave room for metadata.</summary>
    public const int MaxPlanBytes = 1_000_000;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigMapKey();

    // Only characters that need no quoting in sh and no escaping from the kubelet's $(VAR) expansion.
    [GeneratedRegex("^/[-._/a-zA-Z0-9]*$")]
    private static partial Regex SafeAbsolutePath();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public static void Validate(SweepJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        RequireLabel(options.Name, nameof(options.Name), MaxNameLength);

        if (string.IsNullOrEmpty(options.PlanFileName) || options.PlanFileName.Length > 253
            || options.PlanFileName is "." or ".." || !ConfigMapKey().IsMatch(options.PlanFileName))
        {
            Fail(nameof(options.PlanFileName), $"'{options.PlanFileName}' must be a file name of letters, digits, '-', '_' and '.' (it is a ConfigMap key)");
        }

        if (string.IsNullOrWhiteSpace(options.PlanJson))
        {
            Fail(nameof(options.PlanJson), "must hold the plan's text");
        }
        else if (Encoding.UTF8.GetByteCount(options.PlanJson) > MaxPlanBytes)
        {
            Fail(nameof(options.PlanJson), $"is larger than {MaxPlanBytes} bytes and would not fit in a ConfigMap");
        }

        if (options.Shards < 1 || options.Shards > MaxShards)
        {
            Fail(nameof(options.Shards), $"is {options.Shards}; it must be between 1 and {MaxShards}");
        }

        if (options.Parallelism < 1 || options.Parallelism > options.Shards)
        {
            Fail(nameof(options.Parallelism), $"is {options.Parallelism}; it must be between 1 and Shards ({options.Shards})");
        }

        if (string.IsNullOrWhiteSpace(options.Image) || options.Image.Any(char.IsWhiteSpace))
        {
            Fail(nameof(options.Image), $"'{options.Image}' must be a container image reference without spaces");
        }

        RequireSubdomain(options.ResultsClaim, nameof(options.ResultsClaim));

        if (string.IsNullOrEmpty(options.ResultsMountPath) || options.ResultsMountPath == "/"
            || !SafeAbsolutePath().IsMatch(options.ResultsMountPath)
            || options.ResultsMountPath.TrimEnd('/') == SweepJobNames.PlanMountPath
            || options.ResultsMountPath.Split('/').Contains(".."))
        {
            Fail(nameof(options.ResultsMountPath), $"'{options.ResultsMountPath}' must be an absolute path other than / and {SweepJobNames.PlanMountPath} of letters, digits, '-', '_', '.' and '/'");
        }

        RequireLabel(options.Namespace, nameof(options.Namespace), 63);
        RequireQuantity(options.Cpu, nameof(options.Cpu));
        RequireQuantity(options.Memory, nameof(options.Memory));

        if (options.BackoffLimitPerIndex < 0)
        {
            Fail(nameof(options.BackoffLimitPerIndex), $"is {options.BackoffLimitPerIndex}; it must be 0 or more");
        }

        if (options.ServiceAccount is not null)
        {
            RequireSubdomain(options.ServiceAccount, nameof(options.ServiceAccount));
        }

        if (options.MaxFailedIndexes is { } maxFailed && (maxFailed < 0 || maxFailed > options.Shards))
        {
            Fail(nameof(options.MaxFailedIndexes), $"is {maxFailed}; it must be null or between 0 and Shards ({options.Shards})");
        }

        if (options.MergeWaitTimeoutSeconds < SweepJobNames.MergePollSeconds)
        {
            Fail(nameof(options.MergeWaitTimeoutSeconds), $"is {options.MergeWaitTimeoutSeconds}; it must be at least {SweepJobNames.MergePollSeconds}");
        }
    }

    private static void RequireLabel(string? value, string field, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength || !Dns1123Label().IsMatch(value))
        {
            Fail(field, $"'{value}' must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most {maxLength} characters");
        }
    }

    private static void RequireSubdomain(string? value, string field)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 253 || !Dns1123Subdomain().IsMatch(value))
        {
            Fail(field, $"'{value}' must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253 characters");
        }
    }

    private static void RequireQuantity(string? value, string field)
    {
        bool valid;
        try
        {
            valid = !string.IsNullOrWhiteSpace(value) && new ResourceQuantity(value).ToDecimal() > 0;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            valid = false;
        }

        if (!valid)
        {
            Fail(field, $"'{value}' must be a positive Kubernetes quantity such as 2, 500m or 4Gi");
        }
    }

    private static void Fail(string field, string problem) =>
        throw new ArgumentException($"{field} {problem}.", field);
}
