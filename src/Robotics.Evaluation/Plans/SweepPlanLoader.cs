using System.Text.Json;
using Robotics.Evaluation.Conditions;
using Robotics.Evaluation.Policies;
using Robotics.Sims.Environments;

namespace Robotics.Evaluation.Plans;

/// <summary>
/// Reads a sweep plan (JSON) and checks it against what is registered here: policy kinds, checkpoints and their
/// dimensions, environments, task indices, fault kinds. All problems are reported at once, each with its JSON path.
/// <code>
/// { "name": "ci", "seed": 1000, "episodesPerCell": 10, "device": "cpu", "recordFeatures": false,
///   "policies": [ { "name": "expert", "kind": "expert" }, { "name": "mode", "kind": "checkpoint", "checkpoint": "runs/m/final" } ],
///   "environments": [ { "id": "tabletop-push", "tasks": [0, 1, 2] }, { "id": "maze2d-umaze", "tasks": "all" } ],
///   "conditions": [ { "name": "nominal" }, { "name": "shove", "fault": "shove", "faultRate": 1.0 } ] }
/// </code>
/// Relative checkpoint paths are resolved against the plan file's folder.
/// </summary>
public static class SweepPlanLoader
{
    private static readonly HashSet<string> TopKeys = ["name", "seed", "episodesPerCell", "policies", "environments", "conditions", "recordFeatures", "samplesPerCall", "device"];
    private static readonly HashSet<string> PolicyKeys = ["name", "kind", "checkpoint", "style", "actionNoise", "samplingSteps", "executedSteps", "noiseScale", "environments"];
    private static readonly HashSet<string> EnvironmentKeys = ["id", "tasks", "episodesPerCell"];
    private static readonly HashSet<string> ConditionKeys = ["name", "fault", "faultRate", "actionNoise", "observationNoise", "initialRandomSteps", "unseenInstructions", "environments"];

    public static SweepPlan Load(string path)
    {
        if (!File.Exists(path))
            throw new SweepPlanException(path, ["the plan file does not exist"]);
        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    public static SweepPlan Parse(string json, string source = "<plan>", string? baseDirectory = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SweepPlanException(source, [$"not valid JSON: line {e.LineNumber + 1}, byte {e.BytePositionInLine}: {e.Message}"]);
        }

        using (document)
        {
            var errors = new List<string>();
            var reader = new Reader(errors);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SweepPlanException(source, ["$: the plan must be a JSON object"]);
            reader.UnknownKeys(root, "$", TopKeys);
            string name = reader.String(root, "$", "name") ?? "sweep";
            long seed = reader.Long(root, "$", "seed") ?? 0;
            int episodes = reader.Int(root, "$", "episodesPerCell", min: 1) ?? 0;
            if (!root.TryGetProperty("episodesPerCell", out _))
                errors.Add("$.episodesPerCell: required (episodes per cell, >= 1)");
            bool features = reader.Bool(root, "$", "recordFeatures") ?? false;
            string device = reader.String(root, "$", "device") ?? "cpu";
            int samples = reader.Int(root, "$", "samplesPerCall", min: 0) ?? 0;
            if (samples > 0 && !features)
                errors.Add("$.samplesPerCall: needs \"recordFeatures\": true (samples are recorded with the features)");

            var environments = reader.Array(root, "$", "environments", required: true).Select((e, i) => ReadEnvironment(reader, e, $"$.environments[{i}]")).ToList();
            var policies = reader.Array(root, "$", "policies", required: true).Select((p, i) => ReadPolicy(reader, p, $"$.policies[{i}]", baseDirectory)).ToList();
            var conditionElements = reader.Array(root, "$", "conditions", required: false);
            var conditions = conditionElements.Count == 0
                ? [EvaluationCondition.Nominal]
                : conditionElements.Select((c, i) => ReadCondition(reader, c, $"$.conditions[{i}]")).ToList();

            Unique(errors, policies.Select(p => p?.Name), "$.policies", "name");
            Unique(errors, environments.Select(e => e?.Id), "$.environments", "id");
            Unique(errors, conditions.Select(c => c?.Name), "$.conditions", "name");
            for (int i = 0; i < conditions.Count; i++)
            {
                if (conditions[i]?.Fault is not { } fault)
                    continue;
                foreach (string id in conditions[i]!.Environments ?? [])
                {
                    if (!environments.Any(e => e?.Id == id))
                        errors.Add($"$.conditions[{i}].environments: '{id}' is not among the plan's environments");
                }

                foreach (var env in environments.Where(e => e is not null && conditions[i]!.AppliesTo(e.Id)))
                {
                    var registration = EnvironmentRegistry.Get(env!.Id);
                    var kinds = registration.CreateFailureInjector?.Invoke().Kinds;
                    if (kinds is null)
                        errors.Add($"$.conditions[{i}].fault: '{fault}' needs a failure injector, and environment '{env.Id}' has none");
                    else if (fault != EvaluationCondition.AnyFault && !kinds.Contains(fault))
                        errors.Add($"$.conditions[{i}].fault: '{fault}' is not a fault of '{env.Id}' (known: {string.Join(", ", kinds)}, or 'any')");
                }
            }

            for (int i = 0; i < policies.Count; i++)
            {
                if (policies[i] is not { } policy)
                    continue;
                foreach (string id in policy.Environments ?? [])
                {
                    if (!environments.Any(e => e?.Id == id))
                        errors.Add($"$.policies[{i}].environments: '{id}' is not among the plan's environments");
                }

                foreach (var env in environments.Where(e => e is not null && policy.RunsIn(e.Id)))
                {
                    if (PolicyFactory.Problem(policy, EnvironmentRegistry.Get(env!.Id)) is { } problem)
                        errors.Add($"$.policies[{i}]: {problem}");
                }
            }

            if (errors.Count > 0)
                throw new SweepPlanException(source, errors);
            return new SweepPlan(name, seed, episodes, policies!, environments!, conditions!, features, device, samples);
        }
    }

