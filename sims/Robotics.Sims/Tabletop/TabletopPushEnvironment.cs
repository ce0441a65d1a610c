using System.Reflection;
using Robotics.Core.Tasks;
using Robotics.Sims.Environments;
using Robotics.Sims.MuJoCo;

namespace Robotics.Sims.Tabletop;

/// <summary>
/// Multitask planar pushing: a spherical pusher and three blocks (red, green, blue) on a rimmed
/// 0.64 m table with four target zones (left (-0.2, 0), right (0.2, 0), far (0, 0.2), near (0, -0.2),
/// radius 0.05). Task i = block (i / 4) to zone (i % 4): 12 tasks, e.g. "push the red block to the left zone".
/// <para>Observation (31 float32, metres, m/s, world frame, table centre at 0):
/// [0..1] pusher x, y; [2..3] pusher vx, vy;
/// then per block b in (red, green, blue) at 4 + 6b: x, y, cos(yaw), sin(yaw), vx, vy;
/// [22..24] one-hot target block; [25..28] one-hot target zone; [29..30] target zone centre x, y.</para>
/// <para>Action (2 float32 in [-1, 1], clipped): commanded pusher velocity x, y as a fraction of 0.25 m/s,
/// tracked by velocity servos. 20 Hz control (10 physics steps of 5 ms). Success (reward 1, terminated):
/// the target block's centre inside its zone while moving slower than 0.01 m/s. Time limit 200 steps.</para>
/// </summary>
public sealed class TabletopPushEnvironment : MuJoCoEnvironment
{
    public const string Id = "tabletop-push";

    /// <summary>
    /// The same scene without termination on success: every episode runs its 200 steps and success is the flag at
    /// any step. Failure detectors need it: with early termination, the shortest rollout of a task (the protocol's
    /// cut-off) is a quick success a few policy calls long, before most failures show.
    /// </summary>
    public const string FixedLengthId = "tabletop-push-fixed";

    private readonly bool _terminateOnSuccess;
    public const int ObservationSize = 31;

    private static readonly Lazy<string> ModelXml = new(LoadModelXml);
    private readonly int[] _blockQpos;
    private readonly int[] _blockQvel;
    private readonly int[] _pusherQpos;
    private readonly int[] _pusherQvel;

    public TabletopPushEnvironment(bool terminateOnSuccess = true)
        : base(MuJoCoModel.LoadXmlString(ModelXml.Value, "tabletop_push.xml"))
    {
        _terminateOnSuccess = terminateOnSuccess;
        _pusherQpos = [Model.JointQposAddress(Model.GetId(MuJoCoObjectType.Joint, "pusher_x")), Model.JointQposAddress(Model.GetId(MuJoCoObjectType.Joint, "pusher_y"))];
        _pusherQvel = [Model.JointDofAddress(Model.GetId(MuJoCoObjectType.Joint, "pusher_x")), Model.JointDofAddress(Model.GetId(MuJoCoObjectType.Joint, "pusher_y"))];
        _blockQpos = TabletopScene.Blocks.Select(b => Model.JointQposAddress(Model.GetId(MuJoCoObjectType.Joint, b + "_x"))).ToArray();
        _blockQvel = TabletopScene.Blocks.Select(b => Model.JointDofAddress(Model.GetId(MuJoCoObjectType.Joint, b + "_x"))).ToArray();
        var tasks = Enumerable.Range(0, TabletopScene.TaskCount)
            .Select(i => new TaskSpec(i, $"{TabletopScene.Blocks[TabletopScene.DecodeTask(i).Block]}-to-{TabletopScene.Zones[TabletopScene.DecodeTask(i).Zone]}", TabletopScene.Instruction(i)))
            .ToArray();
        Spec = new EnvironmentSpec(terminateOnSuccess ? Id : FixedLengthId,
            BoxSpace.Uniform(float.NegativeInfinity, float.PositiveInfinity, ObservationNames()),
            BoxSpace.Uniform(-1f, 1f, ["pusher_vx", "pusher_vy"]),
            TabletopScene.MaxEpisodeSteps,
            1.0 / (Model.Timestep * TabletopScene.FrameSkip),
            tasks);
    }

    public override EnvironmentSpec Spec { get; }

    public override int FrameSkip => TabletopScene.FrameSkip;

    /// <summary>The MJCF text of the scene (also what the native benchmark runs).</summary>
    public static string ModelText => ModelXml.Value;

    /// <summary>
    /// Per-axis multiplier on the commanded velocity: 1 = healthy, between 0 and 1 = weakened actuator,
    /// 0 = stuck. Failure injection sets it; Reset restores 1.
    /// </summary>
    public double[] ActuatorScale { get; } = [1.0, 1.0];

    public (double X, double Y) BlockPosition(int block)
    {
        var qpos = Data.Qpos;
        return (qpos[_blockQpos[block]], qpos[_blockQpos[block] + 1]);
    }

