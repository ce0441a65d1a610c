using Robotics.Cli.Hosting;
using Robotics.Sims.Environments;

namespace Robotics.Cli.Commands.Sim;

/// <summary>Parsing shared by the sim and generate commands; bad values become usage errors naming the option.</summary>
public static class SimArguments
{
    public static EnvironmentRegistration Registration(string id) => EnvironmentRegistry.TryGet(id, out var registration)
        ? registration
        : throw new CommandLineException($"unknown environment '{id}'; registered: {string.Join(", ", EnvironmentRegistry.All.Select(r => r.Id))}.");

    public static IEnvironment CreateEnvironment(string id) => Registration(id).Create();

    /// <summary>"all" or null: every task; otherwise comma-separated ids, each checked against the task count.</summary>
    public static int[]? Tasks(string? text, int taskCount)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Equals("all", StringComparison.OrdinalIgnoreCase))
            return null;
        var ids = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, out int id))
                throw new CommandLineException($"--tasks: '{part}' is not a task id (use comma-separated integers or 'all').");
            if (id < 0 || id >= taskCount)
                throw new CommandLineException($"--tasks: task id {id} is out of range; valid ids are 0..{taskCount - 1}.");
            ids.Add(id);
        }

        return [.. ids];
    }

    public static string[]? List(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static double Fraction(double value, string option) =>
        value is >= 0 and <= 1 ? value : throw new CommandLineException($"{option} must lie in [0, 1]; got {value}.");

    public static double NonNegative(double value, string option) =>
        double.IsFinite(value) && value >= 0 ? value : throw new CommandLineException($"{option} must be a finite value >= 0; got {value}.");

    public static int Positive(int value, string option) =>
        value > 0 ? value : throw new CommandLineException($"{option} must be positive; got {value}.");
}
