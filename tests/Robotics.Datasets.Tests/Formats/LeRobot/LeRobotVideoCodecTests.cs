using System.Diagnostics;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Tests.Support;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>
/// The codecs LeRobot datasets come in (AV1 by default, H.264 and HEVC from older recordings and
/// hardware encoders), encoded here by the ffmpeg command line with lerobot's GOP (g=2) and crf:
/// frame times, timestamp matching and decoded pixels against the ffmpeg CLI's own decode.
/// </summary>
public sealed class LeRobotVideoCodecTests
{
    [Theory]
    [InlineData("libsvtav1", "-preset 12")]
    [InlineData("libx264", "")]
    [InlineData("libx265", "-x265-params log-level=none")]
    public void Frames_are_found_at_k_over_fps_and_decode_as_the_ffmpeg_cli_decodes_them(string encoder, string extra)
    {
        using var dir = new TempDir();
        string video = dir.File($"{encoder}.mp4");
        const int fps = 30, frames = 12;
        var encode = Process.Start(new ProcessStartInfo("ffmpeg",
            $"-v error -y -f lavfi -i testsrc2=size=96x64:rate={fps} -frames:v {frames} -c:v {encoder} -pix_fmt yuv420p -g 2 -crf 30 {extra} \"{video}\"")
            { RedirectStandardError = true })!;
        string errors = encode.StandardError.ReadToEnd();
        encode.WaitForExit();
        Assert.True(encode.ExitCode == 0, $"{encoder}: {errors}");

        var stream = LeRobotVideo.Probe(video);
        Assert.Equal((96, 64), (stream.Width, stream.Height));
        Assert.Equal(frames, stream.FrameTimes.Length);
        // lerobot queries frame_index / fps (float32 timestamps); each must land on its own frame.
        double[] queries = Enumerable.Range(0, frames).Select(k => (double)(float)((double)k / fps)).ToArray();
        Assert.Equal(Enumerable.Range(0, frames), LeRobotVideo.Match(stream.FrameTimes, queries, LeRobotReadOptions.DefaultToleranceS, video));

        var reference = FfmpegCli.DecodeAll(video, 96, 64);
        var decoded = new Dictionary<int, byte[]>();
        LeRobotVideo.Decode(video, stream, Enumerable.Range(0, frames).Where(k => k % 3 != 1).ToHashSet(), (k, pixels) => decoded[k] = pixels.ToArray());
        Assert.Equal(Enumerable.Range(0, frames).Where(k => k % 3 != 1), decoded.Keys.Order());
        foreach (var (k, pixels) in decoded)
            Assert.True(reference[k].AsSpan().SequenceEqual(pixels), $"{encoder}: frame {k} differs from the CLI's");
    }
}
