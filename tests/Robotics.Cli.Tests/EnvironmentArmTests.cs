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

    [Fact]
    public void EachEpisodeIsAnnouncedWithTheFaultItGetsAndTheLogLineReadsBack()
    {
        var registration = EnvironmentRegistry.Get("tabletop-push-fixed");
        var started = new List<ArmEpisode>();
        var faults = new List<string?>();
        using (var arm = new EnvironmentArm(registration.Create(), registration.CreateFailureInjector!(), 0.5, episodeStarted: started.Add))
        {
            for (long seed = 100; seed < 120; seed++)
            {
                arm.Reset(seed, (int)(seed % 3));
                faults.Add(arm.Fault?.ToString());
            }
        }

        Assert.Equal(Enumerable.Range(100, 20).Select(s => (long)s), started.Select(e => e.Seed));
        Assert.Equal(faults, started.Select(e => e.Fault?.ToString()));
        Assert.Equal(started.Select(e => e.Seed % 3), started.Select(e => (long)e.Task));
        Assert.InRange(started.Count(e => e.Fault is not null), 4, 16); // about half at rate 0.5
        foreach (var e in started)
        {
            string line = System.Text.Json.JsonSerializer.Serialize(e, RobotSimCommand.ArmEpisodeJson);
            Assert.Contains(e.Fault is null ? "\"fault\":null" : "\"start_step\":", line);
            Assert.Equal(e, System.Text.Json.JsonSerializer.Deserialize<ArmEpisode>(line, RobotSimCommand.ArmEpisodeJson));
        }
    }
}