    private static PolicySpec? ReadPolicy(Reader r, JsonElement e, string path, string? baseDirectory)
    {
        if (!r.Object(e, path))
            return null;
        r.UnknownKeys(e, path, PolicyKeys);
        string? name = r.String(e, path, "name", required: true);
        string? kind = r.String(e, path, "kind", required: true);
        if (kind is not null && !PolicyFactory.IsKnown(kind))
            r.Errors.Add($"{path}.kind: '{kind}' is not one of {string.Join(", ", PolicyFactory.Names)}");
        string? checkpoint = r.String(e, path, "checkpoint");
        if (kind == "checkpoint" && checkpoint is null)
            r.Errors.Add($"{path}.checkpoint: required for kind 'checkpoint'");
        if (checkpoint is not null && baseDirectory is not null && !Path.IsPathRooted(checkpoint) && !Directory.Exists(checkpoint))
            checkpoint = Path.GetFullPath(Path.Combine(baseDirectory, checkpoint));
        double noise = r.Double(e, path, "actionNoise", min: 0, max: 2) ?? 0;
        var only = r.StringList(e, path, "environments");
        var spec = new PolicySpec(name ?? "", kind ?? "", checkpoint, r.String(e, path, "style"), noise,
            r.Int(e, path, "samplingSteps", min: 1), r.Int(e, path, "executedSteps", min: 1), r.Double(e, path, "noiseScale", min: 0, max: 1), only);
        return name is null || kind is null ? null : spec;
    }

    private static EnvironmentPlan? ReadEnvironment(Reader r, JsonElement e, string path)
    {
        if (!r.Object(e, path))
            return null;
        r.UnknownKeys(e, path, EnvironmentKeys);
        string? id = r.String(e, path, "id", required: true);
        if (id is null)
            return null;
        if (!EnvironmentRegistry.TryGet(id, out var registration))
        {
            r.Errors.Add($"{path}.id: '{id}' is not a registered environment (known: {string.Join(", ", EnvironmentRegistry.All.Select(x => x.Id))})");
            return null;
        }

        int taskCount;
        using (var env = registration.Create())
            taskCount = Math.Max(1, env.Spec.Tasks.Count);
        int? episodes = r.Int(e, path, "episodesPerCell", min: 1);
        if (!e.TryGetProperty("tasks", out var tasks) || tasks.ValueKind == JsonValueKind.Null || (tasks.ValueKind == JsonValueKind.String && tasks.GetString() == "all"))
            return new EnvironmentPlan(id, Enumerable.Range(0, taskCount).ToArray(), episodes);
        if (tasks.ValueKind != JsonValueKind.Array)
        {
            r.Errors.Add($"{path}.tasks: expected \"all\" or a list of task indices, got {tasks.ValueKind}");
            return null;
        }

        var list = new List<int>();
        int k = 0;
        foreach (var t in tasks.EnumerateArray())
        {
            if (t.ValueKind != JsonValueKind.Number || !t.TryGetInt32(out int index))
                r.Errors.Add($"{path}.tasks[{k}]: expected an integer task index");
            else if (index < 0 || index >= taskCount)
                r.Errors.Add($"{path}.tasks[{k}]: task {index} is outside [0, {taskCount - 1}] for '{id}'");
            else
                list.Add(index);
            k++;
        }

        if (k == 0)
            r.Errors.Add($"{path}.tasks: empty; omit it or use \"all\" for every task");
        return new EnvironmentPlan(id, list.Distinct().ToArray(), episodes);
    }

