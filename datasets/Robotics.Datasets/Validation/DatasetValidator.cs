using Robotics.Core.Progress;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Validation;

/// <summary>
/// Checks a trajectory store in one streaming pass and reports every problem with file, key and row:
/// required keys, equal row counts, dtypes, per-row shapes against the spaces, NaN / Inf values,
/// flag values, and episode boundaries (infos/episode_index changing only after a terminal or
/// timeout row; no row both terminal and timed out; no trailing unfinished episode).
/// </summary>
public static class DatasetValidator
{
    private static readonly string[] FlagKeys = [D4rlKeys.Terminals, D4rlKeys.Timeouts];

    public static ValidationReport Validate(ITrajectorySource source, ValidationOptions? options = null,
        IReadOnlyDictionary<string, long>? columnRowCounts = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new ValidationOptions();
        var issues = new List<ValidationIssue>();
        string file = source.Origin;
        void Error(string? key, long? row, string message) => issues.Add(new(ValidationSeverity.Error, file, key, row, message));
        void Warn(string? key, long? row, string message) => issues.Add(new(ValidationSeverity.Warning, file, key, row, message));

        foreach (string key in D4rlKeys.Required)
        {
            if (!source.HasColumn(key))
                Error(key, null, "required key is missing");
        }

        if (!source.HasColumn(D4rlKeys.Timeouts))
            Warn(D4rlKeys.Timeouts, null, "no timeouts: episode ends from time limits cannot be told apart (qlearning/sequence need max_episode_steps)");

        if (columnRowCounts is not null)
        {
            foreach (var (key, rows) in columnRowCounts.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                if (rows != source.RowCount)
                    Error(key, null, $"has {rows} rows but observations has {source.RowCount}");
            }
        }

        CheckTypes(source, options, Error);
        if (issues.Any(i => i.Severity == ValidationSeverity.Error && i.Row is null && i.Message.Contains("rows but", StringComparison.Ordinal)))
            return new ValidationReport(file, source.RowCount, 0, issues); // row-wise checks would read past the short column

        var rowProblems = new RowProblemCollector(options.MaxRowsPerProblem, issues, file);
        var numeric = source.Columns.Where(c => c.DType is DType.Float32 or DType.Float64).ToArray();
        var flags = FlagKeys.Where(source.HasColumn).Select(source.Column).ToArray();
        bool[] terminals = source.HasColumn(D4rlKeys.Terminals) ? new bool[source.RowCount] : [];
        bool[] timeouts = source.HasColumn(D4rlKeys.Timeouts) ? new bool[source.RowCount] : [];
        long[]? episodeIndex = source.HasColumn(D4rlKeys.EpisodeIndex) && EpisodeIndexReader.IsIndexColumn(source.Column(D4rlKeys.EpisodeIndex)) ? new long[source.RowCount] : null;

        try
        {
            ScanRows(source, options, numeric, flags, terminals, timeouts, episodeIndex, rowProblems, progress, cancellationToken);
        }
        catch (DatasetFormatException e)
        {
            // A truncated or corrupt file: report where reading stopped instead of crashing.
            Error(e.Key, null, e.Message);
            rowProblems.Flush();
            return new ValidationReport(file, source.RowCount, 0, issues);
        }

        int episodes = CheckEpisodes(source.RowCount, terminals, timeouts, episodeIndex, rowProblems, Warn);
        rowProblems.Flush();
        return new ValidationReport(file, source.RowCount, episodes, issues);
    }

