using System.Runtime.InteropServices;
using Robotics.Datasets.Trajectories;
using SkiaSharp;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// JPEG frames as Minari's HDF5 storage writes image observations (PIL, one JPEG per row). Decoded
/// with SkiaSharp (libjpeg-turbo) to what PIL's np.array(Image.open(...)) gives: (H, W, 3) uint8 for
/// colour, (H, W) for greyscale.
/// </summary>
internal static class MinariJpeg
{
    public static bool LooksLikeJpeg(ReadOnlySpan<byte> bytes) => bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;

    /// <summary>
    /// Encodes one (H, W) greyscale or (H, W, 3) colour uint8 frame as a JPEG (baseline, the given quality;
    /// PIL's default, which minari's encode_frame uses, is 75).
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int height, int width, int channels, int quality)
    {
        if (channels is not (1 or 3) || pixels.Length != height * width * channels)
            throw new ArgumentException($"a JPEG frame is (H, W) or (H, W, 3) uint8; got {pixels.Length} bytes for {height} x {width} x {channels}");
        byte[] source;
        SKImageInfo info;
        if (channels == 1)
        {
            source = pixels.ToArray();
            info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        }
        else
        {
            source = new byte[height * width * 4];
            for (int i = 0; i < height * width; i++)
            {
                source[4 * i] = pixels[3 * i];
                source[4 * i + 1] = pixels[3 * i + 1];
                source[4 * i + 2] = pixels[3 * i + 2];
                source[4 * i + 3] = 255;
            }

            info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        }

        using var image = SKImage.FromPixelCopy(info, source) ?? throw new InvalidOperationException("SkiaSharp could not wrap the frame");
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality) ?? throw new InvalidOperationException("SkiaSharp could not encode the frame as JPEG");
        return data.ToArray();
    }

    /// <summary>Decodes one frame; errors name the file, key and row.</summary>
    public static (byte[] Pixels, int[] Shape) Decode(byte[] bytes, string origin, string key, int row)
    {
        if (!LooksLikeJpeg(bytes))
            throw new DatasetFormatException(origin, key, $"row {row}: not a JPEG frame (starts {Convert.ToHexString(bytes.AsSpan(0, Math.Min(4, bytes.Length)))}, a JPEG starts FFD8FF)");
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new DatasetFormatException(origin, key, $"row {row}: the JPEG frame cannot be decoded");
        var source = codec.Info;
        bool grey = source.ColorType == SKColorType.Gray8;
        var target = new SKImageInfo(source.Width, source.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var decoded = new byte[target.BytesSize];
        var handle = GCHandle.Alloc(decoded, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(target, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }

        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new DatasetFormatException(origin, key, $"row {row}: the JPEG frame cannot be decoded ({result})");
        if (result == SKCodecResult.IncompleteInput)
            throw new DatasetFormatException(origin, key, $"row {row}: the JPEG frame is truncated");
        if (grey)
            return (decoded, [source.Height, source.Width]);

        // RGBA -> RGB, as PIL gives for a colour JPEG.
        int pixels = source.Width * source.Height;
        var rgb = new byte[pixels * 3];
        for (int i = 0; i < pixels; i++)
        {
            rgb[3 * i] = decoded[4 * i];
            rgb[3 * i + 1] = decoded[4 * i + 1];
            rgb[3 * i + 2] = decoded[4 * i + 2];
        }

        return (rgb, [source.Height, source.Width, 3]);
    }
}
