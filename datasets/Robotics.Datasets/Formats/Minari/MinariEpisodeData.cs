using PureHDF;
using PureHDF.VOL.Native;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// Declares one episode's datasets of a Minari file (deferred: shape now, rows later) and queues what fills them,
/// reading the episode's rows from the source only when the queued fill runs, so the writer holds one episode's
/// column at a time.
/// </summary>
internal sealed class MinariEpisodeData(ITrajectorySource source, MinariWriteOptions options)
{
    public NdArray Rows(string key, long start, int count)
    {
        var info = source.Column(key);
        var data = new byte[(long)count * info.RowBytes];
        source.ReadRows(key, start, count, data);
        return new NdArray(info.DType, [count, .. info.RowShape], data);
    }

    /// <summary>A dataset of <paramref name="rows"/> rows of <paramref name="key"/>'s dtype and row shape, filled by <paramref name="make"/>.</summary>
    public H5Dataset Declare(List<Action<H5NativeWriter>> fill, string key, int rows, Func<NdArray> make)
    {
        var info = source.Column(key);
        var dataset = DeferredDatasets.Create(info.DType, rows, info.RowShape, key);
        fill.Add(writer =>
        {
            var array = make();
            if (array.Shape[0] != rows)
                throw new InvalidOperationException($"{source.Origin}: '{key}' gave {array.Shape[0]} rows for a dataset declared with {rows}.");
            DeferredDatasets.WriteRows(writer, dataset, info.RowShape, 0, rows, array.Data, key);
        });
        return dataset;
    }

    /// <summary>A bool dataset of an episode's flags (terminations, truncations); all false when the source has no such column.</summary>
    public H5Dataset DeclareFlags(List<Action<H5NativeWriter>> fill, string key, long start, int t)
    {
        var dataset = DeferredDatasets.Create(DType.Bool, t, [], key);
        fill.Add(writer =>
        {
            var flags = new byte[t];
            if (source.HasColumn(key))
            {
                var info = source.Column(key);
                var raw = new byte[(long)t * info.RowBytes];
                source.ReadRows(key, start, t, raw);
                var read = FlagReader.ToFlags(info.DType, raw, key);
                for (int i = 0; i < t; i++)
                    flags[i] = read[i] ? (byte)1 : (byte)0;
            }

            DeferredDatasets.WriteRows(writer, dataset, [], 0, t, flags, key);
        });
        return dataset;
    }

    /// <summary>
    /// One JPEG per row, stored as minari's writer stores it: a variable-length uint8 dataset, or a plain (rows, length)
    /// uint8 array when every frame has the same length (h5py's choice). Which one depends on the encoded lengths, so the
    /// episode's frames are encoded once here to learn them (and dropped) and again when the fill runs: twice the JPEG
    /// work for memory bounded by one episode.
    /// </summary>
    public H5Dataset DeclareJpeg(List<Action<H5NativeWriter>> fill, string key, Func<NdArray> frames)
    {
        var first = Encode(frames());
        int rows = first.Length;
        if (rows > 0 && first.All(e => e.Length == first[0].Length))
        {
            int length = first[0].Length;
            var fixedLength = DeferredDatasets.Create(DType.UInt8, rows, [length], key);
            fill.Add(writer =>
            {
                var encoded = Encode(frames());
                if (encoded.Any(e => e.Length != length))
                    throw new InvalidOperationException($"{source.Origin}: '{key}' encoded to other JPEG lengths on the second pass.");
                DeferredDatasets.WriteRows(writer, fixedLength, [length], 0, rows, encoded.SelectMany(e => e).ToArray(), key);
            });
            return fixedLength;
        }

        var variable = new H5Dataset<byte[][]>(fileDims: [(ulong)rows]);
        fill.Add(writer => writer.Write(variable, Encode(frames())));
        return variable;
    }

    private byte[][] Encode(NdArray frames)
    {
        int rows = frames.Shape[0];
        int height = frames.Shape[1], width = frames.Shape[2], channels = frames.Shape.Length == 4 ? frames.Shape[3] : 1;
        int frameBytes = height * width * channels;
        var encoded = new byte[rows][];
        for (int r = 0; r < rows; r++)
            encoded[r] = MinariJpeg.Encode(frames.Data.AsSpan(r * frameBytes, frameBytes), height, width, channels, options.JpegQuality);
        return encoded;
    }
}
