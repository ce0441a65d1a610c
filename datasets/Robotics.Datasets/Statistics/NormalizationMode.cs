namespace Robotics.Datasets.Statistics;

/// <summary>How a policy maps a feature to network scale using <see cref="FeatureStatistics"/>.</summary>
public enum NormalizationMode
{
    Identity,
    MeanStd,
    MinMax,
    Quantile,
}
