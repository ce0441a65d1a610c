namespace Robotics.Sims.Environments;

/// <summary>
/// Per-step extras (Gymnasium's info): task success, named scalar diagnostics, and any MuJoCo
/// warnings raised during the step (never swallowed).
/// </summary>
public sealed record StepInfo(int TaskIndex, bool IsSuccess, IReadOnlyDictionary<string, double> Values, IReadOnlyList<string> Warnings)
{
    public static readonly IReadOnlyDictionary<string, double> NoValues = new Dictionary<string, double>();
}
