namespace Robotics.Sims.Analysis;

/// <summary>The draws from one start state: first actions, observation paths and each draw's mode (0 when the agent has none).</summary>
public sealed record SpreadStart(long EnvironmentSeed, int Task, float[][] FirstActions, float[][][] Paths, float[] Modes, int ActionModes);

/// <summary>
/// What <see cref="DemonstrationSpread"/> measured: per start state, how many distinct action directions (modes) the
/// draws took, and the largest angle between two first actions.
/// </summary>
public sealed record DemonstrationSpreadResult(string Environment, int DrawsPerStart, IReadOnlyList<SpreadStart> Starts)
{
    /// <summary>Share of start states at which the first actions fall into two or more direction clusters.</summary>
    public double MultimodalFraction => Starts.Count(s => s.ActionModes >= 2) / (double)Starts.Count;

    /// <summary>Mean number of direction clusters of the first action per start state (1 for a deterministic expert).</summary>
    public double MeanActionModes => Starts.Average(s => s.ActionModes);

    /// <summary>Mean over start states of the largest angle (degrees) between two first actions.</summary>
    public double MeanMaxAngle => Starts.Average(s => MaxAngle(s.FirstActions));

    /// <summary>Mean over start states and draw pairs of the distance between the robots' positions (first two observation values) at the end of the paths.</summary>
    public double MeanEndSpread => Starts.Average(s =>
    {
        var ends = s.Paths.Select(p => p[^1]).ToArray();
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < ends.Length; i++)
        for (int j = i + 1; j < ends.Length; j++)
        {
            sum += Math.Sqrt(Math.Pow(ends[i][0] - ends[j][0], 2) + Math.Pow(ends[i][1] - ends[j][1], 2));
            pairs++;
        }

        return pairs == 0 ? 0 : sum / pairs;
    });

    private static double MaxAngle(float[][] actions)
    {
        double max = 0;
        for (int i = 0; i < actions.Length; i++)
        for (int j = i + 1; j < actions.Length; j++)
        {
            if (actions[i].All(v => v == 0) || actions[j].All(v => v == 0))
                continue;
            max = Math.Max(max, DemonstrationSpread.AngleDegrees(actions[i], actions[j]));
        }

        return max;
    }
}
