using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using Robotics.Core.Arrays;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Encodes (N, H, W, 3) uint8 frames into an mp4 as lerobot's encode_video_frames does: libsvtav1,
/// yuv420p, g=2, crf=30, preset 12 (h264 with the same GOP and crf when the ffmpeg at hand has no
/// libsvtav1), frame k at k / fps. FFMpegCore builds the command and finds the binary; frames are fed
/// on ffmpeg's stdin.
/// </summary>
public static class LeRobotVideoEncoder
{
    private static readonly Lazy<bool> HasSvtAv1 = new(() =>
    {
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath(), "-hide_banner -encoders") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text.Contains(" libsvtav1 ", StringComparison.Ordinal);
    });

    /// <summary>The codec name info.json records ("av1" or "h264").</summary>
    public static string Codec => HasSvtAv1.Value ? "av1" : "h264";

    public static void Encode(string path, NdArray frames, double fps, CancellationToken cancellationToken = default) =>
        Encode(path, frames, 0, frames.Shape[0], fps, cancellationToken);

    /// <summary>Encodes rows <paramref name="firstRow"/> .. firstRow + count of <paramref name="frames"/> (one episode, as lerobot encodes one file per episode).</summary>
    public static void Encode(string path, NdArray frames, long firstRow, int count, double fps, CancellationToken cancellationToken = default)
    {
        int n = count, height = frames.Shape[1], width = frames.Shape[2];
        string rate = fps.ToString("R", CultureInfo.InvariantCulture);
        string codec = HasSvtAv1.Value ? "-c:v libsvtav1 -pix_fmt yuv420p -g 2 -crf 30 -preset 12" : "-c:v libx264 -pix_fmt yuv420p -g 2 -crf 30";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string arguments = FFMpegArguments
            .FromFileInput("pipe:0", verifyExists: false, options => options
                .ForceFormat("rawvideo")
                .WithCustomArgument($"-pix_fmt rgb24 -s {width}x{height} -r {rate}"))
            .OutputToFile(path, overwrite: true, options => options.WithCustomArgument($"{codec} -an"))
            .Arguments;
        var startInfo = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath(), "-v error " + arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("ffmpeg did not start");
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        int frameBytes = height * width * 3;
        var input = process.StandardInput.BaseStream;
        try
        {
            for (int k = 0; k < n; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                input.Write(frames.Data, checked((int)((firstRow + k) * frameBytes)), frameBytes);
            }
        }
        finally
        {
            input.Close();
            process.WaitForExit();
        }

        if (process.ExitCode != 0)
            throw new InvalidDataException($"{path}: ffmpeg could not encode the frames (exit {process.ExitCode}): {errors.Result.Trim()}");
    }
}
