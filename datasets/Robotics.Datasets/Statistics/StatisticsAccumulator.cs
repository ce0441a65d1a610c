using Robotics.Core.Randomness;

namespace Robotics.Datasets.Statistics;

/// <summary>
/// One streaming pass over the rows of a feature: exact count, mean, std (Chan's merge of per-block
/// moments, in double), min and max; quantiles from a reservoir of at most <c>reservoirRows</c> rows
/// chosen uniformly with a seeded generator (exact when the feature has no more rows than that).
/// Memory is bounded by the reservoir, never by the corpus.
/// </summary>
public sealed class StatisticsAccumulator
{
    private readonly int _width;
    private readonly double[] _mean;
    private readonly double[] _m2;
    private readonly double[] _min;
    private readonly double[] _max;
    private float[] _reservoir;
    private readonly int _capacity;
    private readonly SplitMix64 _random;
    private int _stored;
    private double[]? _blockMean;
    private double[]? _blockM2;

    public StatisticsAccumulator(string key, IReadOnlyList<int> shape, int reservoirRows = 100_000, ulong seed = 0)
    {
        Key = key;
        Shape = shape;
        _width = Math.Max(1, shape.Aggregate(1, (a, b) => a * b));
        _mean = new double[_width];
        _m2 = new double[_width];
        _min = Enumerable.Repeat(double.PositiveInfinity, _width).ToArray();
        _max = Enumerable.Repeat(double.NegativeInfinity, _width).ToArray();
        _capacity = reservoirRows;
        // Grown as rows arrive (up to the capacity): a few rows of a wide camera feature must not
        // allocate reservoirRows of them up front.
        _reservoir = new float[(long)Math.Min(reservoirRows, 256) * _width];
        _random = new SplitMix64(seed ^ StableHash(key));
    }

    public string Key { get; }

    public IReadOnlyList<int> Shape { get; }

    public long Count { get; private set; }

    /// <summary>Adds rows given as float32, row-major (length = rows * width).</summary>
    public void Add(ReadOnlySpan<float> rows)
    {
        if (rows.Length % _width != 0)
            throw new ArgumentException($"'{Key}' rows have {_width} elements; got {rows.Length} values.");
        int n = rows.Length / _width;
        if (n == 0)
            return;
        // Wide rows (camera frames) reuse one pair of buffers rather than allocating two per block.
        Span<double> blockMean = _width <= 256 ? stackalloc double[_width] : (_blockMean ??= new double[_width]);
        Span<double> blockM2 = _width <= 256 ? stackalloc double[_width] : (_blockM2 ??= new double[_width]);
        blockMean.Clear();
        blockM2.Clear();
        for (int r = 0; r < n; r++)
        {
            var row = rows.Slice(r * _width, _width);
            for (int j = 0; j < _width; j++)
            {
                double x = row[j];
                double delta = x - blockMean[j];
                blockMean[j] += delta / (r + 1);
                blockM2[j] += delta * (x - blockMean[j]);
                if (x < _min[j])
                    _min[j] = x;
                if (x > _max[j])
                    _max[j] = x;
            }

            Sample(row, Count + r + 1);
        }

        long total = Count + n;
        for (int j = 0; j < _width; j++)
        {
            double delta = blockMean[j] - _mean[j];
            _m2[j] += blockM2[j] + delta * delta * Count * n / total;
            _mean[j] += delta * n / total;
        }

        Count = total;
    }

    public FeatureStatistics Result()
    {
        var std = new double[_width];
        for (int j = 0; j < _width; j++)
            std[j] = Count > 0 ? Math.Sqrt(_m2[j] / Count) : double.NaN;
        var q = new[] { 0.01, 0.10, 0.50, 0.90, 0.99 }.Select(Quantiles).ToArray();
        return new FeatureStatistics(Key, Shape, (double[])_mean.Clone(), std, Empty(_min), Empty(_max), q[0], q[1], q[2], q[3], q[4], Count);
    }

    private double[] Empty(double[] values) => Count == 0 ? Enumerable.Repeat(double.NaN, _width).ToArray() : (double[])values.Clone();

    // Algorithm R: the i-th row replaces a random slot with probability capacity / i.
    private void Sample(ReadOnlySpan<float> row, long seen)
    {
        int slot;
        if (_stored < _capacity)
        {
            slot = _stored++;
            if ((long)_stored * _width > _reservoir.Length)
                Array.Resize(ref _reservoir, checked((int)(Math.Min(_capacity, 2L * _stored) * _width)));
        }
        else
        {
            ulong pick = _random.NextUInt64() % (ulong)seen;
            if (pick >= (ulong)_capacity)
                return;
            slot = (int)pick;
        }

        row.CopyTo(_reservoir.AsSpan(checked(slot * _width), _width));
    }

    private double[] Quantiles(double p)
    {
        var result = new double[_width];
        if (_stored == 0)
            return Enumerable.Repeat(double.NaN, _width).ToArray();
        var column = new float[_stored];
        for (int j = 0; j < _width; j++)
        {
            for (int r = 0; r < _stored; r++)
                column[r] = _reservoir[r * _width + j];
            Array.Sort(column);
            // numpy's default (linear) quantile.
            double position = p * (_stored - 1);
            int lo = (int)Math.Floor(position);
            int hi = Math.Min(lo + 1, _stored - 1);
            result[j] = column[lo] + (column[hi] - column[lo]) * (position - lo);
        }

        return result;
    }

    private static ulong StableHash(string text)
    {
        ulong hash = 1469598103934665603UL;
        foreach (char c in text)
            hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }
}
