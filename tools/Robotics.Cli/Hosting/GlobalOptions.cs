using System.CommandLine;

namespace Robotics.Cli.Hosting;

/// <summary>Options every command accepts: configuration overrides and log level.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "Extra JSON configuration file, layered over appsettings.json.",
        Recursive = true,
    };

    public static readonly Option<string[]> Set = new("--set")
    {
        Description = "Configuration override KEY=VALUE (sections with ':'), e.g. --set Torch:Threads=2. Repeatable.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<string> LogLevel = new("--log-level")
    {
        Description = "Trace, Debug, Information, Warning, Error or None.",
        DefaultValueFactory = _ => "Warning",
        Recursive = true,
    };

    public static void AddTo(Command root)
    {
        root.Options.Add(Config);
        root.Options.Add(Set);
        root.Options.Add(LogLevel);
    }
}
