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
}
