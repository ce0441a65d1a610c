using System.Diagnostics;
using System.Text.Json;

namespace Robotics.Detectors.Tests.Support;

/// <summary>
/// Runs a fixture script under Debian's /usr/bin/python3 (numpy only) with a JSON request on stdin and parses its JSON
/// answer, so the C# numbers are checked against an implementation written separately from the specification.
/// </summary>
public static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    public static JsonElement Run(string fixture, object request)
    {
        var info = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + Interpreter);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(JsonSerializer.Serialize(request));
        process.StandardInput.Close();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            throw new TimeoutException($"{fixture} did not finish in 120 s");
        }

        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fixture} failed ({process.ExitCode}): {stderr.Result}");
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }

    public static double[] Doubles(JsonElement element) => element.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
