using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Trajectories;
using Robotics.Policies.Data;

namespace Robotics.Cli.Commands.Train;

/// <summary>
/// Reads a D4RL-layout HDF5 corpus (as sims' generators and the Datasets library write it) into episodes:
/// split as <see cref="TrajectorySourceExtensions.Episodes"/> finds them (infos/episode_index, else terminals/timeouts rows), task index from infos/task_index, instructions from
/// metadata/task_instructions, and optionally a goal column appended to every state. With a goal column an
/// episode is also cut wherever the goal changes (D4RL's maze2d corpora are one trajectory through many goals):
/// otherwise a training window would condition on one goal and imitate actions taken towards the next.
/// Episodes labelled unsuccessful (infos/success) are left out unless asked for, since behaviour cloning imitates them.
/// A corpus without an actions column loads as action-free (play data, other robots' logs): its episodes carry
/// states only and train the world-model side.
/// </summary>
public static class D4rlEpisodeLoader
{
    public static LoadedCorpus Load(string path, string? goalKey, bool includeFailures)
    {
        using var file = Hdf5TrajectoryFile.Open(path);
        var observations = Rows(file, D4rlKeys.Observations);
        var actions = Has(file, D4rlKeys.Actions) ? Rows(file, D4rlKeys.Actions) : null;
        if (actions is not null && actions.Length != observations.Length)
            throw new InvalidDataException($"{path}: {observations.Length} observations but {actions.Length} actions.");
        float[][]? goals = null;
        if (goalKey is not null)
        {
            goals = Rows(file, goalKey);
            observations = observations.Select((o, i) => o.Concat(goals[i]).ToArray()).ToArray();
        }

        long[]? tasks = Has(file, D4rlKeys.TaskIndex) ? file.ReadColumn(D4rlKeys.TaskIndex).ToFloats().Select(v => (long)v).ToArray() : null;
        bool[]? success = Has(file, D4rlKeys.Success) ? FlagReader.ToFlags(file.ReadColumn(D4rlKeys.Success), D4rlKeys.Success) : null;
        IReadOnlyList<string> instructions = file.HasMetadata(D4rlKeys.TaskInstructions)
            ? file.ReadMetadata(D4rlKeys.TaskInstructions).Strings ?? throw new InvalidDataException($"{path}: {D4rlKeys.TaskInstructions} is not a list of strings.")
            : [];

        var episodes = new List<Episode>();
        // The same boundaries as the sampler: infos/episode_index when present (a converted robomimic
        // demo stays whole across its success dones), else terminals/timeouts.
        foreach (var (start, length) in file.Episodes().SelectMany(r => GoalSegments((int)r.Start, r.Length, goals)))
        {
            if (length < 2)
                continue;
            if (success is not null && !success[start] && !includeFailures)
                continue;
            int task = tasks is null ? 0 : (int)tasks[start];
            if (instructions.Count > 0 && (task < 0 || task >= instructions.Count))
                throw new InvalidDataException($"{path}: row {start} has task index {task}, but {D4rlKeys.TaskInstructions} lists {instructions.Count} task(s).");
            episodes.Add(new Episode(
                observations[start..(start + length)],
                actions?[start..(start + length)],
                task,
                instructions.Count > 0 ? instructions[task] : null));
        }

        if (episodes.Count == 0)
            throw new InvalidDataException($"{path}: no usable episodes (need at least 2 rows each{(success is null ? "" : ", successful")}).");
        return new LoadedCorpus(path, episodes, instructions, observations[0].Length, actions?[0].Length ?? 0);
    }

    /// <summary>Rows start..start+length cut into runs of one goal value (the whole range when there is no goal).</summary>
    public static IEnumerable<(int Start, int Length)> GoalSegments(int start, int length, float[][]? goals)
    {
        int begin = start;
        for (int row = start + 1; goals is not null && row < start + length; row++)
        {
            if (!goals[row].AsSpan().SequenceEqual(goals[row - 1]))
            {
                yield return (begin, row - begin);
                begin = row;
            }
        }

        yield return (begin, start + length - begin);
    }

    private static bool Has(Hdf5TrajectoryFile file, string key) => file.Columns.Any(c => c.Key == key);

    private static float[][] Rows(Hdf5TrajectoryFile file, string key)
    {
        if (!Has(file, key))
            throw new InvalidDataException($"{file.Origin}: no column '{key}'.");
        var array = file.ReadColumn(key);
        int width = array.Shape.Length == 1 ? 1 : array.Shape.Skip(1).Aggregate(1, (a, b) => a * b);
        var flat = array.ToFloats();
        for (int i = 0; i < flat.Length; i++)
        {
            if (!float.IsFinite(flat[i]))
                throw new InvalidDataException($"{file.Origin}: '{key}' row {i / width} element {i % width} is {flat[i]}.");
        }

        return Enumerable.Range(0, array.Shape[0]).Select(r => flat.AsSpan(r * width, width).ToArray()).ToArray();
    }
}
