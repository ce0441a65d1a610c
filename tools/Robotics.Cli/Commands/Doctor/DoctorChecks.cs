using System.Diagnostics;
using System.Runtime.InteropServices;
using Robotics.Sims.MuJoCo;
using Robotics.Torch;

namespace Robotics.Cli.Commands.Doctor;

/// <summary>Inspects the installation: runtime, TorchSharp and its native fix, devices, MuJoCo, Python reference tools.</summary>
public static class DoctorChecks
{
    public static IReadOnlyList<DoctorCheck> Run(TorchRuntimeOptions torchOptions)
    {
        var checks = new List<DoctorCheck>
        {
            new(".NET runtime", true, $"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.RuntimeIdentifier})"),
            new("CPU", true, $"{Environment.ProcessorCount} logical processors"),
        };

        checks.AddRange(TorchChecks(torchOptions));
        checks.Add(MuJoCoCheck());
        checks.Add(TransportCheck());
        checks.Add(PythonReferenceCheck());
        return checks;
    }

    private static IEnumerable<DoctorCheck> TorchChecks(TorchRuntimeOptions options)
    {
        TorchRuntimeInfo info;
        try
        {
            info = TorchRuntime.Initialize(options);
        }
        catch (TorchNativeLoadException e)
        {
            return [new DoctorCheck("TorchSharp", false, e.Message)];
        }

        string fix = info.NativeFixNeeded
            ? $"needed: system libstdc++ lacks {TorchRuntime.RequiredLibStdCxxVersion}; loaded patched copy {info.PatchedLibraryPath}"
            : $"not needed: system libstdc++ provides {TorchRuntime.RequiredLibStdCxxVersion}";
        string cuda = info.CudaAvailable
            ? $"available, {info.CudaDeviceCount} device(s)"
            : info.Backend == "cpu" ? "not available (CPU build; rebuild with -p:TorchBackend=cuda to use a GPU)" : "not available (no device visible)";
        return
        [
            new DoctorCheck("TorchSharp", true, $"{info.TorchSharpVersion}, libtorch {info.LibTorchVersion}, backend {info.Backend}, natives in {info.NativeDirectory}"),
            new DoctorCheck("libstdc++ fix", true, fix),
            new DoctorCheck("Torch threads", true, $"{info.Threads} intra-op threads"),
            new DoctorCheck("CUDA", true, cuda, Required: false),
        ];
    }

    /// <summary>The control transport is the reference libzmq; its secured mode needs a build with CURVE.</summary>
    private static DoctorCheck TransportCheck() => Robotics.Transport.Native.LibZmqInfo.Version is null
        ? new DoctorCheck("ZeroMQ transport", false, $"{Robotics.Transport.Native.LibZmqInfo.Describe()}: run make deps (libzmq5)")
        : new DoctorCheck("ZeroMQ transport", true, $"{Robotics.Transport.Native.LibZmqInfo.Describe()}; ZMTP/1.0-2.0 peers refused in secured mode, ZAP allowlists per role");

    private static DoctorCheck MuJoCoCheck()
    {
        var probe = MuJoCoLibraryProbe.Probe();
        if (!probe.Installed)
            return new DoctorCheck("MuJoCo", false, probe.Error ?? "not installed: run make deps");
        bool match = probe.VersionNumber == MuJoCoLibraryProbe.ExpectedVersion;
        return new DoctorCheck("MuJoCo", match, match
            ? $"{probe.Version} ({probe.LibraryName})"
            : $"{probe.Version} ({probe.LibraryName}) but this binding needs {MuJoCoLibraryProbe.ExpectedVersion / 100}.{MuJoCoLibraryProbe.ExpectedVersion / 10 % 10}.{MuJoCoLibraryProbe.ExpectedVersion % 10}: run make deps");
    }

    /// <summary>h5py, pyzmq and msgpack under /usr/bin/python3 produce the conformance fixtures and peers.</summary>
    private static DoctorCheck PythonReferenceCheck()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
            return new DoctorCheck("Python reference tools", false, $"{python} not found: run make deps", Required: false);
        try
        {
            var psi = new ProcessStartInfo(python, ["-c", "import h5py, numpy, zmq, msgpack; print(h5py.__version__, numpy.__version__, zmq.__version__, msgpack.version)"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(psi)!;
            string output = process.StandardOutput.ReadToEnd().Trim();
            string error = process.StandardError.ReadToEnd().Trim();
            process.WaitForExit();
            if (process.ExitCode != 0)
                return new DoctorCheck("Python reference tools", false, $"missing ({LastLine(error)}): run make deps", Required: false);
            var parts = output.Split(' ', 4);
            return new DoctorCheck("Python reference tools", true, $"h5py {parts[0]}, numpy {parts[1]}, pyzmq {parts[2]}, msgpack {parts.ElementAtOrDefault(3)}", Required: false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new DoctorCheck("Python reference tools", false, e.Message, Required: false);
        }
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? text;
}
