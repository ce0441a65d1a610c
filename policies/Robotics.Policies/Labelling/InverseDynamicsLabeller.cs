using Robotics.Core.Arrays;
using Robotics.Core.Progress;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;
using Robotics.Policies.Data;
using Robotics.Policies.Mode;
using Robotics.Policies.Processing;
using static TorchSharp.torch;

namespace Robotics.Policies.Labelling;

/// <summary>
/// Pseudo-labels an action-free corpus (play data, another robot's logs) with a world-model policy's inverse dynamics
/// (UWM's inverse-dynamics mode: the future observation held clean, the action chunk denoised), the objective a
/// world-model MoDE trains on a fifth of its batches. Each episode is cut into chunks of the horizon H: the chunk at
/// step t is inferred from the observation history at t and the observation at t + H (clamped to the episode's
/// last row), and fills actions t .. t + H - 1. Task conditioning comes from the corpus's instructions matched to the
/// policy's by text (an instruction the policy never saw goes in by text alone). Episodes are read one at a time.
/// </summary>
public sealed class InverseDynamicsLabeller(ModeNetwork network, PolicyProcessor processor, Device device)
{
    /// <summary>The labels as a float32 (rows, action_dim) column.</summary>
    public NdArray Label(ITrajectorySource source, int batchSize = 64, long seed = 0, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var config = network.Config;
        if (!network.Options.WorldModel)
            throw new ArgumentException($"Inverse dynamics needs a policy trained with the world-model head (mode.world_model = true); {config.Type} has none.");
        var stateKeys = TrainingWindows.StateKeys(config);
        foreach (var key in stateKeys)
        {
            if (!source.HasColumn(key))
                throw new InvalidDataException($"{source.Origin}: no column '{key}', which the policy's state is made of.");
        }

        int s = config.StateDim, a = config.ActionDim, h = config.Horizon, n = config.ObservationHistory;
        int width = stateKeys.Sum(k => source.Column(k).RowElements);
        if (width != s)
            throw new InvalidDataException($"{source.Origin}: the state columns {string.Join(" + ", stateKeys)} have {width} values per row; the policy expects {s}.");
        var (taskOf, instructionOf) = Tasks(source);
        var episodes = source.Episodes();
        var labels = new float[checked(source.RowCount * a)];
        var pending = new List<(float[] State, float[] Future, long Task, string? Instruction, long Row, int Count)>();
        long done = 0;
        using var generator = new Generator((ulong)seed, device);
        network.eval();

        void Flush()
        {
            if (pending.Count == 0)
                return;
            int b = pending.Count;
            var raw = new RawBatch(b, pending.SelectMany(p => p.State).ToArray(), null, pending.Select(p => p.Task).ToArray(),
                pending.Select(p => p.Instruction).ToArray(), new float[b * h * a], new float[b * h], new float[b], pending.SelectMany(p => p.Future).ToArray());
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            using var batch = processor.ToBatch(raw, device);
            var sample = network.Sample(batch, WorldModelMode.InverseDynamics, generator, cached: false, cancellationToken: cancellationToken);
            for (int i = 0; i < b; i++)
            {
                var chunk = processor.ActionsToEnvironment(sample.Actions, i);
                for (int k = 0; k < pending[i].Count; k++)
                    chunk[k].CopyTo(labels, (pending[i].Row + k) * a);
            }

            pending.Clear();
        }

        foreach (var episode in episodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var states = ReadStates(source, stateKeys, episode, s);
            for (int t = 0; t < episode.Length; t += h)
            {
                var history = new float[n * s];
                for (int k = 0; k < n; k++)
                    states.AsSpan(Math.Max(0, t - n + 1 + k) * s, s).CopyTo(history.AsSpan(k * s));
                var future = states.AsSpan(Math.Min(t + h, episode.Length - 1) * s, s).ToArray();
                long row = episode.Start + t;
                pending.Add((history, future, taskOf(row), instructionOf(row), row, Math.Min(h, episode.Length - t)));
                if (pending.Count == batchSize)
                    Flush();
            }

            done += episode.Length;
            progress?.Report(new ProgressUpdate("label", done, source.RowCount));
        }

        Flush();
        return NdArray.FromFloats(labels, checked((int)source.RowCount), a);
    }

    private static float[] ReadStates(ITrajectorySource source, IReadOnlyList<string> keys, EpisodeRange episode, int width)
    {
        var states = new float[episode.Length * width];
        int offset = 0;
        foreach (var key in keys)
        {
            int w = source.Column(key).RowElements;
            var part = new float[episode.Length * w];
            source.ReadRowsAsFloats(key, episode.Start, episode.Length, part);
            for (int r = 0; r < episode.Length; r++)
                part.AsSpan(r * w, w).CopyTo(states.AsSpan(r * width + offset, w));
            offset += w;
        }

        return states;
    }

    /// <summary>Per row: the policy's task index for the corpus's instruction (-1 when the policy never saw it) and the text.</summary>
    private (Func<long, long> Task, Func<long, string?> Instruction) Tasks(ITrajectorySource source)
    {
        var instructions = source.Metadata(D4rlKeys.TaskInstructions)?.Strings ?? [];
        long[]? rows = source.HasColumn(D4rlKeys.TaskIndex) ? ReadTaskIndex(source) : null;
        var known = network.Config.Tasks.Select(t => t.Instruction).ToList();
        string? Text(long row)
        {
            long local = rows?[row] ?? 0;
            return local >= 0 && local < instructions.Count ? instructions[(int)local] : null;
        }

        return (row => Text(row) is { } text && known.IndexOf(text) is var i and >= 0 ? i : -1, Text);
    }

    private static long[] ReadTaskIndex(ITrajectorySource source)
    {
        var values = new float[source.RowCount];
        source.ReadRowsAsFloats(D4rlKeys.TaskIndex, 0, checked((int)source.RowCount), values);
        return values.Select(v => (long)v).ToArray();
    }
}
