namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Packs one camera's encoded mp4s into v3.0 video files as lerobot does (its v2.1 -> v3.0 converter,
/// aggregate_videos, and the recorder's per-episode concatenation): files are joined in order without
/// re-encoding until the next one would bring the file to video_files_size_in_mb, then the next file
/// index starts (chunks_size files per chunk); a source file is never split.
/// Each episode's from/to_timestamp is its time in the source plus the source's offset in the packed
/// file, read from the packed file's packets. Upstream sums get_video_duration_in_s instead, but the
/// concat demuxer offsets each file by its container duration, which mp4 rounds to the millisecond,
/// so that sum drifts off the frames (lerobot issue #3177, fixed the same way in PR #3179); reading
/// the offset keeps from_timestamp + timestamp on the frame, within tolerance_s.
/// </summary>
internal static class LeRobotVideoFiles
{
    /// <summary>An mp4 to pack and the episodes it holds, in order, with their from/to timestamps in it.</summary>
    public sealed record Unit(string Path, IReadOnlyList<(double From, double To)> Episodes);

    /// <summary>Where an episode's frames of one camera ended up.</summary>
    public sealed record Placement(long ChunkIndex, long FileIndex, double FromTimestamp, double ToTimestamp);

    /// <summary>
    /// Cameras with no source to copy: each episode encoded to its own mp4 under <paramref name="scratch"/>
    /// (as lerobot's recorder encodes an episode, frame k at k / fps), to be packed like source files.
    /// <paramref name="episodeFrames"/> gives one episode's frames at a time, so one episode is held.
    /// </summary>
    public static IReadOnlyList<Unit> Encode(string scratch, Func<Trajectories.EpisodeRange, Robotics.Core.Arrays.NdArray> episodeFrames, IReadOnlyList<Trajectories.EpisodeRange> episodes, double fps, CancellationToken cancellationToken)
    {
        var units = new List<Unit>(episodes.Count);
        foreach (var episode in episodes)
        {
            string path = System.IO.Path.Combine(scratch, $"episode-{units.Count:000000}.mp4");
            LeRobotVideoEncoder.Encode(path, episodeFrames(episode), 0, episode.Length, fps, cancellationToken);
            units.Add(new Unit(path, [(0, LeRobotVideo.Probe(path).Duration)]));
        }

        return units;
    }

    public static IReadOnlyList<Placement> Pack(string root, string feature, IReadOnlyList<Unit> units, double fileSizeMb, int chunksSize, CancellationToken cancellationToken)
    {
        var placements = new List<Placement>();
        long chunk = 0, file = 0;
        double size = 0;
        var group = new List<Unit>();

        void Flush()
        {
            string path = System.IO.Path.Combine(root, "videos", feature, $"chunk-{chunk:000}", $"file-{file:000}.mp4");
            LeRobotVideoConcat.Concatenate(group.Select(u => u.Path).ToArray(), path, cancellationToken);
            var packed = LeRobotVideo.Probe(path);
            int first = 0;
            foreach (var unit in group)
            {
                var source = LeRobotVideo.Probe(unit.Path);
                if (source.FrameTimes.Length == 0 || first + source.FrameTimes.Length > packed.FrameTimes.Length)
                    throw new InvalidDataException($"{path}: concatenating {unit.Path} gave {packed.FrameTimes.Length} packets, fewer than the inputs hold");
                double offset = packed.FrameTimes[first] - source.FrameTimes[0];
                first += source.FrameTimes.Length;
                foreach (var (from, to) in unit.Episodes)
                    placements.Add(new Placement(chunk, file, from + offset, to + offset));
            }

            if (first != packed.FrameTimes.Length)
                throw new InvalidDataException($"{path}: holds {packed.FrameTimes.Length} packets but its inputs {first}");
        }

        foreach (var unit in units)
        {
            double mb = new FileInfo(unit.Path).Length / (1024.0 * 1024.0);
            // Upstream's rule: a new file when this one would reach the limit, never an empty file.
            if (size + mb >= fileSizeMb && group.Count > 0)
            {
                Flush();
                (chunk, file) = file == chunksSize - 1 ? (chunk + 1, 0L) : (chunk, file + 1);
                size = 0;
                group.Clear();
            }

            group.Add(unit);
            size += mb;
        }

        if (group.Count > 0)
            Flush();
        return placements;
    }
}
