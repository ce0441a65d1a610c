namespace Robotics.Statistics;

/// <summary>
/// The outcome of one policy (or configuration) in a sweep: <see cref="Successes"/> of
/// <see cref="N"/> episodes. The input to <see cref="PairwiseComparison.Compare"/>.
/// </summary>
/// <param name="Name">Name of the policy; unique within a comparison.</param>
/// <param name="Successes">Successful episodes, 0..N.</param>
/// <param name="N">Episodes run, &gt;= 0.</param>
public sealed record GroupCount(string Name, int Successes, int N)
{
    /// <summary>Name of the policy; not empty.</summary>
    public string Name { get; init; } = NonEmpty(Name);

    /// <summary>Successful episodes, 0..N (checked on construction; the tests that consume it check again).</summary>
    public int Successes { get; init; } = CheckedSuccesses(Successes, N);

    /// <summary>Episodes run.</summary>
    public int N { get; init; } = N;

    /// <summary>Observed success rate Successes / N; NaN when no episode was run.</summary>
    public double Rate => N == 0 ? double.NaN : (double)Successes / N;

    private static string NonEmpty(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("Name must not be null or blank.", nameof(Name));
        }

        return name;
    }

    private static int CheckedSuccesses(int successes, int n)
    {
        ArgumentRules.Counts(successes, n, nameof(Successes), nameof(N));
        return successes;
    }
}
