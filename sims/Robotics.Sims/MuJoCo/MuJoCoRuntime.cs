using Robotics.Sims.MuJoCo.Internal;

namespace Robotics.Sims.MuJoCo;

/// <summary>
/// Loads the shim once per process, installs MuJoCo's error/warning handlers and refuses a library
/// whose mj_version() differs from the headers the shim was compiled against.
/// </summary>
public static class MuJoCoRuntime
{
    private static readonly Lazy<int> Initialized = new(InitializeCore, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The library version (e.g. 222), after checking it matches the headers.</summary>
    public static int Version => Initialized.Value;

    public static void EnsureInitialized() => _ = Initialized.Value;

    private static unsafe int InitializeCore()
    {
        int header, library;
        try
        {
            header = NativeMethods.rm_header_version();
            library = NativeMethods.rm_library_version();
        }
        catch (DllNotFoundException e)
        {
            throw new MuJoCoException(
                "The MuJoCo shim libroboticsmujoco.so (or libmujoco.so.2.2.2 it links to) could not be loaded: install libmujoco2.2.2 and libmujoco-dev ('make deps') and rebuild sims/Robotics.Sims. " + e.Message, e);
        }

        if (header != MuJoCoLibraryProbe.ExpectedVersion)
            throw new MuJoCoException($"The shim was built against MuJoCo headers {header}, but this binding is written for {MuJoCoLibraryProbe.ExpectedVersion}.");
        byte* err = stackalloc byte[ErrorBuffer.Size];
        if (NativeMethods.rm_init(err, ErrorBuffer.Size) != 0)
            throw new MuJoCoException("MuJoCo version mismatch: " + ErrorBuffer.Read(err) + ". Install libmujoco2.2.2 matching libmujoco-dev.");
        return library;
    }
}
