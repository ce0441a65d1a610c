using System.Diagnostics;

namespace Robotics.Protocol.Tests.Fixtures;

/// <summary>Runs the msgpack + numpy reference peer with Debian's /usr/bin/python3 (which has python3-msgpack and numpy).</summary>
public static class PythonPeer
{
    public const string Python = "/usr/bin/python3";

    public static string Script => Path.Combine(AppContext.BaseDirectory, "python", "msgpack_peer.py");

    public static string Run(params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000))
            throw new TimeoutException("python peer did not finish in 30 s");
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"python peer failed ({process.ExitCode}): {stderr}");
        return stdout;
    }
}
