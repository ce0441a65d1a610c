using Robotics.Core.IO;
using Robotics.Evaluation.Plans;
using Robotics.Evaluation.Store;

namespace Robotics.Evaluation.Sweeps;

/// <summary>
/// Joins shard folders of one plan into one folder whose results are in canonical order, as an unsharded run of the
/// plan would store them. Refuses folders of different plans, conflicting duplicates, and (unless partial results
/// are asked for) missing episodes.
/// </summary>
public static class SweepMerge
{
    /// <param name="overwrite">Replace the results of an earlier merge in <paramref name="output"/> (a retried merge pod).</param>
    public static (int Records, int Missing) Merge(IReadOnlyList<string> shardDirectories, string output, bool allowPartial = false, bool overwrite = false)
    {
        if (shardDirectories.Count == 0)
            throw new ArgumentException("no shard folders to merge");
        string planJson = File.ReadAllText(Path.Combine(shardDirectories[0], ResultStore.PlanFile));
        var plan = ResultStore.ReadPlan(shardDirectories[0]);
        var byKey = new Dictionary<string, SweepRecord>(StringComparer.Ordinal);
        foreach (string dir in shardDirectories)
        {
            string other = File.Exists(Path.Combine(dir, ResultStore.PlanFile)) ? File.ReadAllText(Path.Combine(dir, ResultStore.PlanFile)) : "";
            if (other != planJson)
                throw new InvalidDataException($"{dir} holds another plan than {shardDirectories[0]}; only shards of one plan can be merged");
            foreach (var record in ResultStore.Read(dir))
            {
                if (byKey.TryGetValue(record.Key, out var seen))
                {
                    if (seen.Result.Success != record.Result.Success || seen.Result.Steps != record.Result.Steps || seen.Result.Seed != record.Result.Seed)
                        throw new InvalidDataException($"{dir}: episode {record.Key} differs from the copy in another shard; the shards did not run the same plan the same way");
                    continue;
                }

                byKey[record.Key] = record;
            }
        }

        var items = plan.Items();
        var missing = items.Where(i => !byKey.ContainsKey(i.Key)).ToArray();
        if (missing.Length > 0 && !allowPartial)
            throw new InvalidDataException($"{missing.Length} of {items.Count} episodes are in no shard (first: {missing[0].Key}); run the missing shards or pass --partial");
        var ordered = items.Where(i => byKey.ContainsKey(i.Key)).Select(i => byKey[i.Key]).ToArray();
        Directory.CreateDirectory(output);
        if (File.Exists(Path.Combine(output, ResultStore.ResultsFile)) && !overwrite)
            throw new InvalidOperationException($"{output} already holds results; merge into a new folder or pass --overwrite");
        File.Delete(Path.Combine(output, ResultStore.DoneFile));
        AtomicFile.WriteAllText(Path.Combine(output, ResultStore.PlanFile), planJson);
        AtomicFile.WriteAllText(Path.Combine(output, ResultStore.ShardFile), System.Text.Json.JsonSerializer.Serialize(ShardSpec.Whole, ResultStore.Json));
        AtomicFile.Write(Path.Combine(output, ResultStore.ResultsFile), temp =>
            File.WriteAllLines(temp, ordered.Select(r => System.Text.Json.JsonSerializer.Serialize(r, ResultStore.Json))));
        if (missing.Length == 0)
            AtomicFile.WriteAllText(Path.Combine(output, ResultStore.DoneFile), DateTime.UtcNow.ToString("O"));
        return (ordered.Length, missing.Length);
    }
}
