using System.Text;
using System.Text.Json;
using Robotics.Core.IO;
using Robotics.Evaluation.Plans;

namespace Robotics.Evaluation.Store;

/// <summary>
/// A sweep's folder: <c>plan.json</c> (the resolved plan, to resume, merge and report without the original file),
/// <c>shard.json</c>, <c>results.jsonl</c> (one finished episode per line, appended and flushed to disk before the
/// next, so a killed run loses at most the episodes in flight) and <c>DONE</c> once every episode of the shard is in.
/// A line torn by a kill is dropped on resume. Appends are thread-safe.
/// </summary>
public sealed class ResultStore : IDisposable
{
    public const string PlanFile = "plan.json", ShardFile = "shard.json", ResultsFile = "results.jsonl", DoneFile = "DONE";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly object _gate = new();
    private readonly FileStream _results;

    private ResultStore(string directory, FileStream results, IReadOnlyList<SweepRecord> existing)
    {
        Directory = directory;
        _results = results;
        Existing = existing;
    }

    public string Directory { get; }

    /// <summary>Episodes already in the folder when it was opened (a resumed run skips them).</summary>
    public IReadOnlyList<SweepRecord> Existing { get; }

    public static string PlanJson(SweepPlan plan) => JsonSerializer.Serialize(plan, Json);

    /// <summary>Opens <paramref name="directory"/> for <paramref name="plan"/>: new, or (with <paramref name="resume"/>) the same plan and shard again.</summary>
    public static ResultStore Open(string directory, SweepPlan plan, ShardSpec shard, bool resume)
    {
        System.IO.Directory.CreateDirectory(directory);
        string planJson = PlanJson(plan), shardJson = JsonSerializer.Serialize(shard, Json);
        string planPath = Path.Combine(directory, PlanFile), shardPath = Path.Combine(directory, ShardFile), resultsPath = Path.Combine(directory, ResultsFile);
        bool started = File.Exists(planPath) || File.Exists(resultsPath);
        if (started && !resume)
            throw new InvalidOperationException($"{directory} already holds a sweep; pass --resume to continue it, or choose another --out");
        if (started)
        {
            if (!File.Exists(planPath) || File.ReadAllText(planPath) != planJson)
                throw new InvalidOperationException($"{directory} holds a different plan than this one; a resumed run must use the same plan");
            if (File.Exists(shardPath) && File.ReadAllText(shardPath) != shardJson)
                throw new InvalidOperationException($"{directory} holds shard {File.ReadAllText(shardPath)}, not {shardJson}");
        }
        else
        {
            AtomicFile.WriteAllText(planPath, planJson);
            AtomicFile.WriteAllText(shardPath, shardJson);
        }

        File.Delete(Path.Combine(directory, DoneFile));
        var existing = started ? ReadAndRepair(resultsPath) : [];
        var stream = new FileStream(resultsPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new ResultStore(directory, stream, existing);
    }

    public void Append(SweepRecord record)
    {
        byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, Json) + "\n");
        lock (_gate)
        {
            _results.Write(line);
            _results.Flush(flushToDisk: true);
        }
    }

    public void MarkDone() => AtomicFile.WriteAllText(Path.Combine(Directory, DoneFile), DateTime.UtcNow.ToString("O"));

    public static bool IsDone(string directory) => File.Exists(Path.Combine(directory, DoneFile));

    public static SweepPlan ReadPlan(string directory)
    {
        string path = Path.Combine(directory, PlanFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{directory} is not a sweep folder ({PlanFile} missing)", path);
        return JsonSerializer.Deserialize<SweepPlan>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty plan");
    }

    public static ShardSpec ReadShard(string directory)
    {
        string path = Path.Combine(directory, ShardFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<ShardSpec>(File.ReadAllText(path), Json) ?? ShardSpec.Whole : ShardSpec.Whole;
    }

    /// <summary>Every stored episode; a torn last line (a kill mid-write) is skipped, a bad line elsewhere is an error naming it.</summary>
    public static IReadOnlyList<SweepRecord> Read(string directory) => ReadLines(Path.Combine(directory, ResultsFile), repair: false);

    private static IReadOnlyList<SweepRecord> ReadAndRepair(string path) => ReadLines(path, repair: true);

    private static IReadOnlyList<SweepRecord> ReadLines(string path, bool repair)
    {
        if (!File.Exists(path))
            return [];
        byte[] bytes = File.ReadAllBytes(path);
        int end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (repair && end < bytes.Length)
        {
            // The tail after the last newline was being written when the process died: drop it before appending again.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
            stream.SetLength(end);
            stream.Flush(flushToDisk: true);
        }

        var records = new List<SweepRecord>();
        int lineNumber = 0;
        foreach (string line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            try
            {
                records.Add(JsonSerializer.Deserialize<SweepRecord>(line, Json) ?? throw new JsonException("null record"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a sweep record ({e.Message})", e);
            }
        }

        return records;
    }

    public void Dispose() => _results.Dispose();
}
