using Robotics.Cli.Hosting;
using Robotics.Control.Policies;
using Robotics.Core.Policies;
using Robotics.Policies.Runtime;
using Robotics.Sims.Environments;
using Robotics.Torch;

namespace Robotics.Cli.Commands.Serve;

/// <summary>The policies `serve` and `bench loop` can run, by name.</summary>
public static class PolicySources
{
    private static readonly Dictionary<string, Func<PolicySourceOptions, IChunkPolicy>> Registry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["checkpoint"] = o =>
        {
            if (o.Checkpoint is null || !Directory.Exists(o.Checkpoint))
                throw new CommandLineException($"Policy:Checkpoint '{o.Checkpoint}' is not a checkpoint folder (pass --checkpoint DIR from robotics train).");
            TorchRuntime.Initialize();
            return TorchChunkPolicy.Load(o.Checkpoint, o.Device, o.Seed);
        },
        ["expert"] = o =>
        {
            var registration = Environment(o.Env);
            var env = registration.Create();
            return new ExpertChunkPolicy(env.Spec, registration.CreateExpert(env));
        },
        ["fixed-cost"] = o =>
        {
            using var env = Environment(o.Env).Create();
            return new FixedCostPolicy(env.Spec.Observation.Dimension, env.Spec.Action.Dimension, TimeSpan.FromMilliseconds(o.CostMs));
        },
    };

    public static IReadOnlyCollection<string> Names => Registry.Keys;

    public static IChunkPolicy Create(PolicySourceOptions options) => Registry.TryGetValue(options.Type, out var create)
        ? create(options)
        : throw new CommandLineException($"Policy:Type '{options.Type}' is not one of {string.Join(", ", Names)}.");

    private static EnvironmentRegistration Environment(string id) => EnvironmentRegistry.TryGet(id, out var registration)
        ? registration
        : throw new CommandLineException($"Policy:Env '{id}' is not a registered environment.");
}