    /// <summary>Adds a velocity to a block (an external shove, used by failure injection).</summary>
    public void Shove(int block, double vx, double vy)
    {
        var qvel = Data.Qvel;
        qvel[_blockQvel[block]] += vx;
        qvel[_blockQvel[block] + 1] += vy;
    }

    protected override float[] ResetCore(int taskIndex)
    {
        ActuatorScale[0] = ActuatorScale[1] = 1.0;
        var qpos = Data.Qpos;
        var placed = new List<(double X, double Y)>();
        for (int b = 0; b < TabletopScene.Blocks.Length; b++)
        {
            var p = Sample(placed, -0.1, 0.1, 0.08);
            placed.Add(p);
            qpos[_blockQpos[b]] = p.X;
            qpos[_blockQpos[b] + 1] = p.Y;
            qpos[_blockQpos[b] + 2] = Random.Uniform(-Math.PI, Math.PI);
        }

        var pusher = Sample(placed, -0.25, 0.25, 0.08);
        qpos[_pusherQpos[0]] = pusher.X;
        qpos[_pusherQpos[1]] = pusher.Y;
        Data.Forward();
        return Observe(taskIndex);
    }

    protected override StepOutcome StepCore(double[] action)
    {
        var ctrl = Data.Ctrl;
        ctrl[0] = Math.Clamp(action[0], -1.0, 1.0) * TabletopScene.MaxSpeed * ActuatorScale[0];
        ctrl[1] = Math.Clamp(action[1], -1.0, 1.0) * TabletopScene.MaxSpeed * ActuatorScale[1];
        Data.Step(TabletopScene.FrameSkip);

        var (block, zone) = TabletopScene.DecodeTask(TaskIndex);
        var qpos = Data.Qpos;
        var qvel = Data.Qvel;
        var centre = TabletopScene.ZoneCentres[zone];
        double dx = qpos[_blockQpos[block]] - centre.X, dy = qpos[_blockQpos[block] + 1] - centre.Y;
        double distance = Math.Sqrt(dx * dx + dy * dy);
        double speed = Math.Sqrt(qvel[_blockQvel[block]] * qvel[_blockQvel[block]] + qvel[_blockQvel[block] + 1] * qvel[_blockQvel[block] + 1]);
        bool success = distance < TabletopScene.ZoneRadius && speed < TabletopScene.RestSpeed;
        var values = new Dictionary<string, double> { ["block_distance"] = distance, ["block_speed"] = speed };
        return new StepOutcome(Observe(TaskIndex), success ? 1.0 : 0.0, success && _terminateOnSuccess, success, values);
    }

    private (double X, double Y) Sample(List<(double X, double Y)> others, double low, double high, double separation)
    {
        // Rejection sampling; the region is large enough that this ends in a few draws.
        while (true)
        {
            double x = Random.Uniform(low, high), y = Random.Uniform(low, high);
            if (others.All(o => (o.X - x) * (o.X - x) + (o.Y - y) * (o.Y - y) >= separation * separation))
                return (x, y);
        }
    }

    private float[] Observe(int taskIndex)
    {
        var qpos = Data.Qpos;
        var qvel = Data.Qvel;
        var o = new float[ObservationSize];
        o[0] = (float)qpos[_pusherQpos[0]];
        o[1] = (float)qpos[_pusherQpos[1]];
        o[2] = (float)qvel[_pusherQvel[0]];
        o[3] = (float)qvel[_pusherQvel[1]];
        for (int b = 0; b < TabletopScene.Blocks.Length; b++)
        {
            int at = 4 + 6 * b, p = _blockQpos[b], v = _blockQvel[b];
            o[at] = (float)qpos[p];
            o[at + 1] = (float)qpos[p + 1];
            o[at + 2] = (float)Math.Cos(qpos[p + 2]);
            o[at + 3] = (float)Math.Sin(qpos[p + 2]);
            o[at + 4] = (float)qvel[v];
            o[at + 5] = (float)qvel[v + 1];
        }

        var (block, zone) = TabletopScene.DecodeTask(taskIndex);
        o[22 + block] = 1f;
        o[25 + zone] = 1f;
        o[29] = (float)TabletopScene.ZoneCentres[zone].X;
        o[30] = (float)TabletopScene.ZoneCentres[zone].Y;
        return o;
    }

    private static string[] ObservationNames()
    {
        var names = new List<string> { "pusher_x", "pusher_y", "pusher_vx", "pusher_vy" };
        foreach (var b in TabletopScene.Blocks)
            names.AddRange([$"{b}_x", $"{b}_y", $"{b}_cos_yaw", $"{b}_sin_yaw", $"{b}_vx", $"{b}_vy"]);
        names.AddRange(TabletopScene.Blocks.Select(b => $"task_block_{b}"));
        names.AddRange(TabletopScene.Zones.Select(z => $"task_zone_{z}"));
        names.AddRange(["target_x", "target_y"]);
        return [.. names];
    }

    private static string LoadModelXml()
    {
        const string name = "Robotics.Sims.Models.tabletop_push.xml";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded model {name} is missing from Robotics.Sims.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            Model.Dispose();
    }
}
