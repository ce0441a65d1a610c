using System.Security.Cryptography;
using System.Text.Json;
using Robotics.Core.Arrays;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Where the decoded frames of a video feature came from, left by the reader under
/// <see cref="MetadataPrefix"/> + feature so that a LeRobot write can copy the encoded streams instead of
/// decoding and re-encoding them (lossy). One entry per episode in row order: the source mp4, the
/// episode's from/to timestamps in it, its row count and a SHA-256 of its decoded frames. The writer
/// copies only when every written episode matches an entry in order, row count and frame hash, and the
/// source files are there: a dataset whose frames or episodes were changed after reading is re-encoded.
/// </summary>
public sealed record LeRobotVideoSource(IReadOnlyList<LeRobotVideoSource.Episode> Episodes)
{
    public const string MetadataPrefix = "metadata/lerobot_video_source/";

    /// <summary>One episode of a source video file. <paramref name="Path"/> is absolute.</summary>
    public sealed record Episode(string Path, double FromTimestamp, double ToTimestamp, int Rows, string FramesSha256);

    public static string Hash(NdArray frames, long startRow, int rows)
    {
        long frameBytes = frames.Shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        return Convert.ToHexString(SHA256.HashData(frames.Data.AsSpan(checked((int)(startRow * frameBytes)), checked((int)(rows * frameBytes)))));
    }

    /// <summary>
    /// The source files to copy for <paramref name="episodes"/> of <paramref name="frames"/>, in order, or
    /// null when they cannot be copied: a different episode count, an episode whose rows or frames differ
    /// from the source's, a missing file, or a file whose episodes are not consecutive here (a file is
    /// copied whole, so it must be written whole and once).
    /// </summary>
    /// <param name="episodeFrames">An episode's frames (read when needed, one episode at a time).</param>
    internal IReadOnlyList<LeRobotVideoFiles.Unit>? Units(Func<EpisodeRange, NdArray> episodeFrames, IReadOnlyList<EpisodeRange> episodes)
    {
        if (Episodes.Count != episodes.Count)
            return null;
        var units = new List<LeRobotVideoFiles.Unit>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        List<(double From, double To)>? current = null;
        for (int i = 0; i < episodes.Count; i++)
        {
            var source = Episodes[i];
            if (source.Rows != episodes[i].Length || !File.Exists(source.Path) || Hash(episodeFrames(episodes[i]), 0, episodes[i].Length) != source.FramesSha256)
                return null;
            if (i == 0 || source.Path != Episodes[i - 1].Path)
            {
                if (!done.Add(source.Path))
                    return null;
                current = [];
                units.Add(new LeRobotVideoFiles.Unit(source.Path, current));
            }

            current!.Add((source.FromTimestamp, source.ToTimestamp));
        }

        return units;
    }

    public MetadataValue ToMetadata() => MetadataValue.FromText(JsonSerializer.Serialize(this));

    /// <summary>The source left for <paramref name="feature"/>, or null when there is none or it does not parse.</summary>
    public static LeRobotVideoSource? Of(FlatDataset dataset, string feature) => Of(dataset.Metadata, feature);

    /// <summary>The source left for <paramref name="feature"/> in a source's metadata, or null when there is none or it does not parse.</summary>
    public static LeRobotVideoSource? Of(IReadOnlyDictionary<string, MetadataValue> metadata, string feature)
    {
        if (!metadata.TryGetValue(MetadataPrefix + feature, out var value) || !value.IsText)
            return null;
        try
        {
            return JsonSerializer.Deserialize<LeRobotVideoSource>(value.Text);
        }
        catch (JsonException)
        {
            // Metadata carried through another format and edited is not a reason to fail a write: re-encode.
            return null;
        }
    }
}
