namespace Robotics.Evaluation.Plans;

/// <summary>A plan file that cannot be run; every error names its file and JSON path (e.g. <c>$.policies[1].kind</c>).</summary>
public sealed class SweepPlanException(string source, IReadOnlyList<string> errors)
    : Exception($"{source}: {errors.Count} problem(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
