namespace Robotics.Core.Progress;

/// <summary>
/// A progress report from long work (generation, conversion, training, sweeps). Libraries report
/// through <see cref="IProgress{T}"/>; the command line renders it as a progress bar.
/// </summary>
public sealed record ProgressUpdate(string Stage, long Done, long? Total = null, string? Detail = null);
