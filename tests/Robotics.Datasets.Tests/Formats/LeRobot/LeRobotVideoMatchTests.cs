using Robotics.Datasets.Formats.LeRobot;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>Frame matching as lerobot's decode_video_frames does it: closest frame, tolerance_s = 1e-4, never a silent skip.</summary>
public sealed class LeRobotVideoMatchTests
{
    private static readonly double[] Frames = Enumerable.Range(0, 30).Select(k => k / 30.0).ToArray();

    [Fact]
    public void Each_query_takes_the_closest_frame_within_tolerance()
    {
        double[] queries = [0, 1 / 30.0 + 5e-5, 0.5 - 9e-5, 29 / 30.0];
        Assert.Equal([0, 1, 15, 29], LeRobotVideo.Match(Frames, queries, LeRobotReadOptions.DefaultToleranceS, "v.mp4"));
    }

    [Fact]
    public void A_query_beyond_tolerance_is_an_error_naming_the_file_and_time()
    {
        var e = Assert.Throws<InvalidDataException>(() => LeRobotVideo.Match(Frames, [0.5 + 2e-4], LeRobotReadOptions.DefaultToleranceS, "v.mp4"));
        Assert.Contains("v.mp4", e.Message);
        Assert.Contains("tolerance", e.Message);
        // A query past the end of the video is not clamped to the last frame either.
        Assert.Throws<InvalidDataException>(() => LeRobotVideo.Match(Frames, [1.0], LeRobotReadOptions.DefaultToleranceS, "v.mp4"));
    }
}