    private static void ScanRows(ITrajectorySource source, ValidationOptions options, ColumnInfo[] numeric, ColumnInfo[] flags,
        bool[] terminals, bool[] timeouts, long[]? episodeIndex, RowProblemCollector rowProblems,
        IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        int block = BlockRows.Cap(options.BlockRows, Math.Max(source.Columns.Select(c => c.RowElements).DefaultIfEmpty(1).Max() * sizeof(float), source.Columns.Select(c => c.RowBytes).DefaultIfEmpty(1).Max()));
        var floats = new float[(long)block * Math.Max(1, source.Columns.Select(c => c.RowElements).DefaultIfEmpty(1).Max())];
        var scratch = new byte[(long)block * Math.Max(1, source.Columns.Select(c => c.RowBytes).DefaultIfEmpty(1).Max())];
        for (long start = 0; start < source.RowCount; start += block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = (int)Math.Min(block, source.RowCount - start);
            foreach (var column in numeric)
            {
                var span = floats.AsSpan(0, count * column.RowElements);
                source.ReadRowsAsFloats(column.Key, start, count, span, scratch);
                for (int r = 0; r < count; r++)
                {
                    var row = span.Slice(r * column.RowElements, column.RowElements);
                    for (int j = 0; j < row.Length; j++)
                    {
                        if (!float.IsFinite(row[j]))
                        {
                            rowProblems.Add(column.Key, start + r, float.IsNaN(row[j]) ? "NaN" : "Inf", $"{(float.IsNaN(row[j]) ? "NaN" : "Inf")} at element {j}");
                            break;
                        }
                    }
                }
            }

            foreach (var column in flags)
            {
                var raw = scratch.AsSpan(0, count * column.RowBytes);
                source.ReadRows(column.Key, start, count, raw);
                var values = floats.AsSpan(0, count);
                ElementConverter.ToFloats(column.DType, raw, values, column.Key);
                var target = column.Key == D4rlKeys.Terminals ? terminals : timeouts;
                for (int r = 0; r < count; r++)
                {
                    if (values[r] != 0f && values[r] != 1f)
                        rowProblems.Add(column.Key, start + r, "flag", $"value {values[r]} is not 0 or 1");
                    target[start + r] = values[r] != 0f;
                }
            }

            if (episodeIndex is not null)
            {
                // Read as integers: through float32 ids above 2^24 would merge neighbouring episodes.
                var info = source.Column(D4rlKeys.EpisodeIndex);
                var raw = scratch.AsSpan(0, count * info.RowBytes);
                source.ReadRows(info.Key, start, count, raw);
                EpisodeIndexReader.ToLongs(info.DType, raw, episodeIndex.AsSpan((int)start, count), info.Key);
            }

            progress?.Report(new ProgressUpdate("validate", start + count, source.RowCount));
        }
    }

    private static void CheckTypes(ITrajectorySource source, ValidationOptions options, Action<string?, long?, string> error)
    {
        foreach (var column in source.Columns)
        {
            switch (column.Key)
            {
                case D4rlKeys.Observations or D4rlKeys.NextObservations or D4rlKeys.Actions:
                    if (column.DType is not (DType.Float32 or DType.Float64))
                        error(column.Key, null, $"is {column.DType.ToNumpy()}; D4RL stores float32");
                    if (column.RowShape.Count == 0)
                        error(column.Key, null, "has no feature axis; expected (N, dim)");
                    break;
                case D4rlKeys.Rewards:
                    if (column.DType is not (DType.Float32 or DType.Float64))
                        error(column.Key, null, $"is {column.DType.ToNumpy()}; D4RL stores float32");
                    if (column.RowShape.Count != 0)
                        error(column.Key, null, $"has rows of shape [{string.Join(", ", column.RowShape)}]; expected (N,) or (N, 1)");
                    break;
                case D4rlKeys.Terminals or D4rlKeys.Timeouts:
                    if (column.DType is DType.String)
                        error(column.Key, null, "holds strings; expected bool");
                    if (column.RowShape.Count != 0)
                        error(column.Key, null, $"has rows of shape [{string.Join(", ", column.RowShape)}]; expected (N,) or (N, 1)");
                    break;
            }
        }

        void Space(string key, IReadOnlyList<int>? expected, string space)
        {
            if (expected is null || !source.HasColumn(key))
                return;
            var actual = source.Column(key).RowShape;
            if (!actual.SequenceEqual(expected))
                error(key, null, $"rows are [{string.Join(", ", actual)}] but the {space} space is [{string.Join(", ", expected)}]");
        }

        Space(D4rlKeys.Observations, options.ObservationShape, "observation");
        Space(D4rlKeys.NextObservations, options.ObservationShape, "observation");
        Space(D4rlKeys.Actions, options.ActionShape, "action");
    }

