namespace Robotics.Control.Chunks;

/// <summary>
/// Planned actions by absolute step index. New chunks merge into the overlap with the configured rule; steps already
/// executed are dropped. Thread-safe: inference writes, the control clock reads.
/// </summary>
public sealed class ChunkBuffer(IChunkMergeRule rule)
{
    private readonly object _gate = new();
    private readonly SortedDictionary<long, float[]> _planned = new();

    public void Merge(long firstStep, float[][] actions, long currentStep)
    {
        lock (_gate)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                long step = firstStep + i;
                if (step < currentStep)
                    continue; // computed from an older observation: those steps are already executed
                _planned[step] = _planned.TryGetValue(step, out var planned) ? rule.Merge(planned, actions[i]) : actions[i];
            }
        }
    }

    /// <summary>The planned rows from <paramref name="step"/> on (contiguous), or an empty array when nothing is planned for it.</summary>
    public float[][] From(long step)
    {
        lock (_gate)
        {
            foreach (var old in _planned.Keys.Where(k => k < step).ToArray())
                _planned.Remove(old);
            var rows = new List<float[]>();
            for (long s = step; _planned.TryGetValue(s, out var row); s++)
                rows.Add(row);
            return rows.ToArray();
        }
    }

    public int PlannedAhead(long step)
    {
        lock (_gate)
            return _planned.Keys.Count(k => k >= step);
    }

    public void Clear()
    {
        lock (_gate)
            _planned.Clear();
    }
}
