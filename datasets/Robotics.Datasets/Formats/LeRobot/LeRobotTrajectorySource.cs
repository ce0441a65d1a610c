using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Row access to a LeRobot folder for the streaming passes (inspect, statistics, validation) without
/// decoding its videos whole: the tabular features are read as <see cref="LeRobotDataset.Read(string, LeRobotReadOptions?, CancellationToken)"/>
/// reads them, video features are (N, H, W, 3) uint8 columns whose rows are decoded on demand, one
/// ffmpeg stream per feature reading forward (rows asked for in order decode each file once; going back
/// reopens the file). Memory for a video feature is one frame plus the row-to-frame index (8 bytes per
/// row), whatever the video's length. Not thread-safe: one pass at a time.
/// </summary>
public sealed class LeRobotTrajectorySource : ITrajectorySource
{
    private readonly FlatDataset _tabular;
    private readonly Dictionary<string, (LeRobotFeature Feature, LeRobotVideoIndex Index)> _videos;
    private readonly Dictionary<string, LeRobotFrameStream> _streams = new(StringComparer.Ordinal);
    private readonly CancellationToken _cancellationToken;
    private readonly IReadOnlyList<LeRobotEpisode> _episodes;
    private readonly Dictionary<string, MetadataValue?> _videoSources = new(StringComparer.Ordinal);

    private LeRobotTrajectorySource(string origin, FlatDataset tabular, Dictionary<string, (LeRobotFeature Feature, LeRobotVideoIndex Index)> videos, IReadOnlyDictionary<string, MetadataValue> metadata,
        IReadOnlyList<LeRobotEpisode> episodes, CancellationToken cancellationToken)
    {
        Origin = origin;
        _episodes = episodes;
        _tabular = tabular;
        _videos = videos;
        Metadata = metadata;
        _cancellationToken = cancellationToken;
        Columns = tabular.ColumnInfos.Concat(videos.Select(v =>
        {
            var (height, width) = LeRobotReader.ImageSize(v.Value.Feature);
            return new ColumnInfo(v.Key, DType.UInt8, [height, width, 3]);
        })).ToArray();
    }

    public string Origin { get; }

    public long RowCount => _tabular.RowCount;

    public IReadOnlyList<ColumnInfo> Columns { get; }

    /// <summary>The metadata <see cref="LeRobotDataset.Read(string, LeRobotReadOptions?, CancellationToken)"/> gives, less the video source records (nothing is decoded to hash).</summary>
    public IReadOnlyDictionary<string, MetadataValue> Metadata { get; }

    /// <summary>
    /// <see cref="Metadata"/>, and also the video source records (<see cref="LeRobotVideoSource.MetadataPrefix"/> + feature)
    /// the whole read gives, made only when asked for: one decoding pass over the feature's frames, hashed a frame at a
    /// time. A LeRobot write asks for them and then copies the encoded streams (lossless) instead of re-encoding.
    /// </summary>
    MetadataValue? ITrajectorySource.Metadata(string key) =>
        Metadata.GetValueOrDefault(key) ?? (key.StartsWith(LeRobotVideoSource.MetadataPrefix, StringComparison.Ordinal) ? VideoSource(key) : null);

    IReadOnlyCollection<string> ITrajectorySource.MetadataKeys =>
        Metadata.Keys.Concat(_videos.Values.Select(v => LeRobotVideoSource.MetadataPrefix + v.Feature.Name)).Distinct(StringComparer.Ordinal).ToArray();

    private MetadataValue? VideoSource(string key)
    {
        if (_videoSources.TryGetValue(key, out var known))
            return known;
        string name = key[LeRobotVideoSource.MetadataPrefix.Length..];
        MetadataValue? value = null;
        if (_videos.FirstOrDefault(v => v.Value.Feature.Name == name) is { Key: { } flatKey } video)
        {
            var index = video.Value.Index;
            var streams = new Dictionary<string, LeRobotVideo.StreamInfo>(StringComparer.Ordinal);
            for (int id = 0; id < index.Paths.Length; id++)
                streams[index.Paths[id]] = index.Streams[id];
            long[] episodeOfRow = _tabular.Column(D4rlKeys.EpisodeIndex).AsSpan<long>().ToArray();
            value = LeRobotReader.Source(video.Value.Feature, _episodes, episodeOfRow, (start, rows) => Hash(flatKey, start, rows), streams)?.ToMetadata();
        }

        _videoSources[key] = value;
        return value;
    }

