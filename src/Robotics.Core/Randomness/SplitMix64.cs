namespace Robotics.Core.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the seeding
/// generator of Vigna's xoshiro family): the one seeded source behind every random choice of the datasets,
/// statistics, detectors and policies libraries (training windows, reservoirs, episode splits, bootstrap resamples,
/// k-means seeds) and the seeder of <see cref="Xoshiro256"/> for the simulations. Used instead of
/// <see cref="Random"/> because its whole definition is three lines, so a sample, a split or an interval can be
/// reproduced bit for bit in any language from the seed alone, and it cannot change between .NET releases. The
/// order of draws of each method is part of the contract.
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public SplitMix64(long seed) => _state = unchecked((ulong)seed);

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// A uniform index in [0, <paramref name="exclusiveMax"/>) by the high word of a 64x64-bit product
    /// (Lemire's multiply-shift); the bias is below exclusiveMax / 2^64, far beneath any sampling error.
    /// </summary>
    public int NextIndex(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        return (int)Math.BigMul(NextUInt64(), (ulong)exclusiveMax, out _);
    }

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

    /// <summary>Uniform in [0, bound) by one modulo: a bias below bound / 2^64, nothing for row counts of corpora.</summary>
    public long NextLong(long bound) => bound <= 0 ? throw new ArgumentOutOfRangeException(nameof(bound)) : (long)(NextUInt64() % (ulong)bound);

    /// <summary>Fisher-Yates shuffle in place, walking i from the end: swap item i with item NextInt(i + 1).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Mixes two values into an independent seed (for per-batch and per-stream generators).</summary>
    public static ulong Mix(ulong a, ulong b) => new SplitMix64(a ^ (b * 0xD1B54A32D192ED03UL)).NextUInt64();
}
