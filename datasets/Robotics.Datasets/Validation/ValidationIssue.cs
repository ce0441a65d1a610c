namespace Robotics.Datasets.Validation;

/// <summary>One problem found in a dataset: where (file, key, row when it is about one row) and what.</summary>
public sealed record ValidationIssue(ValidationSeverity Severity, string File, string? Key, long? Row, string Message)
{
    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()}: {File}{(Key is null ? "" : $" [{Key}]")}{(Row is null ? "" : $" row {Row}")}: {Message}";
}
