using Robotics.Sims.Agents;
using Robotics.Sims.Maze2d;
using Robotics.Sims.Tabletop;

namespace Robotics.Sims.Environments;

/// <summary>Environments by name. D4RL's "-v1" suffix is accepted (maze2d-umaze-v1 = maze2d-umaze).</summary>
public static class EnvironmentRegistry
{
    private static readonly Dictionary<string, EnvironmentRegistration> ById = Build().ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<EnvironmentRegistration> All { get; } = ById.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();

    public static bool TryGet(string id, out EnvironmentRegistration registration)
    {
        string key = id.EndsWith("-v1", StringComparison.OrdinalIgnoreCase) ? id[..^3] : id;
        return ById.TryGetValue(key, out registration!);
    }

    public static EnvironmentRegistration Get(string id) => TryGet(id, out var registration)
        ? registration
        : throw new KeyNotFoundException($"Unknown environment '{id}'. Registered: {string.Join(", ", All.Select(r => r.Id))}.");

    public static IEnvironment Create(string id) => Get(id).Create();

    private static IEnumerable<EnvironmentRegistration> Build()
    {
        (MazeLayout Layout, int Steps)[] mazes = [(MazeLayout.UMaze, 300), (MazeLayout.Medium, 600), (MazeLayout.Large, 800)];
        foreach (var (layout, steps) in mazes)
        {
            foreach (var reward in Enum.GetValues<Maze2dRewardType>())
            {
                string id = $"maze2d-{layout.Name}" + (reward == Maze2dRewardType.Dense ? "-dense" : "");
                yield return new EnvironmentRegistration(id,
                    $"D4RL point-mass {layout.Name} maze, {reward.ToString().ToLowerInvariant()} reward, {steps} steps",
                    () => new Maze2dEnvironment(id, layout, reward, steps),
                    (env, style) => new Maze2dExpertAgent((Maze2dEnvironment)env, style));
            }
        }

        yield return new EnvironmentRegistration(TabletopPushEnvironment.Id,
            $"planar pusher and 3 blocks, {TabletopScene.TaskCount} tasks (block x zone), {TabletopScene.MaxEpisodeSteps} steps at 20 Hz",
            () => new TabletopPushEnvironment(),
            (_, style) => new TabletopExpertAgent(style),
            () => new Failures.TabletopFailureInjector());
        yield return new EnvironmentRegistration(TabletopPushEnvironment.FixedLengthId,
            $"tabletop-push without termination on success: every episode runs {TabletopScene.MaxEpisodeSteps} steps (failure-detection corpora)",
            () => new TabletopPushEnvironment(terminateOnSuccess: false),
            (_, style) => new TabletopExpertAgent(style),
            () => new Failures.TabletopFailureInjector());
    }
}
