namespace Robotics.Detectors.Baselines;

/// <summary>
/// Action chunks as sets of rows: the geometry STAC and the sampling-consistency baselines share (splitting a flat
/// [horizon * action_dim] chunk into rows, and the median-heuristic scale of a point set).
/// </summary>
internal static class ActionRows
{
    /// <summary>Splits a flat chunk into rows of <paramref name="actionDim"/> values.</summary>
    public static double[][] Split(float[] chunk, int actionDim, string owner, string where)
    {
        if (chunk.Length == 0 || chunk.Length % actionDim != 0)
            throw new ArgumentException(
                $"{owner}: {where} has {chunk.Length} values, not a whole number of {actionDim}-wide actions");
        var rows = new double[chunk.Length / actionDim][];
        for (var h = 0; h < rows.Length; h++)
        {
            rows[h] = new double[actionDim];
            for (var a = 0; a < actionDim; a++)
                rows[h][a] = chunk[h * actionDim + a];
        }

        return rows;
    }

    public static double Distance(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>
    /// The median of the positive pairwise distances among <paramref name="points"/> (at most 1000 of them, taken at
    /// an even stride so the result is deterministic and the cost bounded); 1 when every point coincides.
    /// </summary>
    public static double MedianDistance(IReadOnlyList<double[]> points)
    {
        var stride = Math.Max(1, (points.Count + 999) / 1000);
        var kept = Enumerable.Range(0, points.Count).Where(i => i % stride == 0).Select(i => points[i]).ToArray();
        var distances = new List<double>();
        for (var i = 0; i < kept.Length; i++)
            for (var j = i + 1; j < kept.Length; j++)
            {
                var d = Distance(kept[i], kept[j]);
                if (d > 0)
                    distances.Add(d);
            }

        if (distances.Count == 0)
            return 1;
        distances.Sort();
        var mid = distances.Count / 2;
        return distances.Count % 2 == 1 ? distances[mid] : (distances[mid - 1] + distances[mid]) / 2;
    }
}
