using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Which frame of which file every row of a video feature shows: the row's episode names the file and its
/// from_timestamp (v2.1: 0), and the frame is the one closest to from_timestamp + timestamp within
/// tolerance_s (<see cref="LeRobotVideo.Match"/>). Built from packet timestamps alone (ffprobe, no
/// decoding), so both the whole read and the streaming source decode only what they hand out.
/// </summary>
internal sealed class LeRobotVideoIndex
{
    private LeRobotVideoIndex(string[] paths, LeRobotVideo.StreamInfo[] streams, int[] fileOfRow, int[] frameOfRow)
    {
        Paths = paths;
        Streams = streams;
        FileOfRow = fileOfRow;
        FrameOfRow = frameOfRow;
    }

    public string[] Paths { get; }

    public LeRobotVideo.StreamInfo[] Streams { get; }

    public int[] FileOfRow { get; }

    public int[] FrameOfRow { get; }

    public static LeRobotVideoIndex Build(LeRobotFeature feature, IReadOnlyList<LeRobotEpisode> episodes, long[] episodeOfRow, float[] timestamps, double tolerance, CancellationToken cancellationToken)
    {
        var (height, width) = LeRobotReader.ImageSize(feature);
        var byIndex = episodes.ToDictionary(e => e.Index);
        var fileIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var perFile = new List<(List<int> Rows, List<double> Queries)>();
        var fileOfRow = new int[episodeOfRow.Length];
        var frameOfRow = new int[episodeOfRow.Length];
        for (int row = 0; row < episodeOfRow.Length; row++)
        {
            if (!byIndex.TryGetValue(episodeOfRow[row], out var episode) || !episode.Videos.TryGetValue(feature.Name, out var span))
                throw new DatasetFormatException(feature.Name, FeatureKeys.EpisodeIndex, $"row {row}: episode {episodeOfRow[row]} has no video metadata");
            if (!fileIds.TryGetValue(span.Path, out int id))
            {
                fileIds[span.Path] = id = perFile.Count;
                perFile.Add(([], []));
            }

            fileOfRow[row] = id;
            perFile[id].Rows.Add(row);
            // As lerobot queries: from_timestamp + the row's timestamp (float32 widened to double).
            perFile[id].Queries.Add(span.FromTimestamp + timestamps[row]);
        }

        var paths = fileIds.OrderBy(f => f.Value).Select(f => f.Key).ToArray();
        var streams = new LeRobotVideo.StreamInfo[paths.Length];
        for (int id = 0; id < paths.Length; id++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string path = paths[id];
            try
            {
                var stream = LeRobotVideo.Probe(path);
                if (stream.Width != width || stream.Height != height)
                    throw new InvalidDataException($"frames are {stream.Height}x{stream.Width}; info.json declares {height}x{width}");
                int[] frames = LeRobotVideo.Match(stream.FrameTimes, perFile[id].Queries, tolerance, path);
                for (int q = 0; q < frames.Length; q++)
                    frameOfRow[perFile[id].Rows[q]] = frames[q];
                streams[id] = stream;
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
            {
                throw new DatasetFormatException(path, feature.Name, e.Message, e);
            }
        }

        return new LeRobotVideoIndex(paths, streams, fileOfRow, frameOfRow);
    }
}
