using System.Diagnostics;

namespace Robotics.Cli.Commands.RobotSim;

/// <summary>
/// This same program as a child process: `robotics robot-sim` for bench loop and demo (a real separate robot), and
/// any other subcommand via <see cref="StartCommand"/>.
/// </summary>
public sealed class RobotSimProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private RobotSimProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static RobotSimProcess Start(string endpoint, params string[] extraArgs) =>
        StartCommand(["robot-sim", "--connect", endpoint, .. extraArgs]);

    public static RobotSimProcess StartCommand(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Running under `dotnet robotics.dll`, ProcessPath is dotnet and the program is the entry assembly.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
            start.ArgumentList.Add(typeof(RobotSimProcess).Assembly.Location);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        return new RobotSimProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start robotics {string.Join(' ', args)}"));
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Ends the process abruptly, as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(5000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
