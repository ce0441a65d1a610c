using System.Runtime.InteropServices;
using SkiaSharp;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Decodes the encoded images of LeRobot <c>image</c> features (PNG as datasets.Image embeds them, or
/// JPEG) into H x W x 3 uint8 RGB, as lerobot's loader does (PIL, converted to RGB), with SkiaSharp.
/// </summary>
public static class LeRobotImages
{
    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="destination"/> (H*W*3 bytes); throws when the size differs.</summary>
    public static void DecodeRgb(ReadOnlySpan<byte> encoded, int height, int width, Span<byte> destination)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException("not a PNG or JPEG image");
        if (codec.Info.Width != width || codec.Info.Height != height)
            throw new InvalidDataException($"image is {codec.Info.Height}x{codec.Info.Width}; info.json declares {height}x{width}");
        // No colour space on the destination: pixels come out as stored, as PIL gives them.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            var result = codec.GetPixels(info, handle.AddrOfPinnedObject());
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
                throw new InvalidDataException($"image cannot be decoded ({result})");
        }
        finally
        {
            handle.Free();
        }

        if (destination.Length != width * height * 3)
            throw new ArgumentException($"destination holds {destination.Length} bytes; an RGB {height}x{width} image needs {width * height * 3}.", nameof(destination));
        for (int p = 0, q = 0; p < rgba.Length; p += 4, q += 3)
        {
            destination[q] = rgba[p];
            destination[q + 1] = rgba[p + 1];
            destination[q + 2] = rgba[p + 2];
        }
    }

    /// <summary>Row <paramref name="row"/> of (N, H, W, 3) uint8 frames as datasets.Image's struct value: PNG bytes and no path.</summary>
    public static IDictionary<string, object?> EncodePng(Robotics.Core.Arrays.NdArray frames, long row)
    {
        int height = frames.Shape[1], width = frames.Shape[2];
        var rgba = new byte[width * height * 4];
        var rgb = frames.Data.AsSpan(checked((int)(row * width * height * 3)), width * height * 3);
        for (int p = 0, q = 0; q < rgb.Length; p += 4, q += 3)
        {
            rgba[p] = rgb[q];
            rgba[p + 1] = rgb[q + 1];
            rgba[p + 2] = rgb[q + 2];
            rgba[p + 3] = 255;
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var pixels = SKData.CreateCopy(rgba);
        using var image = SKImage.FromPixels(info, pixels, info.RowBytes) ?? throw new InvalidDataException("cannot wrap the frame as an image");
        using var png = image.Encode(SKEncodedImageFormat.Png, 100) ?? throw new InvalidDataException("PNG encoding failed");
        // Parquet.Net 6 stripes binary values as ReadOnlyMemory<byte>?.
        return new Dictionary<string, object?> { ["bytes"] = (ReadOnlyMemory<byte>?)png.ToArray(), ["path"] = null };
    }
}
