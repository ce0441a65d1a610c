using System.Runtime.InteropServices;

namespace Robotics.Torch;

/// <summary>
/// TorchSharp turns some operands into <c>Scalar</c>s inside its own operators (the alpha of every
/// <c>Tensor.add</c> / <c>sub</c>, the exponent of <c>square</c>) and frees them in finalizers, which can run
/// while libtorch is still reading them (dotnet/TorchSharp#1434, open). The op then fails with one of libtorch's
/// Scalar assertions. Our own code holds its Scalars explicitly; these are the ones it cannot reach. A computation
/// that only reads state (forward, backward into zeroed gradients, validation) can be recomputed exactly.
/// </summary>
public static class TorchScalarRace
{
    /// <summary>How many times a pure computation is recomputed after such a failure before the failure stands.</summary>
    public const int Retries = 3;

    /// <summary>True when <paramref name="exception"/> is libtorch rejecting a Scalar that was freed under it.</summary>
    public static bool IsScalarRace(Exception exception) =>
        exception is ExternalException e
        && (e.Message.Contains("c10/core/Scalar.h", StringComparison.Ordinal)
            || e.Message.Contains("Unknown scalar type", StringComparison.Ordinal));

    /// <summary>
    /// Runs <paramref name="pass"/>, and again (at most <see cref="Retries"/> times) when it fails with the race;
    /// <paramref name="beforeRetry"/> restores whatever the failed attempt consumed (e.g. a generator's state).
    /// </summary>
    public static T Recompute<T>(Func<T> pass, Action beforeRetry)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return pass();
            }
            catch (Exception e) when (attempt <= Retries && IsScalarRace(e))
            {
                beforeRetry();
            }
        }
    }
}
