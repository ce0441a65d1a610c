namespace Robotics.Policies.Benchmarks;

/// <summary>One measured variant: median and 10th/90th percentile batch-1 chunk latency, training throughput, sizes.</summary>
public sealed record PolicyBenchmarkResult(string Variant, double MedianMs, double P10Ms, double P90Ms, double TrainSamplesPerSecond, long TotalParameters, long ActiveParameters);
