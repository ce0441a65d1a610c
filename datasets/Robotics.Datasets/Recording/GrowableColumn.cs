using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Recording;

/// <summary>An append-only column of fixed-size rows, grown by doubling, turned into an <see cref="NdArray"/> at the end.</summary>
internal sealed class GrowableColumn(string key, DType dtype, int[] rowShape)
{
    private byte[] _data = new byte[Math.Max(64, rowShape.Aggregate(1, (a, b) => a * b) * dtype.ByteSize() * 256)];

    public string Key { get; } = key;

    public DType DType { get; } = dtype;

    public int[] RowShape { get; } = rowShape;

    public int RowBytes { get; } = rowShape.Aggregate(1, (a, b) => a * b) * dtype.ByteSize();

    public int Rows { get; private set; }

    public void Append<T>(ReadOnlySpan<T> row) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(row);
        if (bytes.Length != RowBytes)
            throw new ArgumentException($"'{Key}' rows hold {RowBytes / DType.ByteSize()} {DType.ToNumpy()} values ([{string.Join(", ", RowShape)}]); got {bytes.Length / Math.Max(1, DType.ByteSize())}.");
        EnsureCapacity((long)(Rows + 1) * RowBytes);
        bytes.CopyTo(_data.AsSpan(Rows * RowBytes));
        Rows++;
    }

    /// <summary>Overwrites row <paramref name="row"/> (used to set flags on an episode's last row).</summary>
    public void Set<T>(int row, T value) where T : unmanaged =>
        MemoryMarshal.Write(_data.AsSpan(row * RowBytes, RowBytes), in value);

    public T Get<T>(int row) where T : unmanaged => MemoryMarshal.Read<T>(_data.AsSpan(row * RowBytes, RowBytes));

    public NdArray ToArray() => new(DType, [Rows, .. RowShape], _data.AsSpan(0, Rows * RowBytes).ToArray());

    private void EnsureCapacity(long bytes)
    {
        if (bytes <= _data.Length)
            return;
        long size = Math.Max(bytes, (long)_data.Length * 2);
        Array.Resize(ref _data, checked((int)Math.Min(size, Array.MaxLength)));
    }
}
