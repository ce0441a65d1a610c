using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Robotics.Sims.Benchmarks;

/// <summary>Runs MuJoCo's own native benchmark (<c>mujoco-testspeed MODEL STEPS</c>, one thread) and reads its steps per second.</summary>
public static partial class NativeTestSpeed
{
    public const string Program = "mujoco-testspeed";

    public static double StepsPerSecond(string modelPath, int steps, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(modelPath);
        info.ArgumentList.Add(steps.ToString(CultureInfo.InvariantCulture));
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Program}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Program} is not installed (Debian package libmujoco-samples): {e.Message}", e);
        }

        using (process)
        using (cancellationToken.Register(() => process.Kill()))
        {
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            var match = StepsLine().Match(output);
            if (process.ExitCode != 0 || !match.Success)
                throw new InvalidOperationException($"{Program} {modelPath} failed (exit {process.ExitCode}): {output}{error}".Trim());
            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
    }

    [GeneratedRegex(@"Steps per second\s*:\s*([0-9.]+)")]
    private static partial Regex StepsLine();
}
