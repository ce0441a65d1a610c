namespace Robotics.Policies.Data;

/// <summary>
/// Training windows on demand. <see cref="Sample"/> must be a pure function of (its seed, step, batch size) so
/// that a resumed run draws exactly the batches the uninterrupted run would have drawn.
/// </summary>
public interface ITrainingBatchSource
{
    /// <summary>Number of distinct windows (for reporting).</summary>
    long WindowCount { get; }

    RawBatch Sample(long step, int batchSize);
}
