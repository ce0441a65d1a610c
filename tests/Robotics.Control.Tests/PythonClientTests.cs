using System.Diagnostics;
using System.Text.Json;
using Robotics.Control.Tests.Fakes;
using Robotics.Transport.Security;

namespace Robotics.Control.Tests;

/// <summary>
/// The Python client (tools/python/robotics_client, pyzmq + msgpack + numpy under Debian's /usr/bin/python3) and its
/// example robot bridge, driven by the C# control host over real sockets.
/// </summary>
public sealed class PythonClientTests : IDisposable
{
    private readonly string _keys = Directory.CreateTempSubdirectory("python-client-keys-").FullName;

    public void Dispose() => Directory.Delete(_keys, recursive: true);

    [Fact]
    public async Task PythonRobotBridgeRunsEpisodesUnderTheCSharpHost()
    {
        await using var h = await ControlHarness.StartAsync();
        var (exit, output) = await RunExample("--connect", h.Endpoint, "--episodes", "2");
        Assert.True(exit == 0, output);
        var episodes = ParseEpisodes(output);
        Assert.Equal(2, episodes.Length);
        Assert.All(episodes, e => Assert.True(e.GetProperty("success").GetBoolean(), output));
        Assert.True(ControlHarness.WaitFor(() => h.Metrics.EpisodeCount >= 2, 5000));
        Assert.All(h.Metrics.Summarize(50, "").Episodes.Take(2), e => Assert.True(e.Success));
    }

    [Fact]
    public async Task PythonClientWithAnAllowedCurveKeyIsServedAndOneWithoutIsRefused()
    {
        var server = CurveKeyPair.Generate();
        var allowed = CurveKeyPair.Generate();
        CurveKeyFile.Write(_keys, "server", server);
        CurveKeyFile.Write(_keys, "robot", allowed);
        CurveKeyFile.Write(_keys, "stranger", CurveKeyPair.Generate());
        await using var h = await ControlHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Transport:ServerSecretKey"] = server.SecretKey,
            ["Transport:RobotKeys:0"] = allowed.PublicKey,
        });

        var (exit, output) = await RunExample("--connect", h.Endpoint, "--episodes", "1",
            "--server-key", Path.Combine(_keys, "server.key"), "--client-key", Path.Combine(_keys, "robot.key_secret"));
        Assert.True(exit == 0, output);
        Assert.True(ParseEpisodes(output).Single().GetProperty("success").GetBoolean(), output);

        var (refusedExit, refusedOutput) = await RunExample("--connect", h.Endpoint, "--episodes", "1",
            "--server-key", Path.Combine(_keys, "server.key"), "--client-key", Path.Combine(_keys, "stranger.key_secret"), "--welcome-timeout", "2");
        Assert.Equal(2, refusedExit);
        Assert.Contains("not welcomed", refusedOutput);
        // Refused by the ZAP handler during the handshake: the host never read a message from it.
        Assert.True(h.Link.Endpoint.Counters.Unauthorized >= 1);
        Assert.All(h.Link.Endpoint.Peers, p => Assert.Equal(allowed.PublicKey, p.ClientKey));
    }

    /// <summary>tools/python/conformance.py, a peer written from PROTOCOL.md alone, against the real host in both modes.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConformancePeerWrittenFromTheSpecPassesEveryCheck(bool secured)
    {
        var settings = new Dictionary<string, string?>();
        string[] keyArgs = [];
        if (secured)
        {
            var server = CurveKeyPair.Generate();
            var robot = CurveKeyPair.Generate();
            var op = CurveKeyPair.Generate();
            CurveKeyFile.Write(_keys, "server", server);
            CurveKeyFile.Write(_keys, "robot", robot);
            CurveKeyFile.Write(_keys, "operator", op);
            settings["Transport:ServerSecretKey"] = server.SecretKey;
            settings["Transport:RobotKeys:0"] = robot.PublicKey;
            settings["Transport:OperatorKeys:0"] = op.PublicKey;
            keyArgs = ["--server-key", Path.Combine(_keys, "server.key"), "--robot-key", Path.Combine(_keys, "robot.key_secret"),
                "--operator-key", Path.Combine(_keys, "operator.key_secret")];
        }

        await using var h = await ControlHarness.StartAsync(settings: settings);
        var (exit, output) = await RunPython("conformance.py", ["--connect", h.Endpoint, "--state-dim", "4", "--action-dim", "2", .. keyArgs]);
        string line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.TrimStart().StartsWith('{'));
        var failed = JsonDocument.Parse(line).RootElement.GetProperty("checks").EnumerateArray()
            .Where(c => !c.GetProperty("ok").GetBoolean())
            .Select(c => $"{c.GetProperty("name").GetString()}: {c.GetProperty("detail").GetString()}").ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed) + "\n" + output);
        Assert.Equal(0, exit);
    }

    private static JsonElement[] ParseEpisodes(string output)
    {
        string line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.TrimStart().StartsWith('{'));
        return JsonDocument.Parse(line).RootElement.GetProperty("episodes").EnumerateArray().ToArray();
    }

    private static Task<(int Exit, string Output)> RunExample(params string[] args) =>
        RunPython(Path.Combine("examples", "point_robot.py"), [.. args, "--timeout", "40"]);

    private static async Task<(int Exit, string Output)> RunPython(string script, string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "python", script));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish: {await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
