using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Core.Randomness;
using Robotics.Sims.Tabletop;

namespace Robotics.Sims.Failures;

/// <summary>
/// Faults of the tabletop scene:
/// "shove": the target block is knocked away (1.5-3 m/s in a random direction, steps 10-59) mid-episode;
/// "weak-actuator": both pusher axes keep only 10-35% of the commanded speed from some step on;
/// "stuck-actuator": one pusher axis stops responding from some step on;
/// "wrong-target": for 80-140 steps the expert pushes the block toward a wrong zone, then resumes.
/// </summary>
public sealed class TabletopFailureInjector : IFailureInjector
{
    public const string Shove = "shove";
    public const string WeakActuator = "weak-actuator";
    public const string StuckActuator = "stuck-actuator";
    public const string WrongTarget = "wrong-target";

    public IReadOnlyList<string> Kinds { get; } = [Shove, WeakActuator, StuckActuator, WrongTarget];

    public FailurePlan Draw(string kind, Xoshiro256 random, int taskIndex) => kind switch
    {
        Shove => new FailurePlan(kind, 10 + random.NextInt(50), 1, random.Uniform(1.5, 3.0), TabletopScene.DecodeTask(taskIndex).Block, random.Uniform(-Math.PI, Math.PI)),
        WeakActuator => new FailurePlan(kind, 5 + random.NextInt(40), int.MaxValue, random.Uniform(0.1, 0.35), 0, 0),
        StuckActuator => new FailurePlan(kind, 5 + random.NextInt(40), int.MaxValue, 0.0, random.NextInt(2), 0),
        WrongTarget => new FailurePlan(kind, 5 + random.NextInt(30), 80 + random.NextInt(61), 0,
            WrongZone(TabletopScene.DecodeTask(taskIndex).Zone, random), 0),
        _ => throw new ArgumentException($"Unknown tabletop failure kind '{kind}'; known: {string.Join(", ", Kinds)}.", nameof(kind)),
    };

    public void BeforeStep(FailurePlan plan, int step, IEnvironment environment, IAgent agent)
    {
        var env = environment as TabletopPushEnvironment
            ?? throw new ArgumentException($"{nameof(TabletopFailureInjector)} drives {TabletopPushEnvironment.Id}, not {environment.Spec.Id}.", nameof(environment));
        switch (plan.Kind)
        {
            case Shove when step == plan.StartStep:
                env.Shove(plan.Target, plan.Magnitude * Math.Cos(plan.Direction), plan.Magnitude * Math.Sin(plan.Direction));
                break;
            case WeakActuator when step == plan.StartStep:
                env.ActuatorScale[0] = env.ActuatorScale[1] = plan.Magnitude;
                break;
            case StuckActuator when step == plan.StartStep:
                env.ActuatorScale[plan.Target] = 0.0;
                break;
            case WrongTarget:
                if (Unwrap(agent) is TabletopExpertAgent expert)
                {
                    int block = TabletopScene.DecodeTask(env.TaskIndex).Block;
                    expert.Expert.Override = plan.IsActive(step) ? (block, plan.Target) : null;
                }

                break;
        }
    }

    private static IAgent Unwrap(IAgent agent) => agent is NoisyAgent noisy ? Unwrap(noisy.Inner) : agent;

    private static int WrongZone(int zone, Xoshiro256 random)
    {
        int other = random.NextInt(TabletopScene.Zones.Length - 1);
        return other >= zone ? other + 1 : other;
    }
}
