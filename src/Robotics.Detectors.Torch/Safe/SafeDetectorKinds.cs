namespace Robotics.Detectors.Torch.Safe;

/// <summary>
/// The <see cref="SafeDetectorOptions.Kind"/> strings, shared by options, checkpoints and the grid search so a typo
/// is a compile error rather than a run-time "unknown kind".
/// </summary>
public static class SafeDetectorKinds
{
    /// <summary>Per-call MLP, sigmoid, cumulative sum over calls (SAFE-MLP).</summary>
    public const string Mlp = "safe-mlp";

    /// <summary>One-layer LSTM over calls, sigmoid per call, BCE at every call (SAFE-LSTM).</summary>
    public const string Lstm = "safe-lstm";

    public static IReadOnlyList<string> All { get; } = [Mlp, Lstm];
}
