using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Support;

/// <summary>
/// A camera corpus of any size without holding it: a (size, size, 3) uint8 camera, a 2-wide state, a 1-wide action,
/// rewards and a timeout every <paramref name="episodeLength"/> rows, each row made on demand from its index (smooth
/// gradients that move, so a video codec has something to encode). metadata/fps is 30.
/// </summary>
public sealed class SyntheticCameraSource(long rows, int episodeLength = 100, int size = 64) : ITrajectorySource
{
    public const string Camera = "infos/observation/images/front";

    private readonly ColumnInfo[] _columns =
    [
        new(D4rlKeys.Actions, DType.Float32, [1]),
        new(Camera, DType.UInt8, [size, size, 3]),
        new(D4rlKeys.Observations, DType.Float32, [2]),
        new(D4rlKeys.Rewards, DType.Float32, []),
        new(D4rlKeys.Terminals, DType.Bool, []),
        new(D4rlKeys.Timeouts, DType.Bool, []),
    ];

    public string Origin => $"synthetic camera ({rows} rows)";

    public long RowCount => rows;

    public IReadOnlyList<ColumnInfo> Columns => _columns;

    public IReadOnlyCollection<string> MetadataKeys => ["metadata/fps"];

    public MetadataValue? Metadata(string key) =>
        key == "metadata/fps" ? MetadataValue.FromArray(new NdArray(DType.Float64, [], BitConverter.GetBytes(30.0))) : null;

    public void ReadRows(string key, long start, int count, Span<byte> destination)
    {
        if (start < 0 || count < 0 || start + count > rows)
            throw new ArgumentOutOfRangeException(nameof(start), $"{Origin}: rows [{start}, {start + count}) of '{key}' are outside 0..{rows}.");
        for (int k = 0; k < count; k++)
        {
            long row = start + k;
            long t = row % episodeLength;
            switch (key)
            {
                case D4rlKeys.Actions: MemoryMarshal.Cast<byte, float>(destination)[k] = MathF.Sin(row * 0.1f); break;
                case D4rlKeys.Observations:
                    MemoryMarshal.Cast<byte, float>(destination)[2 * k] = row;
                    MemoryMarshal.Cast<byte, float>(destination)[2 * k + 1] = t;
                    break;
                case D4rlKeys.Rewards: MemoryMarshal.Cast<byte, float>(destination)[k] = t == episodeLength - 1 ? 1 : 0; break;
                case D4rlKeys.Terminals: destination[k] = 0; break;
                case D4rlKeys.Timeouts: destination[k] = t == episodeLength - 1 || row == rows - 1 ? (byte)1 : (byte)0; break;
                case Camera:
                    var frame = destination.Slice(k * size * size * 3, size * size * 3);
                    for (int y = 0; y < size; y++)
                    {
                        for (int x = 0; x < size; x++)
                        {
                            int p = (y * size + x) * 3;
                            frame[p] = (byte)(x * 4 + t);
                            frame[p + 1] = (byte)(y * 4);
                            frame[p + 2] = (byte)(row / episodeLength * 16);
                        }
                    }

                    break;
                default: throw new KeyNotFoundException($"{Origin}: no column '{key}'.");
            }
        }
    }

    public void Dispose()
    {
    }
}
