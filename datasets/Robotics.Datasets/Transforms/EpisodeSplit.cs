using Robotics.Core.Randomness;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Transforms;

/// <summary>
/// Splits a dataset by whole episodes (never inside one) into a training and a validation part:
/// episodes are shuffled with a seeded generator, the first round(fraction · E) go to training,
/// and each part keeps the original episode order. Metadata is copied to both.
/// </summary>
public static class EpisodeSplit
{
    public static (FlatDataset Train, FlatDataset Valid, int TrainEpisodes, int ValidEpisodes) Split(FlatDataset dataset, double trainFraction, ulong seed)
    {
        if (!(trainFraction > 0 && trainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "must be strictly between 0 and 1");
        var episodes = dataset.Episodes();
        if (episodes.Count < 2)
            throw new InvalidDataException($"Only {episodes.Count} episode(s): a split needs at least 2.");
        var order = Enumerable.Range(0, episodes.Count).ToArray();
        var random = new SplitMix64(seed);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)random.NextLong(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        int trainCount = Math.Clamp((int)Math.Round(trainFraction * episodes.Count), 1, episodes.Count - 1);
        var train = order.Take(trainCount).Order().ToArray();
        var valid = order.Skip(trainCount).Order().ToArray();
        FlatDataset Rows(int[] chosen) => dataset.Select(chosen.SelectMany(e => Enumerable.Range(0, episodes[e].Length).Select(t => episodes[e].Start + t)).ToArray());
        return (Rows(train), Rows(valid), train.Length, valid.Length);
    }
}
