using System.Diagnostics;

namespace Robotics.Cli.Tests;

/// <summary>Runs the real <c>robotics</c> program (built beside the tests) as a child process.</summary>
public static class CliProcess
{
    public static string ProgramPath => Path.Combine(AppContext.BaseDirectory, "robotics.dll");

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(ProgramPath);
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        psi.Environment["COLUMNS"] = "200";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[key] = value;

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
