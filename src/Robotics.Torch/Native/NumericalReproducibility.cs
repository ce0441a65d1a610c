using System.Runtime.InteropServices;

namespace Robotics.Torch.Native;

/// <summary>
/// MKL picks kernels by memory alignment and CPU at run time, so the same network on the same input could differ in
/// the last bits between two runs, and a closed-loop rollout amplifies that into a different episode (seen here:
/// one in six evaluation episodes of the demo policy diverged between identical runs). MKL_CBWR=COMPATIBLE pins the
/// code path; it must be in the native environment before MKL initialises, which .NET's
/// Environment.SetEnvironmentVariable does not reach on Unix, hence setenv. A value the user set is kept.
/// </summary>
internal static partial class NumericalReproducibility
{
    public const string Variable = "MKL_CBWR";

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    public static void Pin()
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable(Variable) is not null)
            return;
        SetEnv(Variable, "COMPATIBLE", 0);
        Environment.SetEnvironmentVariable(Variable, "COMPATIBLE");
    }
}
