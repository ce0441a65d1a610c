using Robotics.Cli.Commands.Train;

namespace Robotics.Cli.Tests;

/// <summary>Goal-conditioned corpora (maze2d: one trajectory through many goals) are cut wherever the goal changes.</summary>
public sealed class GoalSegmentTests
{
    [Fact]
    public void An_episode_is_cut_at_every_goal_change_and_the_pieces_cover_it_exactly()
    {
        float[][] goals = [[1, 1], [1, 1], [1, 1], [3, 2], [3, 2], [1, 1], [1, 1], [1, 1], [9, 9]];
        // Rows 2..8 of the file: goals change at rows 3, 5 and 8.
        Assert.Equal([(2, 1), (3, 2), (5, 3), (8, 1)], D4rlEpisodeLoader.GoalSegments(2, 7, goals));
    }

    [Fact]
    public void Without_a_goal_column_the_episode_stays_whole()
    {
        Assert.Equal([(4, 10)], D4rlEpisodeLoader.GoalSegments(4, 10, null));
    }
}
