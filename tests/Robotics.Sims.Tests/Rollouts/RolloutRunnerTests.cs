using Robotics.Sims.Failures;
using Robotics.Sims.Rollouts;
using Xunit.Abstractions;

namespace Robotics.Sims.Tests.Rollouts;

public sealed class RolloutRunnerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pushing_expert_succeeds_on_at_least_95_percent_of_noise_free_episodes()
    {
        var episodes = await RolloutRunner.RunAsync(new RolloutRequest("tabletop-push", 48, Seed: 2026, Tasks: Enumerable.Range(0, 12).ToArray(), Workers: 2));
        double rate = episodes.Count(e => e.Success) / (double)episodes.Count;
        output.WriteLine($"tabletop-push expert, no noise: {episodes.Count(e => e.Success)}/{episodes.Count} = {rate:P1}, mean length {episodes.Average(e => e.Length):0.0} steps");
        Assert.True(rate >= 0.95, $"expert success {rate:P1} < 95%");
        Assert.All(episodes, e => Assert.Equal(e.Length, e.Actions.Length));
        Assert.All(episodes, e => Assert.Equal(e.Success, e.Terminated));
        Assert.Equal(12, episodes.Select(e => e.TaskIndex).Distinct().Count());
    }

    [Fact]
    public async Task Results_do_not_depend_on_the_number_of_workers()
    {
        var request = new RolloutRequest("tabletop-push", 10, Seed: 5, NoiseStd: 0.2, FailureRate: 0.5, Workers: 1);
        var one = await RolloutRunner.RunAsync(request);
        var two = await RolloutRunner.RunAsync(request with { Workers = 2 });
        Assert.Equal(one.Select(e => (e.Seed, e.TaskIndex, e.Length, e.Success, e.FailureKind)), two.Select(e => (e.Seed, e.TaskIndex, e.Length, e.Success, e.FailureKind)));
        for (int i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].Observations, two[i].Observations);
            Assert.Equal(one[i].Actions, two[i].Actions);
        }

        var other = await RolloutRunner.RunAsync(request with { Seed = 6 });
        Assert.NotEqual(one[0].Observations[0], other[0].Observations[0]);
    }

    [Theory]
    [InlineData(TabletopFailureInjector.WeakActuator, 0.5)]
    [InlineData(TabletopFailureInjector.StuckActuator, 0.5)]
    [InlineData(TabletopFailureInjector.WrongTarget, 0.7)]
    [InlineData(TabletopFailureInjector.Shove, 0.85)]
    public async Task Injected_faults_cause_real_failures_and_are_labelled(string kind, double maxSuccess)
    {
        var episodes = await RolloutRunner.RunAsync(new RolloutRequest("tabletop-push", 24, Seed: 77, FailureRate: 1.0, FailureKinds: [kind], Workers: 2));
        double rate = episodes.Count(e => e.Success) / (double)episodes.Count;
        output.WriteLine($"{kind}: success {rate:P0} over {episodes.Count} episodes");
        Assert.All(episodes, e => Assert.Equal(kind, e.FailureKind));
        Assert.True(rate <= maxSuccess, $"{kind}: {rate:P0} still succeed");
        // Failures are decided by the physics, so a failed episode ran to the time limit.
        Assert.All(episodes.Where(e => !e.Success), e => Assert.True(e.Truncated && e.Length == 200));
    }

    [Fact]
    public async Task Failure_rate_mixes_clean_and_faulty_episodes()
    {
        var episodes = await RolloutRunner.RunAsync(new RolloutRequest("tabletop-push", 40, Seed: 3, FailureRate: 0.5, Workers: 2, RecordSteps: false));
        int faulty = episodes.Count(e => e.Failure is not null);
        Assert.InRange(faulty, 10, 30);
        Assert.True(episodes.Where(e => e.Failure is null).All(e => e.Success));
        Assert.Contains(episodes, e => !e.Success);
        Assert.All(episodes, e => Assert.Empty(e.Observations));
    }

    [Fact]
    public async Task Bad_requests_are_refused_up_front()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => RolloutRunner.RunAsync(new RolloutRequest("maze2d-umaze", 2, FailureRate: 0.5)));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => RolloutRunner.RunAsync(new RolloutRequest("tabletop-push", 2, FailureKinds: ["meteor"])));
        Assert.Contains("meteor", unknown.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => RolloutRunner.RunAsync(new RolloutRequest("tabletop-push", 0)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => RolloutRunner.RunAsync(new RolloutRequest("cartpole", 1)));
    }

    [Fact]
    public async Task Cancellation_stops_the_workers()
    {
        using var cts = new CancellationTokenSource();
        var progress = new Progress<Robotics.Core.Progress.ProgressUpdate>(_ => cts.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RolloutRunner.RunAsync(new RolloutRequest("maze2d-large", 200, Workers: 2), progress, cts.Token));
    }
}
