using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FFMpegCore;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Decodes LeRobot video features (AV1, H.264, HEVC mp4s as lerobot writes them) into RGB24 frames at
/// the rows' timestamps, with Debian's ffmpeg through FFMpegCore. Matching follows lerobot's
/// decode_video_frames: each query takes the decoded frame whose presentation time is closest, and a
/// query farther than tolerance_s from every frame is an error (FrameTimestampError upstream), never
/// skipped. A file is decoded once, front to back, for all the queries that fall in it.
/// </summary>
public static class LeRobotVideo
{
    /// <summary>
    /// The video stream of a file: size, codec, every frame's presentation time in seconds, ascending, and
    /// the duration as lerobot's get_video_duration_in_s takes it (stream duration, else the container's).
    /// </summary>
    public sealed record StreamInfo(int Width, int Height, string Codec, double[] FrameTimes, double Duration);

    public static StreamInfo Probe(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: video file missing", path);
        // Packet timestamps need no decoding; every packet of these streams is one frame, so the sorted
        // packet pts are the frames' presentation times (pyav reports frame.pts * time_base, the same).
        string json = RunProbe($"-v error -select_streams v:0 -show_entries stream=width,height,codec_name,time_base,duration_ts:format=duration:packet=pts -of json \"{path}\"");
        var root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{path}: ffprobe printed no JSON");
        var stream = (root["streams"] as JsonArray)?.FirstOrDefault() as JsonObject ?? throw new InvalidDataException($"{path}: no video stream");
        string[] timeBase = (stream["time_base"]?.GetValue<string>() ?? "1/1").Split('/');
        double num = double.Parse(timeBase[0], CultureInfo.InvariantCulture), den = double.Parse(timeBase[1], CultureInfo.InvariantCulture);
        var times = (root["packets"] as JsonArray ?? [])
            .Select(p => p?["pts"]?.GetValue<long>())
            .Where(p => p is not null)
            .Select(p => p!.Value * num / den)
            .Order()
            .ToArray();
        double duration = stream["duration_ts"] is JsonValue ticks && ticks.TryGetValue(out long t) ? t * num / den
            : double.TryParse(root["format"]?["duration"]?.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) ? seconds : double.NaN;
        return new StreamInfo(stream["width"]!.GetValue<int>(), stream["height"]!.GetValue<int>(), stream["codec_name"]?.GetValue<string>() ?? "?", times, duration);
    }

    /// <summary>
    /// For each query time, the index of the closest frame; throws <see cref="InvalidDataException"/>
    /// naming the query when the closest is farther than <paramref name="toleranceS"/>.
    /// </summary>
    public static int[] Match(IReadOnlyList<double> frameTimes, IReadOnlyList<double> queries, double toleranceS, string origin)
    {
        if (frameTimes.Count == 0)
            throw new InvalidDataException($"{origin}: the video has no frames");
        var result = new int[queries.Count];
        var times = frameTimes as double[] ?? frameTimes.ToArray();
        for (int q = 0; q < queries.Count; q++)
        {
            int k = Array.BinarySearch(times, queries[q]);
            if (k < 0)
            {
                k = ~k;
                if (k == times.Length || (k > 0 && queries[q] - times[k - 1] <= times[k] - queries[q]))
                    k--;
            }

            double distance = Math.Abs(times[k] - queries[q]);
            if (distance > toleranceS)
                throw new InvalidDataException(
                    $"{origin}: query timestamp {queries[q].ToString("R", CultureInfo.InvariantCulture)} s is {distance.ToString("G4", CultureInfo.InvariantCulture)} s from the closest frame " +
                    $"({times[k].ToString("R", CultureInfo.InvariantCulture)} s), beyond tolerance_s = {toleranceS.ToString("R", CultureInfo.InvariantCulture)} (lerobot raises FrameTimestampError)");
            result[q] = k;
        }

        return result;
    }

    /// <summary>
    /// Decodes <paramref name="path"/> front to back as RGB24 and hands every frame whose index is in
    /// <paramref name="wanted"/> to <paramref name="onFrame"/> (frame index, H*W*3 bytes, valid only during the call).
    /// </summary>
    public static void Decode(string path, StreamInfo stream, IReadOnlySet<int> wanted, Action<int, ReadOnlyMemory<byte>> onFrame, CancellationToken cancellationToken = default)
    {
        using var frames = new LeRobotFrameStream(path, stream, cancellationToken);
        while (frames.Next())
        {
            if (wanted.Contains(frames.Position - 1))
                onFrame(frames.Position - 1, frames.Frame);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The ffprobe of the FFMpegCore configuration (Debian's, on PATH by default).</summary>
    internal static string RunProbe(string arguments)
    {
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFProbeBinaryPath(), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffprobe did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidDataException($"ffprobe {arguments} failed: {stderr.Result.Trim()}");
        return output;
    }
}
