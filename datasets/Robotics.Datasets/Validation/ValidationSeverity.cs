namespace Robotics.Datasets.Validation;

public enum ValidationSeverity
{
    /// <summary>Unusual but loadable (e.g. a trailing unfinished episode).</summary>
    Warning,

    /// <summary>The reference loader would reject it or training would read garbage.</summary>
    Error,
}
