namespace Robotics.Core.Randomness;

/// <summary>
/// xoshiro256** (Blackman and Vigna) seeded through <see cref="SplitMix64"/>: the simulations' generator (long
/// streams, normals), fixed and documented so a seed gives the same trajectory on every .NET version and machine
/// (System.Random makes no such promise).
/// </summary>
public sealed class Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    public Xoshiro256(long seed)
    {
        var seeder = new SplitMix64(seed);
        _s0 = seeder.NextUInt64();
        _s1 = seeder.NextUInt64();
        _s2 = seeder.NextUInt64();
        _s3 = seeder.NextUInt64();
    }

    /// <summary>A child generator whose stream depends only on this one's seed and <paramref name="stream"/>.</summary>
    public static Xoshiro256 Derive(long seed, long stream) => new(unchecked((long)((ulong)seed * 0x2545F4914F6CDD1DUL + (ulong)stream * 0x9E3779B97F4A7C15UL + 1)));

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, n), without modulo bias.</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ulong bound = (ulong)n;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong r;
        do
            r = NextUInt64();
        while (r >= limit);
        return (int)(r % bound);
    }

    /// <summary>Standard normal by the polar Box-Muller method.</summary>
    public double Normal()
    {
        if (_spareNormal is double spare)
        {
            _spareNormal = null;
            return spare;
        }

        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * factor;
        return u * factor;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
