using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Recording;

/// <summary>
/// Collects episodes step by step (or whole) into the D4RL flat layout, for simulators and data
/// collection. Storage layout, one row per step:
/// observations (N, obs_dim) float32, actions (N, act_dim) float32, rewards (N,) float32,
/// terminals (N,) bool (the environment ended the episode), timeouts (N,) bool (set on the last row
/// of every episode that did not terminate, so every episode has a boundary),
/// infos/episode_index (N,) int64, infos/task_index (N,) int64, infos/success (N,) bool (the
/// episode's label repeated on each of its rows), any per-step infos/* float32 the caller adds,
/// and metadata/task_instructions (one string per task index) plus caller metadata.
/// </summary>
public sealed class EpisodeRecorder
{
    private readonly Dictionary<string, GrowableColumn> _infos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetadataValue> _metadata = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, string> _instructions = [];
    private GrowableColumn? _observations;
    private GrowableColumn? _actions;
    private readonly GrowableColumn _rewards = new(D4rlKeys.Rewards, DType.Float32, []);
    private readonly GrowableColumn _terminals = new(D4rlKeys.Terminals, DType.Bool, []);
    private readonly GrowableColumn _timeouts = new(D4rlKeys.Timeouts, DType.Bool, []);
    private readonly GrowableColumn _episodeIndex = new(D4rlKeys.EpisodeIndex, DType.Int64, []);
    private readonly GrowableColumn _taskIndex = new(D4rlKeys.TaskIndex, DType.Int64, []);
    private readonly GrowableColumn _success = new(D4rlKeys.Success, DType.Bool, []);
    private int _episodeStart = -1;
    private long _task;

    public int EpisodeCount { get; private set; }

    public int StepCount => _rewards.Rows;

    public bool InEpisode => _episodeStart >= 0;

    /// <summary>Starts an episode of task <paramref name="taskIndex"/>; the instruction is kept once per task.</summary>
    public void BeginEpisode(long taskIndex = 0, string? instruction = null)
    {
        if (InEpisode)
            throw new InvalidOperationException("An episode is already open; call EndEpisode first.");
        ArgumentOutOfRangeException.ThrowIfNegative(taskIndex);
        if (instruction is not null)
        {
            if (_instructions.TryGetValue(taskIndex, out var known) && known != instruction)
                throw new ArgumentException($"Task {taskIndex} already has instruction \"{known}\"; got \"{instruction}\".", nameof(instruction));
            _instructions[taskIndex] = instruction;
        }

        _task = taskIndex;
        _episodeStart = StepCount;
    }

    /// <summary>Appends one step: the observation seen, the action taken, the reward received, whether the environment ended.</summary>
    public void AddStep(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, float reward, bool terminal = false,
        IReadOnlyDictionary<string, float[]>? infos = null)
    {
        if (!InEpisode)
            throw new InvalidOperationException("Call BeginEpisode before AddStep.");
        _observations ??= new GrowableColumn(D4rlKeys.Observations, DType.Float32, [observation.Length]);
        _actions ??= new GrowableColumn(D4rlKeys.Actions, DType.Float32, [action.Length]);
        if (StepCount > 0 && ((infos?.Count ?? 0) != _infos.Count || (infos is not null && infos.Keys.Any(k => !_infos.ContainsKey(InfoKey(k))))))
            throw new ArgumentException($"Every step must carry the same infos as the first ({(_infos.Count == 0 ? "none" : string.Join(", ", _infos.Keys))}).", nameof(infos));
        if (infos is not null)
        {
            foreach (var (name, value) in infos)
            {
                string key = InfoKey(name);
                if (!_infos.TryGetValue(key, out var column))
                    _infos[key] = column = new GrowableColumn(key, DType.Float32, [value.Length]);
                column.Append<float>(value);
            }
        }

        _observations.Append(observation);
        _actions.Append(action);
        _rewards.Append<float>([reward]);
        _terminals.Append<byte>([terminal ? (byte)1 : (byte)0]);
        _timeouts.Append<byte>([0]);
        _episodeIndex.Append<long>([EpisodeCount]);
        _taskIndex.Append<long>([_task]);
        _success.Append<byte>([0]);
    }

    /// <summary>
    /// Closes the episode with its success label. When its last step was not terminal the row is
    /// marked as a timeout (the episode was cut off), so readers see every boundary.
    /// </summary>
    public void EndEpisode(bool success)
    {
        if (!InEpisode)
            throw new InvalidOperationException("No episode is open.");
        if (StepCount == _episodeStart)
            throw new InvalidOperationException("An episode needs at least one step.");
        int last = StepCount - 1;
        if (!ReadFlag(_terminals, last))
            _timeouts.Set<byte>(last, 1);
        for (int row = _episodeStart; row < StepCount; row++)
            _success.Set<byte>(row, success ? (byte)1 : (byte)0);
        EpisodeCount++;
        _episodeStart = -1;
    }

    /// <summary>Adds a whole episode: rows of observations (T, obs_dim) and actions (T, act_dim), rewards (T).</summary>
    public void AddEpisode(float[][] observations, float[][] actions, float[] rewards, bool terminated, bool success, long taskIndex = 0, string? instruction = null)
    {
        if (observations.Length != actions.Length || actions.Length != rewards.Length)
            throw new ArgumentException($"Episode arrays differ in length: {observations.Length} observations, {actions.Length} actions, {rewards.Length} rewards.");
        BeginEpisode(taskIndex, instruction);
        for (int t = 0; t < rewards.Length; t++)
            AddStep(observations[t], actions[t], rewards[t], terminated && t == rewards.Length - 1);
        EndEpisode(success);
    }

    public void SetMetadata(string name, MetadataValue value) => _metadata[name.StartsWith(D4rlKeys.MetadataPrefix, StringComparison.Ordinal) ? name : D4rlKeys.MetadataPrefix + name] = value;

    public void SetMetadata(string name, string text) => SetMetadata(name, MetadataValue.FromText(text));

    /// <summary>The recorded episodes as a flat dataset (an open episode is not included).</summary>
    public FlatDataset Build()
    {
        if (InEpisode)
            throw new InvalidOperationException("An episode is still open; call EndEpisode first.");
        if (_observations is null || _actions is null)
            throw new InvalidOperationException("No steps were recorded.");
        var columns = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        foreach (var column in new[] { _observations, _actions, _rewards, _terminals, _timeouts, _episodeIndex, _taskIndex, _success }.Concat(_infos.Values))
            columns[column.Key] = column.ToArray();
        var metadata = new Dictionary<string, MetadataValue>(_metadata, StringComparer.Ordinal);
        if (_instructions.Count > 0)
        {
            long tasks = _instructions.Keys.Max() + 1;
            metadata[D4rlKeys.TaskInstructions] = MetadataValue.FromStrings(Enumerable.Range(0, (int)tasks).Select(i => _instructions.GetValueOrDefault(i, "")));
        }

        return new FlatDataset(columns, metadata);
    }

    private static string InfoKey(string name) => name.StartsWith(D4rlKeys.InfosPrefix, StringComparison.Ordinal) ? name : D4rlKeys.InfosPrefix + name;

    private static bool ReadFlag(GrowableColumn column, int row) => column.Get<byte>(row) != 0;
}
