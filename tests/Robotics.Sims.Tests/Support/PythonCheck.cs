using System.Diagnostics;
using System.Text.Json;

namespace Robotics.Sims.Tests.Support;

/// <summary>Runs a fixture script under Debian's /usr/bin/python3 (h5py, numpy) and parses its JSON answer.</summary>
public static class PythonCheck
{
    public const string Interpreter = "/usr/bin/python3";

    public static JsonElement Run(string fixture, params string[] args)
    {
        var info = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + Interpreter);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            throw new TimeoutException($"{fixture} did not finish in 120 s");
        }

        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fixture} failed ({process.ExitCode}): {stderr.Result}");
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }
}
