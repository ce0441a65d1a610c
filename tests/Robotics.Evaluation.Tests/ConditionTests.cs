using Robotics.Evaluation.Conditions;
using Robotics.Evaluation.Policies;
using Robotics.Evaluation.Rollouts;
using Robotics.Sims.Environments;

namespace Robotics.Evaluation.Tests;

/// <summary>Each condition does what it says to a real MuJoCo episode, reproducibly.</summary>
public class ConditionTests
{
    private static EpisodeResult Run(EvaluationCondition condition, long seed = 42, string env = "tabletop-push", int? task = 0, bool features = false)
    {
        var registration = EnvironmentRegistry.Get(env);
        using var environment = registration.Create();
        using var policy = PolicyFactory.Create(new PolicySpec("expert", "expert"), registration, environment);
        var evaluator = new ClosedLoopEvaluator(policy, environment, registration.CreateFailureInjector?.Invoke());
        return evaluator.Run(new EpisodeSpec(task, seed, condition), features);
    }

    [Fact]
    public void NominalEpisodesAreReproducibleAndTheExpertSucceeds()
    {
        var a = Run(EvaluationCondition.Nominal);
        var b = Run(EvaluationCondition.Nominal);
        Assert.True(a.Success);
        Assert.Equal((a.Steps, a.Return, a.Success), (b.Steps, b.Return, b.Success));
        Assert.Null(a.Fault);
    }

    [Fact]
    public void AFaultIsInjectedWhereTheConditionSaysAndRecorded()
    {
        var shoved = Run(new EvaluationCondition("shove", Fault: "shove"));
        Assert.Equal("shove", shoved.Fault);
        Assert.InRange(shoved.FaultStep!.Value, 10, 59);
        var never = Run(new EvaluationCondition("shove", Fault: "shove", FaultRate: 0));
        Assert.Null(never.Fault);
        var any = Enumerable.Range(0, 12).Select(s => Run(new EvaluationCondition("any", Fault: EvaluationCondition.AnyFault), seed: s).Fault).Distinct().ToArray();
        Assert.True(any.Length >= 2, string.Join(", ", any));
    }

    [Fact]
    public void InitialRandomStepsMoveTheStartAndCountAsSteps()
    {
        var nominal = Run(EvaluationCondition.Nominal);
        var wide = Run(new EvaluationCondition("wide", InitialRandomSteps: 25));
        Assert.NotEqual(nominal.Steps, wide.Steps);
        Assert.True(wide.Steps > 25);
        Assert.Equal(wide.Steps, Run(new EvaluationCondition("wide", InitialRandomSteps: 25)).Steps);
    }

    [Fact]
    public void UnseenInstructionsReplaceTheTextAndNoiseChangesTheEpisode()
    {
        var paraphrased = Run(new EvaluationCondition("para", UnseenInstructions: true));
        Assert.StartsWith("could you ", paraphrased.Instruction);
        var noisy = Run(new EvaluationCondition("noisy", ActionNoise: 0.5, ObservationNoise: 0.05));
        var nominal = Run(EvaluationCondition.Nominal);
        Assert.NotEqual((nominal.Steps, nominal.Return), (noisy.Steps, noisy.Return));
    }

    [Fact]
    public void FeaturesOfEveryCallAreKeptWhenAskedFor()
    {
        var kept = Run(EvaluationCondition.Nominal, features: true);
        Assert.NotNull(kept.Calls);
        Assert.Equal(kept.PolicyCalls, kept.Calls!.Count);
        Assert.Equal(kept.Steps, kept.Calls.Sum(c => c.ExecutedActions.Length));
        Assert.Equal(Enumerable.Range(0, kept.Steps), kept.Calls.Select(c => c.Step));
        Assert.Null(Run(EvaluationCondition.Nominal).Calls);
    }

    [Fact]
    public void AGoalConditionedEnvironmentGivesItsGoalFromTheSpecNotFromATypeSwitch()
    {
        var registration = EnvironmentRegistry.Get("maze2d-umaze");
        using var env = registration.Create();
        var goal = Assert.IsAssignableFrom<IGoalEnvironment>(env);
        env.Reset(1);
        Assert.Equal(2, goal.Goal.Length);
        Assert.True(Run(EvaluationCondition.Nominal, env: "maze2d-umaze", task: null).Success);
    }
}

/// <summary>The fixed-length tabletop variant failure detectors are collected in.</summary>
public class FixedLengthEnvironmentTests
{
    [Fact]
    public void ASuccessfulEpisodeRunsAllItsStepsAndStillCountsAsASuccess()
    {
        foreach (var (id, fullLength) in new[] { ("tabletop-push", false), ("tabletop-push-fixed", true) })
        {
            var registration = EnvironmentRegistry.Get(id);
            using var environment = registration.Create();
            using var policy = PolicyFactory.Create(new PolicySpec("expert", "expert"), registration, environment);
            var result = new ClosedLoopEvaluator(policy, environment).Run(new EpisodeSpec(0, 42, EvaluationCondition.Nominal));
            Assert.True(result.Success, id);
            Assert.Equal(fullLength, result.Steps == environment.Spec.MaxEpisodeSteps);
        }
    }
}
