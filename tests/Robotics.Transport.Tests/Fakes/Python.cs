using System.Diagnostics;

namespace Robotics.Transport.Tests.Fakes;

/// <summary>Debian's /usr/bin/python3 (python3-zmq, python3-msgpack, numpy), for checks against independent tools.</summary>
public static class Python
{
    public static string Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "python", script));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish in 30 s");
        }

        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result.Trim();
    }
}
