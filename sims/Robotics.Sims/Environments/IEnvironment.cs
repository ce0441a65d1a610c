namespace Robotics.Sims.Environments;

/// <summary>
/// A Gymnasium-style environment. Reset(seed) reseeds (same seed, same trajectory, bit for bit);
/// Reset(null) continues the current random stream. Step after the episode ended throws until Reset.
/// Not thread-safe: one instance per thread; create more through <see cref="EnvironmentRegistry"/>.
/// </summary>
public interface IEnvironment : IDisposable
{
    EnvironmentSpec Spec { get; }

    /// <summary>Steps taken in the current episode.</summary>
    int ElapsedSteps { get; }

    ResetResult Reset(long? seed = null, ResetOptions? options = null);

    /// <summary>Applies one action (length = action dimension, finite values) and advances one control step.</summary>
    StepResult Step(ReadOnlySpan<float> action);
}
