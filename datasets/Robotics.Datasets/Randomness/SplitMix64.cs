namespace Robotics.Datasets.Randomness;

/// <summary>
/// A tiny seeded generator (SplitMix64) whose sequence is fixed by this code, not by the runtime's
/// Random implementation, so samples and reservoirs are identical across .NET versions and machines.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound) without modulo bias worth noticing for bounds far below 2^64.</summary>
    public long NextLong(long bound) => bound <= 0 ? throw new ArgumentOutOfRangeException(nameof(bound)) : (long)(Next() % (ulong)bound);

    /// <summary>Mixes two values into an independent seed (for per-batch streams).</summary>
    public static ulong Mix(ulong a, ulong b) => new SplitMix64(a ^ (b * 0xD1B54A32D192ED03UL)).Next();
}
