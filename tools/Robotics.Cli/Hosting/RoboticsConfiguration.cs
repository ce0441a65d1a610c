using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace Robotics.Cli.Hosting;

/// <summary>
/// The configuration layers, lowest first: appsettings.json beside the program, the --config file,
/// ROBOTICS_* environment variables (ROBOTICS_Torch__Threads=2), --set overrides, then the values
/// of a command's own options.
/// </summary>
public static class RoboticsConfiguration
{
    public const string EnvironmentPrefix = "ROBOTICS_";

    public static IConfigurationBuilder AddRoboticsSources(this IConfigurationBuilder builder, ParseResult parse, IReadOnlyDictionary<string, string?>? commandValues = null)
    {
        builder.SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);

        if (parse.GetValue(GlobalOptions.Config) is { } file)
        {
            string full = Path.GetFullPath(file);
            if (!File.Exists(full))
                throw new CommandLineException($"--config: file '{full}' does not exist.");
            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(ParseOverrides(parse.GetValue(GlobalOptions.Set) ?? []));
        if (commandValues is not null)
            builder.AddInMemoryCollection(commandValues.Where(kv => kv.Value is not null));
        return builder;
    }

    public static Dictionary<string, string?> ParseOverrides(IEnumerable<string> pairs)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0)
                throw new CommandLineException($"--set '{pair}': expected KEY=VALUE, e.g. --set Torch:Threads=2.");
            values[pair[..eq].Trim()] = pair[(eq + 1)..];
        }

        return values;
    }
}
