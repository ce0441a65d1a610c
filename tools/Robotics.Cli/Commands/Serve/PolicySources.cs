using Robotics.Cli.Hosting;
using Robotics.Control.Policies;
using Robotics.Core.Policies;
using Robotics.Policies.Runtime;
using Robotics.Evaluation.Policies;
using Robotics.Sims.Environments;
using static TorchSharp.torch;

namespace Robotics.Cli.Commands.Serve;

/// <summary>The policies `serve` and `bench loop` can run, by name.</summary>
public static class PolicySources
{
    private static readonly Dictionary<string, Func<ServingOptions, Func<Device>, IChunkPolicy>> Registry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["checkpoint"] = (o, device) =>
        {
            if (o.Checkpoint is null || !Directory.Exists(o.Checkpoint))
                throw new CommandLineException($"Serving:Checkpoint '{o.Checkpoint}' is not a checkpoint folder (pass --checkpoint DIR from robotics train).");
            return TorchChunkPolicy.Load(o.Checkpoint, device(), o.Seed);
        },
        ["expert"] = (o, _) =>
        {
            var registration = Environment(o.Env);
            var env = registration.Create();
            return new ExpertChunkPolicy(env.Spec, registration.CreateExpert(env));
        },
        ["fixed-cost"] = (o, _) =>
        {
            using var env = Environment(o.Env).Create();
            return new FixedCostPolicy(env.Spec.Observation.Dimension, env.Spec.Action.Dimension, TimeSpan.FromMilliseconds(o.CostMs));
        },
    };

    public static IReadOnlyCollection<string> Names => Registry.Keys;

    /// <param name="torch">Starts TorchSharp (Torch:Device, Torch:Threads) and gives the device; only policies that run a network call it.</param>
    public static IChunkPolicy Create(ServingOptions options, Func<Device> torch) => Registry.TryGetValue(options.Policy, out var create)
        ? create(options, torch)
        : throw new CommandLineException($"Serving:Policy '{options.Policy}' is not one of {string.Join(", ", Names)}.");

    private static EnvironmentRegistration Environment(string id) => EnvironmentRegistry.TryGet(id, out var registration)
        ? registration
        : throw new CommandLineException($"Serving:Env '{id}' is not a registered environment.");
}
