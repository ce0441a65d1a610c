using System.Runtime.InteropServices;

namespace Robotics.Sims.MuJoCo;

/// <summary>Result of looking for the MuJoCo shared library without loading any model.</summary>
public sealed record MuJoCoProbeResult(bool Installed, string? Version, int? VersionNumber, string? LibraryName, string? Error);

/// <summary>Finds Debian's libmujoco and asks the library itself for its version.</summary>
public static class MuJoCoLibraryProbe
{
    /// <summary>The MuJoCo release this binding is written against (mjVERSION_HEADER 222).</summary>
    public const int ExpectedVersion = 222;

    public static readonly string[] LibraryNames = ["libmujoco.so.2.2.2", "libmujoco.so"];

    private delegate IntPtr VersionStringFn();
    private delegate int VersionFn();

    public static MuJoCoProbeResult Probe()
    {
        foreach (var name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, out var handle))
                continue;
            if (!NativeLibrary.TryGetExport(handle, "mj_version", out var versionPtr) ||
                !NativeLibrary.TryGetExport(handle, "mj_versionString", out var stringPtr))
                return new MuJoCoProbeResult(false, null, null, name, $"{name} loaded but exports no mj_version: not a MuJoCo library.");

            int number = Marshal.GetDelegateForFunctionPointer<VersionFn>(versionPtr)();
            string? text = Marshal.PtrToStringUTF8(Marshal.GetDelegateForFunctionPointer<VersionStringFn>(stringPtr)());
            return new MuJoCoProbeResult(true, text, number, name, null);
        }

        return new MuJoCoProbeResult(false, null, null, null,
            "libmujoco not installed (looked for " + string.Join(", ", LibraryNames) + "): run 'make deps' (Debian package libmujoco2.2.2).");
    }
}
