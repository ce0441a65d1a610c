namespace Robotics.Evaluation.Gate;

/// <summary>
/// One policy x environment x condition compared with its baseline: success now and then, the difference in
/// points, the posterior probability that the policy got worse, and whether that clears the gate's bar.
/// </summary>
public sealed record GateFinding(string Policy, string Environment, string Condition, int EpisodesNow, double RateNow,
    int EpisodesBaseline, double RateBaseline, double ProbabilityWorse, bool Regression)
{
    public double DifferencePoints => 100 * (RateNow - RateBaseline);
}
