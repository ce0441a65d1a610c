namespace Robotics.Datasets.Validation;

/// <summary>What the dataset is checked against, beyond the D4RL layout rules.</summary>
public sealed record ValidationOptions
{
    /// <summary>The environment's observation space shape (one row), when known.</summary>
    public IReadOnlyList<int>? ObservationShape { get; init; }

    /// <summary>The environment's action space shape (one row), when known.</summary>
    public IReadOnlyList<int>? ActionShape { get; init; }

    /// <summary>Rows listed per key and kind of problem before the rest are summarised as a count.</summary>
    public int MaxRowsPerProblem { get; init; } = 10;

    public int BlockRows { get; init; } = 16_384;
}
