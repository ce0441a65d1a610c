using System.Diagnostics;

namespace Robotics.Datasets.Tests.Support;

/// <summary>Runs Debian's /usr/bin/python3 (which sees python3-h5py and numpy) as an independent reference.</summary>
public static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    public static string Run(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start python3");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            throw new TimeoutException("python3 reference did not finish in 120 s");
        }

        if (process.ExitCode != 0)
            throw new InvalidOperationException($"python3 failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }
}
