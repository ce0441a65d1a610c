using Robotics.Core.Monitoring;
using Robotics.Control.Options;

namespace Robotics.Control.Monitoring;

/// <summary>Built-in monitors by configuration name; a learned detector is registered in DI instead.</summary>
public static class FailureMonitors
{
    private static readonly Dictionary<string, Func<ControlOptions, IFailureMonitor>> Registry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bounds"] = o => new BoundsMonitor(o.StateLimit),
        ["none"] = _ => new NullMonitor(),
    };

    public static IReadOnlyCollection<string> Names => Registry.Keys;

    public static bool Exists(string name) => Registry.ContainsKey(name);

    public static IFailureMonitor Create(ControlOptions options) => Registry.TryGetValue(options.Monitor, out var make)
        ? make(options)
        : throw new ArgumentException($"Control:Monitor '{options.Monitor}' is not one of {string.Join(", ", Names)}");
}