    private static EvaluationCondition? ReadCondition(Reader r, JsonElement e, string path)
    {
        if (!r.Object(e, path))
            return null;
        r.UnknownKeys(e, path, ConditionKeys);
        string? name = r.String(e, path, "name", required: true);
        var condition = new EvaluationCondition(name ?? "", r.String(e, path, "fault"), r.Double(e, path, "faultRate", min: 0, max: 1) ?? 1.0,
            r.Double(e, path, "actionNoise", min: 0, max: 2) ?? 0, r.Double(e, path, "observationNoise", min: 0, max: 10) ?? 0,
            r.Int(e, path, "initialRandomSteps", min: 0) ?? 0, r.Bool(e, path, "unseenInstructions") ?? false, r.StringList(e, path, "environments"));
        return name is null ? null : condition;
    }

    private static void Unique(List<string> errors, IEnumerable<string?> names, string path, string key)
    {
        foreach (var group in names.Select((n, i) => (n, i)).Where(x => x.n is not null).GroupBy(x => x.n).Where(g => g.Count() > 1))
            errors.Add($"{path}[{string.Join(", ", group.Select(x => x.i))}].{key}: '{group.Key}' is used more than once; names must be unique");
    }

    /// <summary>Typed reads that record an error naming the path instead of throwing, so every problem is reported.</summary>
    private sealed class Reader(List<string> errors)
    {
        public List<string> Errors { get; } = errors;

        public bool Object(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Object)
                return true;
            Errors.Add($"{path}: expected an object, got {e.ValueKind}");
            return false;
        }

        public void UnknownKeys(JsonElement e, string path, HashSet<string> known)
        {
            foreach (var p in e.EnumerateObject().Where(p => !known.Contains(p.Name)))
                Errors.Add($"{path}.{p.Name}: unknown key (known: {string.Join(", ", known)})");
        }

        public IReadOnlyList<JsonElement> Array(JsonElement e, string path, string key, bool required)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                if (required)
                    Errors.Add($"{path}.{key}: required (a non-empty list)");
                return [];
            }

            if (v.ValueKind != JsonValueKind.Array)
            {
                Errors.Add($"{path}.{key}: expected a list, got {v.ValueKind}");
                return [];
            }

            var items = v.EnumerateArray().ToArray();
            if (items.Length == 0 && required)
                Errors.Add($"{path}.{key}: empty");
            return items;
        }

        public string? String(JsonElement e, string path, string key, bool required = false)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                if (required)
                    Errors.Add($"{path}.{key}: required");
                return null;
            }

            if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
                return s;
            Errors.Add($"{path}.{key}: expected a non-empty string, got {v.ValueKind}");
            return null;
        }

        public long? Long(JsonElement e, string path, string key)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long l))
                return l;
            Errors.Add($"{path}.{key}: expected an integer, got {v}");
            return null;
        }

        public int? Int(JsonElement e, string path, string key, int min = int.MinValue)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) && i >= min)
                return i;
            Errors.Add($"{path}.{key}: expected an integer >= {min}, got {v}");
            return null;
        }

        public double? Double(JsonElement e, string path, string key, double min, double max)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.Number && v.GetDouble() is var d && d >= min && d <= max)
                return d;
            Errors.Add($"{path}.{key}: expected a number in [{min}, {max}], got {v}");
            return null;
        }

        public IReadOnlyList<string>? StringList(JsonElement e, string path, string key)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String))
                return v.EnumerateArray().Select(x => x.GetString()!).ToArray();
            Errors.Add($"{path}.{key}: expected a list of strings");
            return null;
        }

        public bool? Bool(JsonElement e, string path, string key)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
                return v.GetBoolean();
            Errors.Add($"{path}.{key}: expected true or false, got {v}");
            return null;
        }
    }
}
