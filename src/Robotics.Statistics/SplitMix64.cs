namespace Robotics.Statistics;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014;
/// the seeding generator of Vigna's xoshiro family). Used instead of <see cref="Random"/> so that a
/// bootstrap with a given 64-bit seed draws the same resamples on every .NET version and platform:
/// the algorithm is fixed here, not an implementation detail of the runtime.
/// </summary>
internal sealed class SplitMix64(long seed)
{
    private ulong _state = unchecked((ulong)seed);

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

    /// <summary>
    /// A uniform index in [0, <paramref name="exclusiveMax"/>) by the high word of a 64x64-bit product
    /// (Lemire's multiply-shift); the bias is below exclusiveMax / 2^64, far beneath any sampling error.
    /// </summary>
    public int NextIndex(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        return (int)Math.BigMul(NextUInt64(), (ulong)exclusiveMax, out _);
    }
}
