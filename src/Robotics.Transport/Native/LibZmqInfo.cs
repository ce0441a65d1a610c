namespace Robotics.Transport.Native;

/// <summary>Which libzmq this process uses and whether it can do CurveZMQ (for <c>robotics doctor</c> and start-up checks).</summary>
public static class LibZmqInfo
{
    private static readonly Lazy<(string? Version, bool Curve, string? Error)> Probe = new(() =>
    {
        try
        {
            LibZmq.Version(out int major, out int minor, out int patch);
            return ($"{major}.{minor}.{patch}", LibZmq.Has("curve") != 0, null);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return (null, false, e.Message);
        }
    });

    /// <summary>libzmq's version, e.g. "4.3.4"; null when the library cannot be loaded.</summary>
    public static string? Version => Probe.Value.Version;

    /// <summary>True when libzmq was built with CURVE (libsodium), i.e. the secured mode is available.</summary>
    public static bool CurveAvailable => Probe.Value.Curve;

    public static string? LoadError => Probe.Value.Error;

    /// <summary>libzmq 4.3 is the first release whose ZAP handler and ZMTP/1.0 refusal this transport relies on.</summary>
    public static void EnsureLoaded()
    {
        if (Version is null)
            throw new ZmqException($"the reference libzmq (4.3 or later) could not be loaded: {LoadError} Install it: apt-get install libzmq5 (Debian/Ubuntu), brew install zeromq (macOS).");
        var parts = Version.Split('.').Select(int.Parse).ToArray();
        if (parts[0] < 4 || (parts[0] == 4 && parts[1] < 3))
            throw new ZmqException($"libzmq {Version} is too old: 4.3 or later is needed (it refuses pre-ZMTP/3 peers once CURVE is on)");
    }

    public static string Describe() => Version is null
        ? $"libzmq not found ({LoadError})"
        : $"libzmq {Version}, CURVE {(CurveAvailable ? "available: secured mode on with Transport:ServerKeyFile" : "NOT available: plaintext loopback only")}";
}
