using System.Diagnostics;
using FFMpegCore;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Joins mp4 files without re-encoding, as lerobot's concatenate_video_files does: ffmpeg's concat
/// demuxer (an ffconcat list, safe = 0 for absolute paths) with stream copy and faststart. The video
/// streams are copied packet for packet; inputs must share codec, size and time base, which holds for the
/// files of one LeRobot camera (upstream skips the compatibility check for the same reason).
/// </summary>
internal static class LeRobotVideoConcat
{
    public static void Concatenate(IReadOnlyList<string> inputs, string output, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0)
            throw new ArgumentException("No input videos to concatenate.", nameof(inputs));
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        string list = output + ".ffconcat";
        // ffconcat quoting: a single quote inside a quoted path is written '\''.
        File.WriteAllLines(list, ["ffconcat version 1.0", .. inputs.Select(p => $"file '{Path.GetFullPath(p).Replace("'", "'\\''", StringComparison.Ordinal)}'")]);
        try
        {
            var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath(),
                $"-v error -nostdin -y -f concat -safe 0 -i \"{list}\" -map 0:v -c copy -movflags +faststart \"{output}\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
            using var kill = cancellationToken.Register(() =>
            {
                try
                {
                    process.Kill();
                }
                catch (InvalidOperationException)
                {
                }
            });
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            if (process.ExitCode != 0)
                throw new InvalidDataException($"{output}: ffmpeg could not concatenate {string.Join(", ", inputs)} (exit {process.ExitCode}): {errors.Result.Trim()}");
        }
        finally
        {
            File.Delete(list);
        }
    }
}
