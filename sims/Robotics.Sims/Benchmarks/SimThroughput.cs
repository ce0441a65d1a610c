using System.Diagnostics;
using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Sims.MuJoCo;
using Robotics.Core.Randomness;

namespace Robotics.Sims.Benchmarks;

/// <summary>Timed loops for the benchmark command: raw binding steps and full environment steps.</summary>
public static class SimThroughput
{
    /// <summary>
    /// mj_step through the binding, one call per step, with the same control noise testspeed applies
    /// (N(0, 0.01) per actuator, scaled to the control range when limited).
    /// </summary>
    public static double BindingStepsPerSecond(string modelPath, int steps, CancellationToken cancellationToken = default)
    {
        using var model = MuJoCoModel.LoadXml(modelPath);
        using var data = model.CreateData();
        var random = new Xoshiro256(1);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            if ((i & 4095) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            var ctrl = data.Ctrl;
            for (int u = 0; u < ctrl.Length; u++)
                ctrl[u] = 0.01 * random.Normal();
            data.Step();
        }

        return steps / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Physics steps per second through IEnvironment.Step (validation, clipping, observation, info),
    /// resetting at the end of each episode. The agent is the expert, or zero actions when null.
    /// </summary>
    public static double EnvironmentPhysicsStepsPerSecond(string environmentId, int controlSteps, bool useExpert, int physicsStepsPerControl,
        CancellationToken cancellationToken = default)
    {
        var registration = EnvironmentRegistry.Get(environmentId);
        using var env = registration.Create();
        IAgent? agent = useExpert ? registration.CreateExpert(env) : null;
        float[] zero = new float[env.Spec.Action.Dimension];
        long seed = 0;
        var observation = env.Reset(seed).Observation;
        agent?.Reset(seed);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < controlSteps; i++)
        {
            if ((i & 1023) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            var step = env.Step(agent?.Act(observation) ?? zero);
            observation = step.Observation;
            if (step.Done)
            {
                observation = env.Reset(++seed).Observation;
                agent?.Reset(seed);
            }
        }

        return (double)controlSteps * physicsStepsPerControl / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Environment overhead on identical physics: the expert's actions of one episode are recorded, then
    /// the episode is replayed through IEnvironment.Step and, from a copy of the same start state, as
    /// bare mj_step calls with the controls the environment applied. Returns (env, binding) physics
    /// steps per second, best of <paramref name="repeats"/>.
    /// </summary>
    public static (double Environment, double Binding) ReplayStepsPerSecond(string environmentId, int repeats, CancellationToken cancellationToken = default)
    {
        var registration = EnvironmentRegistry.Get(environmentId);
        using var created = registration.Create();
        var env = created as MuJoCoEnvironment
            ?? throw new ArgumentException($"{environmentId} is not a MuJoCo environment.", nameof(environmentId));
        var agent = registration.CreateExpert(env);
        const long seed = 12345;
        var observation = env.Reset(seed).Observation;
        agent.Reset(seed);
        var actions = new List<float[]>();
        var controls = new List<double[]>();
        StepResult step;
        do
        {
            var action = agent.Act(observation);
            step = env.Step(action);
            actions.Add(action);
            controls.Add(env.Simulation.Ctrl.ToArray());
            observation = step.Observation;
        }
        while (!step.Done);

        using var replay = env.Simulation.Model.CreateData();
        double bestEnv = 0, bestBinding = 0;
        for (int r = 0; r < repeats; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            env.Reset(seed);
            replay.CopyFrom(env.Simulation);
            var clock = Stopwatch.StartNew();
            foreach (var action in actions)
                env.Step(action);
            bestEnv = Math.Max(bestEnv, actions.Count * env.FrameSkip / clock.Elapsed.TotalSeconds);

            clock.Restart();
            foreach (var control in controls)
            {
                control.CopyTo(replay.Ctrl);
                replay.Step(env.FrameSkip);
            }

            bestBinding = Math.Max(bestBinding, actions.Count * env.FrameSkip / clock.Elapsed.TotalSeconds);
        }

        return (bestEnv, bestBinding);
    }
}
