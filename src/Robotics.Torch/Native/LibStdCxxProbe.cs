using System.Runtime.InteropServices;

namespace Robotics.Torch.Native;

/// <summary>Asks the dynamic loader whether the system libstdc++ defines a given symbol version.</summary>
public static partial class LibStdCxxProbe
{
    /// <summary>The one symbol GCC 13's &lt;iostream&gt; pins to GLIBCXX_3.4.32.</summary>
    public const string MarkerSymbol = "_ZSt21ios_base_library_initv";

    public static bool HasVersion(string version, string symbol = MarkerSymbol)
    {
        if (!OperatingSystem.IsLinux())
            return true;
        if (!NativeLibrary.TryLoad("libstdc++.so.6", out var handle))
            return false;
        // dlvsym resolves the symbol only when that exact version node exists in the library.
        return DlVSym(handle, symbol, version) != IntPtr.Zero;
    }

    [LibraryImport("libc.so.6", EntryPoint = "dlvsym", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlVSym(IntPtr handle, string symbol, string version);
}