    /// <summary><see cref="LeRobotVideoSource.Hash"/> of rows [start, start + rows) of a video column, decoded a frame at a time.</summary>
    private string Hash(string key, int start, int rows)
    {
        var frame = new byte[this.Column(key).RowBytes];
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        for (int row = start; row < start + rows; row++)
        {
            ReadRows(key, row, 1, frame);
            hash.AppendData(frame);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    public static LeRobotTrajectorySource Open(string folder, LeRobotReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LeRobotReadOptions();
        var info = LeRobotInfo.Load(folder);
        bool Wanted(LeRobotFeature f) => options.Features is null || options.Features.Contains(f.Name);
        var videoFeatures = info.Features.Where(f => f.IsVideo && Wanted(f)).ToArray();
        var tabular = LeRobotReader.Read(folder, options with { Features = info.Features.Where(f => !f.IsVideo && Wanted(f)).Select(f => f.Name).ToArray() }, cancellationToken);
        var episodes = LeRobotEpisodes.Load(folder, info);
        var videos = new Dictionary<string, (LeRobotFeature Feature, LeRobotVideoIndex Index)>(StringComparer.Ordinal);
        if (videoFeatures.Length > 0)
        {
            long[] episodeOfRow = tabular.Column(D4rlKeys.EpisodeIndex).AsSpan<long>().ToArray();
            float[] timestamps = tabular.HasColumn(LeRobotReader.FlatKey(FeatureKeys.Timestamp)) && tabular.Column(LeRobotReader.FlatKey(FeatureKeys.Timestamp)) is { DType: DType.Float32 } ts
                ? ts.AsSpan<float>().ToArray()
                : throw new DatasetFormatException(info.Path, FeatureKeys.Timestamp, "a float32 timestamp feature is needed to decode videos");
            foreach (var feature in videoFeatures)
                videos[LeRobotReader.FlatKey(feature.Name)] = (feature, LeRobotVideoIndex.Build(feature, episodes, episodeOfRow, timestamps, options.ToleranceS, cancellationToken));
        }

        // The videos are read (streamed), so they are not "unread"; what is left of that list stays.
        var metadata = new Dictionary<string, MetadataValue>(tabular.Metadata, StringComparer.Ordinal);
        const string unreadKey = "metadata/lerobot_unread_features";
        if (metadata.TryGetValue(unreadKey, out var unread) && unread.Strings is { } names)
        {
            var left = names.Except(videoFeatures.Select(f => f.Name)).ToArray();
            if (left.Length > 0)
                metadata[unreadKey] = MetadataValue.FromStrings(left);
            else
                metadata.Remove(unreadKey);
        }

        return new LeRobotTrajectorySource(folder, tabular, videos, metadata, episodes, cancellationToken);
    }

    public void ReadRows(string key, long start, int count, Span<byte> destination)
    {
        if (start < 0 || count < 0 || start + count > RowCount)
            throw new ArgumentOutOfRangeException(nameof(start), $"{Origin}: rows [{start}, {start + count}) of '{key}' are outside 0..{RowCount}.");
        if (!_videos.TryGetValue(key, out var video))
        {
            new FlatDatasetSource(_tabular, Origin).ReadRows(key, start, count, destination);
            return;
        }

        var index = video.Index;
        for (int i = 0; i < count; i++)
        {
            int row = checked((int)(start + i));
            int file = index.FileOfRow[row], frame = index.FrameOfRow[row];
            string path = index.Paths[file];
            try
            {
                if (!_streams.TryGetValue(key, out var stream) || stream.Path != path || stream.Position - 1 > frame)
                {
                    stream?.Dispose();
                    _streams[key] = stream = new LeRobotFrameStream(path, index.Streams[file], _cancellationToken);
                }

                stream.SeekForward(frame);
                stream.Frame.CopyTo(destination.Slice(i * stream.Frame.Length, stream.Frame.Length));
            }
            catch (InvalidDataException e)
            {
                throw new DatasetFormatException(path, video.Feature.Name, $"row {row}: {e.Message}", e);
            }
        }
    }

    public void Dispose()
    {
        foreach (var stream in _streams.Values)
            stream.Dispose();
        _streams.Clear();
    }
}