    private static int CheckEpisodes(long rows, bool[] terminals, bool[] timeouts, long[]? episodeIndex, RowProblemCollector problems, Action<string?, long?, string> warn)
    {
        if (terminals.Length == 0)
            return 0;
        int episodes = 0;
        for (long i = 0; i < rows; i++)
        {
            bool timeout = timeouts.Length > 0 && timeouts[i];
            bool boundary = terminals[i] || timeout;
            if (terminals[i] && timeout)
                problems.Add(D4rlKeys.Timeouts, i, "both", "terminal and timeout on the same row (d4rl treats it as terminal; the time limit is lost)", ValidationSeverity.Warning);
            if (episodeIndex is null ? boundary : i + 1 == rows || episodeIndex[i + 1] != episodeIndex[i])
                episodes++;
            if (episodeIndex is not null && i + 1 < rows && episodeIndex[i + 1] != episodeIndex[i] && !boundary)
                problems.Add(D4rlKeys.EpisodeIndex, i, "boundary", $"episode {episodeIndex[i]} ends here (next row is episode {episodeIndex[i + 1]}) but neither terminals nor timeouts is set");
            // A terminal inside an episode is legitimate where the source says so (robomimic done
            // mode 0/2 marks every success step and recording goes on): episodes follow the index,
            // but D4RL's own sequence_dataset would split there, hence a warning. A timeout inside
            // an episode contradicts the index.
            if (episodeIndex is not null && i + 1 < rows && episodeIndex[i + 1] == episodeIndex[i] && timeout)
                problems.Add(D4rlKeys.EpisodeIndex, i, "split", $"timeouts end an episode here but the next row is still episode {episodeIndex[i]}");
            else if (episodeIndex is not null && i + 1 < rows && episodeIndex[i + 1] == episodeIndex[i] && terminals[i])
                problems.Add(D4rlKeys.EpisodeIndex, i, "terminal-inside", $"terminal inside episode {episodeIndex[i]} (the episode goes on per infos/episode_index; d4rl's sequence_dataset would split here)", ValidationSeverity.Warning);
        }

        if (rows > 0 && !(terminals[rows - 1] || (timeouts.Length > 0 && timeouts[rows - 1])))
        {
            warn(D4rlKeys.Terminals, rows - 1, "the last episode never ends (no terminal or timeout on the final row); sequence_dataset drops it");
            if (episodeIndex is null)
                episodes++; // with an index the last episode was counted in the loop
        }

        return episodes;
    }

    /// <summary>Lists the first rows of each (key, kind) problem and summarises the rest as a count.</summary>
    private sealed class RowProblemCollector(int maxRows, List<ValidationIssue> issues, string file)
    {
        private readonly Dictionary<(string Key, string Kind), (int Count, ValidationSeverity Severity)> _counts = [];

        public void Add(string key, long row, string kind, string message, ValidationSeverity severity = ValidationSeverity.Error)
        {
            var id = (key, kind);
            _counts.TryGetValue(id, out var entry);
            _counts[id] = (entry.Count + 1, severity);
            if (entry.Count < maxRows)
                issues.Add(new ValidationIssue(severity, file, key, row, message));
        }

        public void Flush()
        {
            foreach (var ((key, kind), (count, severity)) in _counts)
            {
                if (count > maxRows)
                    issues.Add(new ValidationIssue(severity, file, key, null, $"{count - maxRows} more rows with the same problem ({kind}); {count} in all"));
            }
        }
    }
}
