using Robotics.Policies.Checkpoints;
using Robotics.Policies.Configuration;
using Robotics.Policies.Runtime;
using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Torch;

namespace Robotics.Evaluation.Policies;

/// <summary>
/// The policy sources a sweep can name, by kind. Adding a source is one entry here, not a switch in the runner or
/// the command line. Each call makes a fresh instance: every sweep worker owns its policies.
/// </summary>
public static class PolicyFactory
{
    private static readonly Dictionary<string, Func<PolicySpec, EnvironmentRegistration, IEnvironment, string, EvaluationPolicy>> Kinds = new(StringComparer.Ordinal)
    {
        ["checkpoint"] = FromCheckpoint,
        ["expert"] = FromExpert,
    };

    public static IReadOnlyCollection<string> Names => Kinds.Keys;

    public static bool IsKnown(string kind) => Kinds.ContainsKey(kind);

    /// <param name="environment">The environment instance the rollouts will step: an expert reads its scene.</param>
    /// <param name="device">Torch device for checkpoint policies ("cpu", "cuda:0"); TorchRuntime must be initialised by the caller.</param>
    public static EvaluationPolicy Create(PolicySpec spec, EnvironmentRegistration registration, IEnvironment environment, string device = "cpu")
    {
        if (!Kinds.TryGetValue(spec.Kind, out var create))
            throw new ArgumentException($"policy '{spec.Name}': kind '{spec.Kind}' is not one of {string.Join(", ", Names)}");
        var policy = create(spec, registration, environment, device);
        return spec.ActionNoise > 0 ? policy with { Policy = new NoisyChunkPolicy(policy.Policy, spec.ActionNoise) } : policy;
    }

    /// <summary>Checks what can be checked without building the policy (files exist, dimensions fit the environment).</summary>
    public static string? Problem(PolicySpec spec, EnvironmentRegistration environment)
    {
        if (!Kinds.ContainsKey(spec.Kind))
            return $"kind '{spec.Kind}' is not one of {string.Join(", ", Names)}";
        if (spec.Kind == "expert" && spec.Style is not null && !Enum.TryParse<DemoStyle>(spec.Style, ignoreCase: true, out _))
            return $"style '{spec.Style}' is not one of {string.Join(", ", Enum.GetNames<DemoStyle>()).ToLowerInvariant()}";
        if (spec.Kind != "checkpoint")
            return null;
        if (spec.Checkpoint is null || !File.Exists(Path.Combine(spec.Checkpoint, "config.json")))
            return $"checkpoint '{spec.Checkpoint}' is not a checkpoint folder (config.json missing)";
        PolicyConfig config;
        try
        {
            config = PolicyCheckpoint.LoadConfig(spec.Checkpoint);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or InvalidPolicyConfigException)
        {
            return $"checkpoint '{spec.Checkpoint}': {e.Message}";
        }

        using var env = environment.Create();
        int goal = config.GoalKey is null ? 0 : env is IGoalEnvironment g ? g.Goal.Length : -1;
        if (goal < 0)
            return $"checkpoint '{spec.Checkpoint}' is goal-conditioned ({config.GoalKey}) but environment '{environment.Id}' has no goal";
        if (config.StateDim != env.Spec.Observation.Dimension + goal || config.ActionDim != env.Spec.Action.Dimension)
            return $"checkpoint '{spec.Checkpoint}' has state {config.StateDim} / action {config.ActionDim}; '{environment.Id}' gives {env.Spec.Observation.Dimension + goal} / {env.Spec.Action.Dimension}";
        return null;
    }

    private static EvaluationPolicy FromCheckpoint(PolicySpec spec, EnvironmentRegistration registration, IEnvironment environment, string device)
    {
        var overrides = new InferenceOverrides(spec.SamplingSteps, spec.ExecutedSteps, spec.NoiseScale);
        var config = overrides.Apply(PolicyCheckpoint.LoadConfig(spec.Checkpoint!));
        var policy = TorchChunkPolicy.Load(spec.Checkpoint!, TorchRuntime.ResolveDevice(device), 0, overrides);
        return new EvaluationPolicy(policy, config.Tasks.Select(t => t.Instruction).ToArray(), config.GoalKey is not null);
    }

    private static EvaluationPolicy FromExpert(PolicySpec spec, EnvironmentRegistration registration, IEnvironment environment, string device)
    {
        var style = spec.Style is null ? DemoStyle.Scripted : Enum.Parse<DemoStyle>(spec.Style, ignoreCase: true);
        var policy = new ExpertChunkPolicy(environment.Spec, registration.CreateExpert(environment, style));
        return new EvaluationPolicy(policy, environment.Spec.Tasks.Select(t => t.Instruction).ToArray(), false);
    }
}
