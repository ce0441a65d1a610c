namespace Robotics.Detectors.Evaluation;

/// <summary>
/// How a detector does at one fixed threshold (the conformal band): failures are the positive class, an alarm at any
/// call is a positive prediction. Rates with an empty denominator are NaN rather than 0 so that a split without
/// failures cannot look like a perfect or a useless detector; F1 is 0 when nothing is predicted and nothing is right.
/// <see cref="MeanDetectionTime"/> is the mean, over true failures, of first-alarm step / episode length, with a
/// missed failure counted as 1.0 (SAFE's definition, which rewards early and penalises missed alarms together).
/// </summary>
public sealed record ThresholdMetrics(
    int TruePositives,
    int FalsePositives,
    int TrueNegatives,
    int FalseNegatives,
    double Tpr,
    double Tnr,
    double Accuracy,
    double BalancedAccuracy,
    double F1,
    double MeanDetectionTime);
