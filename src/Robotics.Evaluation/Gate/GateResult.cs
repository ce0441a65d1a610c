namespace Robotics.Evaluation.Gate;

/// <summary>The gate's verdict: every comparison made, the bar each had to clear, and what is missing from either side.</summary>
public sealed record GateResult(IReadOnlyList<GateFinding> Findings, double Bar, IReadOnlyList<string> MissingFromRun, IReadOnlyList<string> NewInRun)
{
    public bool Failed => Findings.Any(f => f.Regression);
}
