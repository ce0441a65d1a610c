namespace Robotics.Datasets.Validation;

/// <summary>Every issue found; the dataset is valid when none is an error.</summary>
public sealed record ValidationReport(string File, long Rows, int Episodes, IReadOnlyList<ValidationIssue> Issues)
{
    public bool IsValid => Issues.All(i => i.Severity != ValidationSeverity.Error);

    public int ErrorCount => Issues.Count(i => i.Severity == ValidationSeverity.Error);

    public int WarningCount => Issues.Count(i => i.Severity == ValidationSeverity.Warning);
}
