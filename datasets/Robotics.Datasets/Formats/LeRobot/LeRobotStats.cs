using System.Globalization;
using System.Text;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Statistics as lerobot keeps them: per episode (compute_stats.compute_episode_stats: min, max, mean,
/// population std, count, q01/q10/q50/q90/q99 per dimension) and over the dataset by
/// aggregate_stats (count-weighted mean, pooled variance, min of mins, max of maxes, and for the
/// quantiles the conservative envelope upstream keeps: min of lower, max of upper quantiles).
/// Quantiles of an episode are exact (numpy's linear interpolation), where upstream estimates them
/// from a histogram.
/// </summary>
public sealed record LeRobotStats(double[] Min, double[] Max, double[] Mean, double[] Std, long Count, IReadOnlyDictionary<string, double[]> Quantiles)
{
    public static readonly (string Key, double Q)[] QuantileLevels = [("q01", 0.01), ("q10", 0.10), ("q50", 0.50), ("q90", 0.90), ("q99", 0.99)];

    /// <summary>Stats of <paramref name="rows"/> rows of <paramref name="width"/> values (row-major).</summary>
    public static LeRobotStats Compute(ReadOnlySpan<double> values, int rows, int width)
    {
        var min = new double[width];
        var max = new double[width];
        var mean = new double[width];
        var std = new double[width];
        var quantiles = QuantileLevels.ToDictionary(q => q.Key, _ => new double[width]);
        var column = new double[rows];
        for (int d = 0; d < width; d++)
        {
            for (int r = 0; r < rows; r++)
                column[r] = values[r * width + d];
            double sum = 0;
            foreach (double v in column)
                sum += v;
            double m = sum / rows, squares = 0;
            foreach (double v in column)
                squares += (v - m) * (v - m);
            mean[d] = m;
            std[d] = Math.Sqrt(squares / rows);
            var sorted = column.ToArray();
            Array.Sort(sorted);
            // NaN sorts first in .NET; numpy's min/max propagate NaN, so do the same.
            bool nan = column.Any(double.IsNaN);
            min[d] = nan ? double.NaN : sorted[0];
            max[d] = nan ? double.NaN : sorted[^1];
            foreach (var (key, q) in QuantileLevels)
                quantiles[key][d] = nan ? double.NaN : Quantile(sorted, q);
        }

        return new LeRobotStats(min, max, mean, std, rows, quantiles);
    }

    /// <summary>
    /// Per-channel stats of (N, H, W, 3) uint8 frames scaled to [0, 1], as compute_stats does for cameras,
    /// over at most 100 evenly spaced frames (upstream samples frames too).
    /// </summary>
    public static LeRobotStats OfFrames(Robotics.Core.Arrays.NdArray frames) => OfFrames(frames, 0, frames.Shape[0]);

    /// <summary>Camera stats of rows [start, start + count) (one episode).</summary>
    public static LeRobotStats OfFrames(Robotics.Core.Arrays.NdArray frames, long start, int count)
    {
        int frameBytes = frames.Shape[1] * frames.Shape[2] * 3;
        return OfPicked(count, frameBytes, (k, destination) => frames.Data.AsSpan(checked((int)((start + k) * frameBytes)), frameBytes).CopyTo(destination));
    }

    /// <summary>
    /// Camera stats of rows [start, start + count) of a source's (N, H, W, 3) uint8 column, reading only the frames
    /// used (at most 100, one at a time): the same numbers as the in-memory overload, for a corpus not held whole.
    /// </summary>
    public static LeRobotStats OfFrames(Trajectories.ITrajectorySource source, string key, long start, int count)
    {
        var info = Trajectories.TrajectorySourceExtensions.Column(source, key);
        return OfPicked(count, info.RowBytes, (k, destination) => source.ReadRows(key, start + k, 1, destination));
    }

    /// <summary>Stats over at most 100 evenly spaced frames of <paramref name="n"/>, each copied in by <paramref name="read"/>(k, destination).</summary>
    private static LeRobotStats OfPicked(int n, int frameBytes, FrameReader read)
    {
        int step = Math.Max(1, n / 100);
        var picked = Enumerable.Range(0, n).Where(k => k % step == 0).Take(100).ToArray();
        var values = new double[(long)picked.Length * frameBytes];
        var frame = new byte[frameBytes];
        long p = 0;
        foreach (int k in picked)
        {
            read(k, frame);
            for (int i = 0; i < frame.Length; i++)
                values[p++] = frame[i] / 255.0;
        }

        var stats = Compute(values, picked.Length * (frameBytes / 3), 3);
        return stats with { Count = picked.Length };
    }

    private delegate void FrameReader(int k, Span<byte> destination);

    public static LeRobotStats Aggregate(IReadOnlyList<LeRobotStats> parts)
    {
        int width = parts[0].Mean.Length;
        long total = parts.Sum(p => p.Count);
        var mean = new double[width];
        var std = new double[width];
        var min = new double[width];
        var max = new double[width];
        var quantiles = QuantileLevels.ToDictionary(q => q.Key, _ => new double[width]);
        for (int d = 0; d < width; d++)
        {
            double m = parts.Sum(p => p.Mean[d] * p.Count) / total;
            double variance = parts.Sum(p => (p.Std[d] * p.Std[d] + (p.Mean[d] - m) * (p.Mean[d] - m)) * p.Count) / total;
            mean[d] = m;
            std[d] = Math.Sqrt(variance);
            min[d] = parts.Select(p => p.Min[d]).Aggregate(NanMin);
            max[d] = parts.Select(p => p.Max[d]).Aggregate(NanMax);
            foreach (var (key, q) in QuantileLevels)
                quantiles[key][d] = q <= 0.5 ? parts.Select(p => p.Quantiles[key][d]).Aggregate(NanMin) : parts.Select(p => p.Quantiles[key][d]).Aggregate(NanMax);
        }

        return new LeRobotStats(min, max, mean, std, total, quantiles);
    }

    /// <summary>
    /// stats.json as lerobot's write_stats (json.dump) writes it: non-finite values as the bare tokens
    /// NaN, Infinity and -Infinity that python's json reads back, never null.
    /// </summary>
    /// <param name="stats">Per feature, with the shape each stat is nested to (cameras (3, 1, 1), rank-2 features (a, b)); null for a flat list.</param>
    public static string ToJson(IReadOnlyList<(string Feature, LeRobotStats Stats, int[]? Shape)> stats)
    {
        var text = new StringBuilder("{\n");
        for (int f = 0; f < stats.Count; f++)
        {
            var (feature, s, shape) = stats[f];
            string List(double[] values) => shape is null ? LeRobotStats.List(values) : Nested(values, shape);
            text.Append("    ").Append(Quote(feature)).Append(": {\n");
            var fields = new List<(string, string)>
            {
                ("min", List(s.Min)), ("max", List(s.Max)), ("mean", List(s.Mean)), ("std", List(s.Std)),
                ("count", $"[{s.Count.ToString(CultureInfo.InvariantCulture)}]"),
            };
            fields.AddRange(QuantileLevels.Select(q => (q.Key, List(s.Quantiles[q.Key]))));
            text.AppendJoin(",\n", fields.Select(p => $"        {Quote(p.Item1)}: {p.Item2}"));
            text.Append("\n    }").Append(f < stats.Count - 1 ? ",\n" : "\n");
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>A number as python's json.dumps writes a float.</summary>
    public static string Number(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "Infinity" : double.IsNegativeInfinity(v) ? "-Infinity"
        : v.ToString("R", CultureInfo.InvariantCulture) is var s && (s.Contains('.') || s.Contains('E')) ? s.Replace("E", "e") : s + ".0";

    private static string Nested(ReadOnlySpan<double> values, ReadOnlySpan<int> shape)
    {
        if (shape.Length == 1)
            return List(values.ToArray());
        int inner = 1;
        foreach (int d in shape[1..])
            inner *= d;
        var parts = new List<string>();
        for (int i = 0; i < shape[0]; i++)
            parts.Add(Nested(values.Slice(i * inner, inner), shape[1..]));
        return "[" + string.Join(", ", parts) + "]";
    }

    private static string List(double[] values) => "[" + string.Join(", ", values.Select(Number)) + "]";

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    private static double NanMin(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b);

    private static double NanMax(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
