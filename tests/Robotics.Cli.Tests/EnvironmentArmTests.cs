using Robotics.Cli.Commands.RobotSim;
using Robotics.Sims.Environments;

namespace Robotics.Cli.Tests;

/// <summary>robot-sim's fault injection: the scene's injector acts on the simulated arm as the evaluator's does.</summary>
public class EnvironmentArmTests
{
    private static (bool Success, string? Fault) Episode(double failureRate, long seed)
    {
        var registration = EnvironmentRegistry.Get("tabletop-push");
        var environment = registration.Create();
        using var arm = new EnvironmentArm(environment, registration.CreateFailureInjector!(), failureRate, "stuck-actuator");
        var expert = registration.CreateExpert(environment);
        var frame = arm.Reset(seed, 0);
        expert.Reset(seed);
        bool success = frame.Success;
        while (!frame.Done)
        {
            frame = arm.Apply(expert.Act(frame.State));
            success |= frame.Success;
        }

        return (success, arm.Fault?.Kind);
    }

    [Fact]
    public void AStuckActuatorMakesTheExpertFailWhereItOtherwiseSucceeds()
    {
        var clean = Enumerable.Range(0, 4).Select(s => Episode(0, s)).ToArray();
        var faulted = Enumerable.Range(0, 4).Select(s => Episode(1, s)).ToArray();
        Assert.All(clean, e => Assert.Equal((true, (string?)null), e));
        Assert.All(faulted, e => Assert.Equal("stuck-actuator", e.Fault));
        Assert.True(faulted.Count(e => !e.Success) >= 2, string.Join(", ", faulted));
        Assert.Equal(faulted, Enumerable.Range(0, 4).Select(s => Episode(1, s)).ToArray()); // drawn from the seed
    }
}
