namespace Robotics.Statistics.Tests;

public sealed class NormalizedScoreTests
{
    [Fact]
    public void Normalises_each_episode_then_takes_the_t_interval()
    {
        // random = 10, expert = 110: returns 60, 70, 80 score 50, 60, 70; mean 60, s = 10,
        // t_{0.975,2} = 4.302653 (t table): half-width 4.302653 * 10 / sqrt(3) = 24.841.
        var (mean, interval) = NormalizedScore.Of([60, 70, 80], randomScore: 10, expertScore: 110);

        Assert.Equal(60, mean, 1e-12);
        Assert.Equal(60 - 24.84138, interval.Low, 0.0001);
        Assert.Equal(60 + 24.84138, interval.High, 0.0001);
    }

    [Fact]
    public void Random_level_scores_zero_and_expert_level_one_hundred_even_with_negative_rewards()
    {
        // Reward scale where the expert has the lower (less negative) cost: random -500, expert -100.
        var (atRandom, _) = NormalizedScore.Of([-500, -500], -500, -100);
        var (atExpert, _) = NormalizedScore.Of([-100, -100], -500, -100);
        var (halfway, _) = NormalizedScore.Of([-300], -500, -100);

        Assert.Equal(0, atRandom, 1e-12);
        Assert.Equal(100, atExpert, 1e-12);
        Assert.Equal(50, halfway, 1e-12);
        Assert.Equal("expertScore", Assert.Throws<ArgumentException>(() => NormalizedScore.Of([1], 5, 5)).ParamName);
    }
}
