namespace Robotics.Detectors.Evaluation;

/// <summary>A two-sided interval (percentile bootstrap here); NaN bounds mean no resample gave a defined value.</summary>
public sealed record ConfidenceInterval(double Lower, double Upper);
