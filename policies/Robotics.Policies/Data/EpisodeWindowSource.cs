using Robotics.Policies.Configuration;

namespace Robotics.Policies.Data;

/// <summary>
/// Windows over in-memory episodes, Diffusion Policy style: for a step t, the observation history is frames
/// t-n+1..t (repeating frame 0 before the start), the action chunk is t..t+H-1 (repeating the last action past
/// the end; those rows get ActionMask 0 when <c>maskPadding</c>), and the world-model target is the state at
/// t+H (the observation after the chunk, clamped to the last frame). Corpora are mixed by weight; within a
/// corpus every window is equally likely.
/// </summary>
public sealed class EpisodeWindowSource : ITrainingBatchSource
{
    private readonly EpisodeCorpus[] corpora;
    private readonly long[][] prefix;
    private readonly double[] cumulativeWeight;
    private readonly PolicyConfig config;
    private readonly long seed;
    private readonly bool maskPadding;
    private readonly int imageBytes;

    public EpisodeWindowSource(IReadOnlyList<EpisodeCorpus> corpora, PolicyConfig config, long seed, bool maskPadding = false)
    {
        this.corpora = corpora.Where(c => c.Episodes.Count > 0).ToArray();
        if (this.corpora.Length == 0)
            throw new ArgumentException("No episodes to train on: every corpus is empty.");
        this.config = config;
        this.seed = seed;
        this.maskPadding = maskPadding;
        imageBytes = config.Cameras.Count == 0 ? 0 : config.ImageShape.Aggregate(1, (a, b) => a * b);
        foreach (var corpus in this.corpora)
        {
            if (corpus.Weight <= 0)
                throw new ArgumentException($"Corpus '{corpus.Name}' has weight {corpus.Weight}; weights must be > 0.");
            for (int e = 0; e < corpus.Episodes.Count; e++)
                Check(corpus, e);
        }

        prefix = this.corpora.Select(c =>
        {
            var p = new long[c.Episodes.Count + 1];
            for (int e = 0; e < c.Episodes.Count; e++) p[e + 1] = p[e] + c.Episodes[e].Length;
            return p;
        }).ToArray();
        double total = this.corpora.Sum(c => c.Weight);
        double acc = 0;
        cumulativeWeight = this.corpora.Select(c => acc += c.Weight / total).ToArray();
        WindowCount = prefix.Sum(p => p[^1]);
    }

    public long WindowCount { get; }

    public RawBatch Sample(long step, int batchSize)
    {
        // One generator per (seed, step): batches do not depend on what was drawn before, so resume is exact.
        var rng = new Random(unchecked((int)(seed * 0x9E3779B1L ^ step * 0x85EBCA77L ^ (step >> 32))));
        int n = config.ObservationHistory, h = config.Horizon, s = config.StateDim, a = config.ActionDim, cams = config.Cameras.Count;
        var state = new float[batchSize * n * s];
        var images = imageBytes > 0 ? new byte[batchSize * n * cams * imageBytes] : null;
        var actions = new float[batchSize * h * a];
        var mask = new float[batchSize * h];
        var hasActions = new float[batchSize];
        var future = new float[batchSize * s];
        var tasks = new long[batchSize];
        var instructions = new string?[batchSize];
        for (int b = 0; b < batchSize; b++)
        {
            double u = rng.NextDouble();
            int c = Array.FindIndex(cumulativeWeight, w => u < w);
            if (c < 0) c = corpora.Length - 1;
            long window = rng.NextInt64(prefix[c][^1]);
            int e = Array.BinarySearch(prefix[c], window);
            e = e >= 0 ? e : ~e - 1;
            while (corpora[c].Episodes[e].Length == 0) e++;
            var episode = corpora[c].Episodes[e];
            int t = (int)(window - prefix[c][e]);
            for (int k = 0; k < n; k++)
            {
                int frame = Math.Max(0, t - n + 1 + k);
                episode.States[frame].CopyTo(state, (b * n + k) * s);
                if (images is not null)
                {
                    for (int cam = 0; cam < cams; cam++)
                        episode.Images![frame][cam].CopyTo(images, ((b * n + k) * cams + cam) * imageBytes);
                }
            }

            if (episode.Actions is not null)
            {
                hasActions[b] = 1;
                for (int k = 0; k < h; k++)
                {
                    int row = Math.Min(t + k, episode.Length - 1);
                    episode.Actions[row].CopyTo(actions, (b * h + k) * a);
                    mask[b * h + k] = maskPadding && t + k >= episode.Length ? 0 : 1;
                }
            }

            episode.States[Math.Min(t + h, episode.Length - 1)].CopyTo(future, b * s);
            tasks[b] = episode.TaskIndex;
            instructions[b] = episode.Instruction;
        }

        return new RawBatch(batchSize, state, images, tasks, instructions, actions, mask, hasActions, future);
    }

    private void Check(EpisodeCorpus corpus, int e)
    {
        var ep = corpus.Episodes[e];
        string where = $"corpus '{corpus.Name}' episode {e}";
        for (int t = 0; t < ep.Length; t++)
        {
            if (ep.States[t].Length != config.StateDim)
                throw new ArgumentException($"{where} step {t}: state has {ep.States[t].Length} values, the policy expects {config.StateDim}.");
            if (ep.Actions is not null && ep.Actions[t].Length != config.ActionDim)
                throw new ArgumentException($"{where} step {t}: action has {ep.Actions[t].Length} values, the policy expects {config.ActionDim}.");
            if (imageBytes > 0 && (ep.Images is null || ep.Images[t].Length != config.Cameras.Count || ep.Images[t].Any(i => i.Length != imageBytes)))
                throw new ArgumentException($"{where} step {t}: images missing or not {config.Cameras.Count} camera(s) of {imageBytes} bytes.");
        }

        if (ep.Actions is not null && ep.Actions.Length != ep.Length)
            throw new ArgumentException($"{where}: {ep.Actions.Length} actions for {ep.Length} states.");
        if (ep.TaskIndex < 0 || ep.TaskIndex >= config.TaskCount)
            throw new ArgumentException($"{where}: task index {ep.TaskIndex} is outside the policy's {config.TaskCount} task(s).");
    }
}
