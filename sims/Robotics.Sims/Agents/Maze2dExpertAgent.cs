using Robotics.Sims.Maze2d;

namespace Robotics.Sims.Agents;

/// <summary>
/// The D4RL waypoint controller driving a <see cref="Maze2dEnvironment"/> toward its current target; in the multimodal
/// style it picks among equally short routes at random and reports per step whether it is on another route than the
/// scripted one (infos/demo_alternate_route).
/// </summary>
public sealed class Maze2dExpertAgent(Maze2dEnvironment environment, DemoStyle style = DemoStyle.Scripted) : IModalAgent
{
    private static readonly string[] RouteInfoNames = ["demo_alternate_route"];
    private readonly Maze2dWaypointExpert _expert = new(environment.Layout, 0, style == DemoStyle.Multimodal);

    /// <summary>Whether the last action was taken with the task counted as solved.</summary>
    public bool Solved { get; private set; }

    public Maze2dWaypointExpert Expert => _expert;

    public void Reset(long seed)
    {
        _expert.Reset(seed);
        Solved = false;
    }

    public float[] Act(float[] observation)
    {
        var state = environment.State;
        var (ax, ay, solved) = _expert.Act((state.X, state.Y), (state.Vx, state.Vy), environment.Target);
        Solved = solved;
        return [(float)ax, (float)ay];
    }

    public IReadOnlyList<string> InfoNames => _expert.RandomRoutes ? RouteInfoNames : [];

    public float[] StepInfo() => _expert.RandomRoutes ? [_expert.OnAlternateRoute ? 1f : 0f] : [];
}
