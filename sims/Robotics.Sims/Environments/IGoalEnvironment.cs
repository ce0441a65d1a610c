namespace Robotics.Sims.Environments;

/// <summary>
/// An environment whose episodes have an explicit goal that is not part of the observation (maze2d's target). A
/// goal-conditioned policy sees [observation, goal], as its training data did ([observations, infos/goal]).
/// </summary>
public interface IGoalEnvironment
{
    /// <summary>The current episode's goal, in the layout the dataset's <c>infos/goal</c> uses.</summary>
    float[] Goal { get; }
}
