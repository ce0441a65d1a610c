namespace Robotics.Cli.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Version_PrintsTheProductVersion()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync(null, "--version");
        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout.Trim());
    }

    [Fact]
    public async Task MalformedSet_IsAUsageError()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync(null, "doctor", "--set", "Torch.Threads");
        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("expected KEY=VALUE", stdout);
    }

    [Fact]
    public async Task MissingConfigFile_IsAUsageErrorNamingIt()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync(null, "doctor", "--config", "/nonexistent/robotics.json");
        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("/nonexistent/robotics.json", stdout);
    }

    [Fact]
    public async Task UnknownCommand_FailsWithNonZeroExit()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(null, "no-such-command");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("no-such-command", stderr);
    }

    [Fact]
    public void EveryCommand_HasHelpText()
    {
        var root = RoboticsCommandLine.Build();
        foreach (var command in Flatten(root))
        {
            Assert.False(string.IsNullOrWhiteSpace(command.Description), $"command '{command.Name}' has no description");
            foreach (var option in command.Options)
                Assert.False(string.IsNullOrWhiteSpace(option.Description), $"option '{option.Name}' of '{command.Name}' has no description");
        }
    }

    private static IEnumerable<System.CommandLine.Command> Flatten(System.CommandLine.Command command) =>
        new[] { command }.Concat(command.Subcommands.SelectMany(Flatten));
}
