namespace Robotics.Detectors.Sampling;

/// <summary>
/// The seeded generator behind every random choice in this library (conformal splits, task splits, bootstrap
/// resamples, k-means initialisation). SplitMix64 (Steele, Lea and Flood 2014) is used instead of
/// <see cref="System.Random"/> because its whole definition is three lines, so a split or an interval can be
/// reproduced bit for bit in any language from the seed alone, and it cannot change between .NET releases.
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(long seed) => _state = unchecked((ulong)seed);

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, bound), unbiased (rejection of the short last block).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var b = (ulong)bound;
        var limit = ulong.MaxValue - ulong.MaxValue % b;
        ulong x;
        do
            x = NextUInt64();
        while (x >= limit);
        return (int)(x % b);
    }

    /// <summary>
    /// Fisher-Yates shuffle in place, walking i from the end: swap item i with item NextInt(i + 1). Written out so the
    /// order of draws is part of the contract.
    /// </summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
