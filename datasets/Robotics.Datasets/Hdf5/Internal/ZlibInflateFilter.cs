using System.IO.Compression;
using System.Runtime.InteropServices;
using PureHDF.Filters;

namespace Robotics.Datasets.Hdf5.Internal;

/// <summary>
/// HDF5's deflate filter (id 1) with a leaner inflate: each chunk is inflated straight into one
/// buffer of the known chunk size (no growing intermediate stream). Compression and the stored
/// parameters are PureHDF's own filter, unchanged, so files stay byte-compatible with h5py.
/// </summary>
internal sealed class ZlibInflateFilter : IH5Filter
{
    private static readonly DeflateFilter Reference = new();
    private static int _registered;

    public ushort FilterId => DeflateFilter.Id;

    public string Name => "deflate";

    /// <summary>Registers the filter once per process (PureHDF keeps one filter per id).</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            H5Filter.Register(new ZlibInflateFilter());
    }

    public Memory<byte> Filter(FilterInfo info)
    {
        if (!info.Flags.HasFlag(H5FilterFlags.Decompress))
            return Reference.Filter(info);
        byte[] source = MemoryMarshal.TryGetArray<byte>(info.Buffer, out var segment) && segment.Array is not null
            ? segment.Array
            : info.Buffer.ToArray();
        int offset = segment.Array is not null ? segment.Offset : 0;
        int length = segment.Array is not null ? segment.Count : source.Length;
        var target = GC.AllocateUninitializedArray<byte>(info.ChunkSize);
        using var input = new MemoryStream(source, offset, length, writable: false);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        int read = zlib.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
        if (read != target.Length)
            throw new InvalidDataException($"a deflate chunk inflated to {read} bytes, expected {target.Length}; the file is truncated or corrupt");
        return target;
    }

    public uint[] GetParameters(uint[] chunkDimensions, uint typeSize, Dictionary<string, object>? options) =>
        Reference.GetParameters(chunkDimensions, typeSize, options);
}
