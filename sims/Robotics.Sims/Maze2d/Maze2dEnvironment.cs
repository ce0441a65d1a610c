using Robotics.Core.Tasks;
using Robotics.Sims.Environments;
using Robotics.Sims.MuJoCo;

namespace Robotics.Sims.Maze2d;

/// <summary>
/// D4RL's point-mass maze (MazeEnv). Observation: [qpos_x, qpos_y, qvel_x, qvel_y] in tile
/// coordinates (the particle sits at world (x + 1.2, y + 1.2)). Action: motor commands on x and y in
/// [-1, 1] (gear 100). Step: clip action, clip qvel to [-5, 5] before simulating, one 0.01 s physics
/// step, reward on the NEW observation. Never terminates; truncated at the episode limit.
/// </summary>
public sealed class Maze2dEnvironment : MuJoCoEnvironment, IGoalEnvironment
{
    private static readonly string[] ObservationNames = ["qpos_x", "qpos_y", "qvel_x", "qvel_y"];
    private static readonly string[] ActionNames = ["force_x", "force_y"];

    public Maze2dEnvironment(string id, MazeLayout layout, Maze2dRewardType rewardType, int maxEpisodeSteps, bool resetTarget = false)
        : base(MuJoCoModel.LoadXmlString(Maze2dModelXml.Build(layout), $"maze2d-{layout.Name} MJCF"))
    {
        Layout = layout;
        RewardType = rewardType;
        ResetTarget = resetTarget;
        Target = (layout.Goal.W, layout.Goal.H);
        string instruction = $"move the point mass to the goal of the {layout.Name} maze";
        Spec = new EnvironmentSpec(id,
            BoxSpace.Uniform(float.NegativeInfinity, float.PositiveInfinity, ObservationNames),
            BoxSpace.Uniform(-1f, 1f, ActionNames),
            maxEpisodeSteps,
            1.0 / Model.Timestep,
            [new TaskSpec(0, id, instruction)]);
    }

    public override EnvironmentSpec Spec { get; }

    public MazeLayout Layout { get; }

    public Maze2dRewardType RewardType { get; }

    /// <summary>When true, every reset draws a random target (D4RL's reset_target).</summary>
    public bool ResetTarget { get; }

    /// <summary>The current target in tile coordinates.</summary>
    public (double X, double Y) Target { get; private set; }

    public float[] Goal => [(float)Target.X, (float)Target.Y];

    /// <summary>Current position and velocity (double precision, as the expert reads them).</summary>
    public (double X, double Y, double Vx, double Vy) State
    {
        get
        {
            var qpos = Data.Qpos;
            var qvel = Data.Qvel;
            return (qpos[0], qpos[1], qvel[0], qvel[1]);
        }
    }

    public void SetTarget(double x, double y) => Target = (x, y);

    /// <summary>D4RL's set_target(): a random empty-or-goal tile + U(-0.1, 0.1) per axis, from the env's stream.</summary>
    public void SetRandomTarget()
    {
        var tile = Layout.ResetLocations[Random.NextInt(Layout.ResetLocations.Count)];
        double x = tile.W + Random.Uniform(-0.1, 0.1);
        double y = tile.H + Random.Uniform(-0.1, 0.1);
        Target = (x, y);
    }

    protected override float[] ResetCore(int taskIndex)
    {
        var tile = Layout.ResetLocations[Random.NextInt(Layout.ResetLocations.Count)];
        var qpos = Data.Qpos;
        qpos[0] = tile.W + Random.Uniform(-0.1, 0.1);
        qpos[1] = tile.H + Random.Uniform(-0.1, 0.1);
        var qvel = Data.Qvel;
        qvel[0] = Random.Normal() * 0.1;
        qvel[1] = Random.Normal() * 0.1;
        if (ResetTarget)
            SetRandomTarget();
        Data.Forward();
        return Observe();
    }

    protected override StepOutcome StepCore(double[] action)
    {
        var ctrl = Data.Ctrl;
        ctrl[0] = Math.Clamp(action[0], -1.0, 1.0);
        ctrl[1] = Math.Clamp(action[1], -1.0, 1.0);

        // clip_velocity() before simulating. D4RL's set_state also runs mj_forward here; mj_step
        // recomputes everything forward does from the same qpos/qvel/ctrl, so skipping it changes nothing.
        var qvel = Data.Qvel;
        qvel[0] = Math.Clamp(qvel[0], -5.0, 5.0);
        qvel[1] = Math.Clamp(qvel[1], -5.0, 5.0);
        Data.Step();

        var observation = Observe();
        var qpos = Data.Qpos;
        double distance = Math.Sqrt((qpos[0] - Target.X) * (qpos[0] - Target.X) + (qpos[1] - Target.Y) * (qpos[1] - Target.Y));
        double reward = Reward(distance, RewardType);
        return new StepOutcome(observation, reward, false, distance <= 0.5, StepInfo.NoValues);
    }

    /// <summary>D4RL's reward for a distance between the particle and the target.</summary>
    public static double Reward(double distance, Maze2dRewardType type) =>
        type == Maze2dRewardType.Sparse ? (distance <= 0.5 ? 1.0 : 0.0) : Math.Exp(-distance);

    private float[] Observe()
    {
        var qpos = Data.Qpos;
        var qvel = Data.Qvel;
        return [(float)qpos[0], (float)qpos[1], (float)qvel[0], (float)qvel[1]];
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            Model.Dispose();
    }
}
