using System.Globalization;

namespace Robotics.Evaluation.Kubernetes;

/// <summary>
/// The <c>sh -c</c> scripts of the merge Job. They are shell scripts because the shard folders are
/// found by a glob (<c>shard-*</c>), which only a shell expands. They contain neither <c>$(</c> nor
/// <c>$$</c>: the kubelet rewrites both in container arguments (<c>$(VAR)</c> references, <c>$$</c>
/// escapes) before the shell sees them, so command substitution uses backquotes instead. Every path
/// in them was validated to need no quoting.
/// </summary>
internal static class SweepShellScripts
{
    /// <summary>
    /// Polls every <see cref="SweepJobNames.MergePollSeconds"/> seconds until there are
    /// <see cref="SweepJobOptions.Shards"/> files <c>FOLDER/shard-*/DONE</c>, and fails after
    /// <see cref="SweepJobOptions.MergeWaitTimeoutSeconds"/> so that a failed sweep does not leave a
    /// pod waiting forever.
    /// </summary>
    public static string WaitForShards(SweepJobOptions options)
    {
        var folder = SweepJobNames.SweepFolder(options);
        var poll = SweepJobNames.MergePollSeconds;
        var polls = (options.MergeWaitTimeoutSeconds + poll - 1) / poll;
        var inv = CultureInfo.InvariantCulture;
        return string.Join('\n',
            string.Create(inv, $"want={options.Shards}"),
            string.Create(inv, $"polls={polls}"),
            "i=0",
            "while [ \"$i\" -lt \"$polls\" ]; do",
            $"  set -- {folder}/shard-*/{SweepJobNames.DoneFileName}",
            "  if [ -e \"$1\" ]; then have=$#; else have=0; fi",
            "  if [ \"$have\" -ge \"$want\" ]; then echo \"all $want shards are done\"; exit 0; fi",
            "  echo \"waiting for shards: $have of $want done\"",
            "  i=`expr \"$i\" + 1`",
            string.Create(inv, $"  sleep {poll}"),
            "done",
            string.Create(inv, $"echo \"gave up after {options.MergeWaitTimeoutSeconds} s: only $have of $want shards wrote {folder}/shard-*/{SweepJobNames.DoneFileName}\" >&2"),
            "exit 1",
            "");
    }

    /// <summary>Merges every shard folder, then writes the report from the merged folder; stops at the first failure.</summary>
    public static string MergeAndReport(SweepJobOptions options)
    {
        var folder = SweepJobNames.SweepFolder(options);
        return string.Join('\n',
            "set -e",
            $"robotics sweep merge {folder}/shard-* --out {folder}/merged --overwrite",
            $"robotics sweep report {folder}/merged --out {folder}/report",
            "");
    }
}
