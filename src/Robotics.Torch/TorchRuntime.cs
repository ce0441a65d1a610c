using System.Reflection;
using System.Runtime.InteropServices;
using Robotics.Torch.Native;
using TorchSharp;

namespace Robotics.Torch;

/// <summary>
/// Brings TorchSharp up once per process: loads its native library (with the libstdc++ version fix on
/// systems that need it), selects threads, and answers device requests. Call <see cref="Initialize"/>
/// before touching any TorchSharp type.
/// </summary>
public static class TorchRuntime
{
    /// <summary>The libstdc++ version node that TorchSharp 0.107's GCC 13 build asks for.</summary>
    public const string RequiredLibStdCxxVersion = "GLIBCXX_3.4.32";

    private static readonly Lock Gate = new();
    private static TorchRuntimeInfo? _info;
    private static IntPtr _patchedHandle;

    public static TorchRuntimeInfo Initialize(TorchRuntimeOptions? options = null)
    {
        options ??= new TorchRuntimeOptions();
        lock (Gate)
        {
            if (_info is null)
            {
                Native.NumericalReproducibility.Pin();
                _info = LoadNative(options);
            }

            if (options.Threads > 0 && torch.get_num_threads() != options.Threads)
            {
                torch.set_num_threads(options.Threads);
                _info = _info with { Threads = options.Threads };
            }

            return _info;
        }
    }

    /// <summary>Seeds libtorch's generators (CPU and CUDA) so runs repeat exactly.</summary>
    public static void Seed(long seed)
    {
        Initialize();
        torch.manual_seed(seed);
        if (torch.cuda.is_available())
            torch.cuda.manual_seed_all(seed);
    }

    /// <summary>Turns a device request into a TorchSharp device, or explains why it cannot be had.</summary>
    public static torch.Device ResolveDevice(DeviceSpec spec)
    {
        var info = Initialize();
        switch (spec.Kind)
        {
            case DeviceKind.Cpu:
                return torch.CPU;
            case DeviceKind.Auto:
                return info.CudaAvailable ? torch.CUDA : torch.CPU;
        }

        if (!info.CudaAvailable)
        {
            throw new DeviceUnavailableException(info.Backend == "cpu"
                ? $"Device '{spec}' was requested, but this build uses TorchSharp's CPU backend (TorchSharp-cpu). " +
                  "Rebuild with 'dotnet build -p:TorchBackend=cuda' on a machine whose NuGet feed serves TorchSharp-cuda-linux, or use --device cpu."
                : $"Device '{spec}' was requested, but no CUDA device is visible (driver missing, or CUDA_VISIBLE_DEVICES hides them). Use --device cpu.");
        }

        int index = spec.Index ?? 0;
        if (index >= info.CudaDeviceCount)
            throw new DeviceUnavailableException($"Device '{spec}' was requested, but only {info.CudaDeviceCount} CUDA device(s) exist (cuda:0..cuda:{info.CudaDeviceCount - 1}).");
        return new torch.Device(DeviceType.CUDA, index);
    }

    public static torch.Device ResolveDevice(string text) => ResolveDevice(DeviceSpec.Parse(text));

    private static TorchRuntimeInfo LoadNative(TorchRuntimeOptions options)
    {
        bool fixNeeded = OperatingSystem.IsLinux() && !LibStdCxxProbe.HasVersion(RequiredLibStdCxxVersion);
        string? patchedPath = null;
        string nativeDir = Path.GetDirectoryName(NativeLibraryLocator.Find(NativeLibraryLocator.TorchSharpLibrary) ?? string.Empty) ?? string.Empty;

        if (fixNeeded)
        {
            string original = NativeLibraryLocator.Find(NativeLibraryLocator.TorchSharpLibrary)
                ?? throw new TorchNativeLoadException(
                    $"{NativeLibraryLocator.TorchSharpLibrary} was not found in: {string.Join(", ", NativeLibraryLocator.CandidateFolders())}. " +
                    "Is the TorchSharp-cpu package referenced and restored?");
            string libtorch = NativeLibraryLocator.Find(NativeLibraryLocator.LibTorch)
                ?? throw new TorchNativeLoadException($"{NativeLibraryLocator.LibTorch} (the libtorch-cpu package) was not found next to {original}.");

            var cache = new PatchedLibraryCache(options.NativeCacheRoot ?? PatchedLibraryCache.DefaultRoot());
            try
            {
                patchedPath = cache.GetOrCreateWeakened(original, RequiredLibStdCxxVersion);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                throw new TorchNativeLoadException($"Could not write a patched copy of {original} under {cache.Root}: {e.Message}. " +
                                                   "Set ROBOTICS_NATIVE_CACHE to a writable folder.", e);
            }

            try
            {
                // The copy lives outside libtorch's folder, so its $ORIGIN runpath no longer finds
                // libtorch.so: load libtorch first and the copy's DT_NEEDED entries match by soname.
                NativeLibrary.Load(libtorch);
                _patchedHandle = NativeLibrary.Load(patchedPath);
            }
            catch (DllNotFoundException e)
            {
                throw new TorchNativeLoadException(
                    $"Loading the patched {patchedPath} failed: {e.Message}. The system libstdc++ lacks {RequiredLibStdCxxVersion}; " +
                    "if the message names another missing version or library, install a newer libstdc++6 (GCC 13 or later).", e);
            }

            NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, ResolveTorchSharp);
        }

        try
        {
            // Forces TorchSharp's own backend initialisation (and so the native load) now.
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or TypeInitializationException)
        {
            throw new TorchNativeLoadException(
                $"TorchSharp's native backend failed to load: {Innermost(e).Message}" +
                (fixNeeded ? $" (the {RequiredLibStdCxxVersion} fix was applied: {patchedPath})." : "."), e);
        }

        bool cuda = torch.cuda.is_available();
        return new TorchRuntimeInfo(
            TorchSharpVersion: VersionOf(typeof(torch).Assembly),
            LibTorchVersion: LibTorchVersion(),
            Backend: BuildInfo.Backend,
            NativeFixNeeded: fixNeeded,
            PatchedLibraryPath: patchedPath,
            NativeDirectory: nativeDir,
            Threads: torch.get_num_threads(),
            CudaAvailable: cuda,
            CudaDeviceCount: cuda ? torch.cuda.device_count() : 0);
    }

    private static IntPtr ResolveTorchSharp(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName is "LibTorchSharp" or "libLibTorchSharp" or NativeLibraryLocator.TorchSharpLibrary ? _patchedHandle : IntPtr.Zero;

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";

    private static string LibTorchVersion() => BuildInfo.LibTorchVersion;

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
