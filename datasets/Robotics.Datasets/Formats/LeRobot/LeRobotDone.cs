using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Episode ends in the flat layout from a LeRobot recording. Upstream, <c>next.done</c> is
/// "terminated or truncated" (gymnasium's done), so it cannot say which; it is kept as
/// infos/next.done and terminals/timeouts are derived, in this order of evidence:
/// 1. <c>next.truncated</c> (lerobot's TRUNCATED key; our writer adds it): terminals = next.done and not
///    next.truncated.
/// 2. <c>next.done</c> with <c>next.success</c> (lerobot's sim corpora: gym-pusht and gym-xarm end an
///    episode when it succeeds): terminals = done and success.
/// 3. otherwise no row is a terminal (a real recording has no environment that terminates).
/// Every episode's last row that is not a terminal is a timeout, so episodes split exactly at
/// episode_index boundaries.
/// </summary>
public static class LeRobotDone
{
    public const string Truncated = "next.truncated";
    public const string Success = "next.success";

    public static (NdArray Terminals, NdArray Timeouts, string Rule) Derive(IReadOnlyDictionary<string, NdArray> columns, long[] episodeOfRow)
    {
        int n = episodeOfRow.Length;
        var terminals = new byte[n];
        string rule;
        bool hasDone = columns.TryGetValue(LeRobotReader.FlatKey(FeatureKeys.Done), out var doneColumn);
        if (hasDone && columns.TryGetValue(LeRobotReader.FlatKey(Truncated), out var truncatedColumn))
        {
            bool[] done = FlagReader.ToFlags(doneColumn!, FeatureKeys.Done), truncated = FlagReader.ToFlags(truncatedColumn, Truncated);
            for (int i = 0; i < n; i++)
                terminals[i] = done[i] && !truncated[i] ? (byte)1 : (byte)0;
            rule = "terminals = next.done and not next.truncated; the last row of every other episode is a timeout";
        }
        else if (hasDone && columns.TryGetValue(LeRobotReader.FlatKey(Success), out var successColumn))
        {
            bool[] done = FlagReader.ToFlags(doneColumn!, FeatureKeys.Done), success = FlagReader.ToFlags(successColumn, Success);
            for (int i = 0; i < n; i++)
                terminals[i] = done[i] && success[i] ? (byte)1 : (byte)0;
            rule = "terminals = next.done and next.success (next.done is terminated or truncated upstream); the last row of every other episode is a timeout";
        }
        else
        {
            rule = "no terminals (next.done is terminated or truncated upstream and nothing tells which); the last row of every episode is a timeout";
        }

        var timeouts = new byte[n];
        for (int i = 0; i < n; i++)
        {
            bool last = i == n - 1 || episodeOfRow[i + 1] != episodeOfRow[i];
            if (last && terminals[i] == 0)
                timeouts[i] = 1;
        }

        return (new NdArray(DType.Bool, [n], terminals), new NdArray(DType.Bool, [n], timeouts), rule);
    }
}
