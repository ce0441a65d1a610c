using System.Text.Json;
using System.Text.Json.Serialization;
using Robotics.Core.Tasks;
using Robotics.Policies.Processing;

namespace Robotics.Policies.Configuration;

/// <summary>
/// Everything needed to rebuild a policy network without the training code: its registered <see cref="Type"/>,
/// the shapes it was trained for, chunking, task list and normalisation (shared by every policy type), plus each
/// type's own options under its section (<see cref="Options{T}"/>; e.g. "mode" for MoDE). Saved as config.json.
/// </summary>
public sealed class PolicyConfig : IJsonOnSerializing
{
    private readonly Dictionary<string, object> options = new(StringComparer.Ordinal);

    /// <summary>Registered policy type name (see PolicyRegistry): "mode" or "mlp_bc".</summary>
    public string Type { get; set; } = "mode";

    /// <summary>The environment the policy was trained for (informational; eval defaults to it).</summary>
    public string? Environment { get; set; }

    /// <summary>Dataset column appended to the state in training (e.g. infos/goal); evaluation appends the live goal.</summary>
    public string? GoalKey { get; set; }

    public int StateDim { get; set; }
    public int ActionDim { get; set; }

    /// <summary>Camera names (observation.images.NAME); empty for state-only policies.</summary>
    public List<string> Cameras { get; set; } = [];

    /// <summary>Image shape (H, W, C) of every camera.</summary>
    public int[] ImageShape { get; set; } = [];

    public List<TaskSpec> Tasks { get; set; } = [];

    public int Horizon { get; set; } = 16;
    public int ExecutedSteps { get; set; } = 8;
    public int ObservationHistory { get; set; } = 2;

    public int Width { get; set; } = 128;
    public int TextBuckets { get; set; } = 4096;
    public double GoalDropout { get; set; } = 0.1;
    public double TaskIdDropout { get; set; } = 0.3;

    public const string LinearStateEncoder = "linear";
    public const string MlpStateEncoder = "mlp";

    /// <summary>How each frame's state becomes a token: "linear" (one projection) or "mlp" (Linear-GELU-Linear).</summary>
    public string StateEncoder { get; set; } = LinearStateEncoder;

    /// <summary>How observation.state is normalised: "min_max" (to [-1, 1]) or "mean_std".</summary>
    public string StateNormalization { get; set; } = AffineNormalizer.MinMax;

    /// <summary>How actions are normalised; "min_max" keeps the diffusion target bounded.</summary>
    public string ActionNormalization { get; set; } = AffineNormalizer.MinMax;

    /// <summary>Policy-type sections as read from JSON (e.g. "mode", "mlp"); typed through <see cref="Options{T}"/>.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Sections { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The options of section <typeparamref name="T"/> (its defaults when the config has none); changes stick and are saved.</summary>
    public T Options<T>() where T : class, IPolicyOptionsSection, new()
    {
        if (options.TryGetValue(T.Section, out var known))
            return (T)known;
        var value = Sections.TryGetValue(T.Section, out var json) ? json.Deserialize<T>(Json) ?? new T() : new T();
        options[T.Section] = value;
        return value;
    }

    /// <summary>Sets section <typeparamref name="T"/> (for building configs in code).</summary>
    public PolicyConfig With<T>(T value) where T : class, IPolicyOptionsSection, new()
    {
        options[T.Section] = value;
        return this;
    }

    void IJsonOnSerializing.OnSerializing()
    {
        foreach (var (section, value) in options)
            Sections[section] = JsonSerializer.SerializeToElement(value, value.GetType(), Json);
    }

    [JsonIgnore]
    public int TaskCount => Math.Max(1, Tasks.Count);

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public IEnumerable<string> Validate()
    {
        if (StateDim < 1) yield return $"state_dim must be >= 1 (got {StateDim}).";
        if (ActionDim < 1) yield return $"action_dim must be >= 1 (got {ActionDim}).";
        if (Horizon < 1) yield return $"horizon must be >= 1 (got {Horizon}).";
        if (ExecutedSteps < 1 || ExecutedSteps > Horizon) yield return $"executed_steps must be in [1, horizon={Horizon}] (got {ExecutedSteps}).";
        if (ObservationHistory < 1) yield return $"observation_history must be >= 1 (got {ObservationHistory}).";
        if (Width < 8) yield return $"width must be >= 8 (got {Width}).";
        if (TextBuckets < 1) yield return $"text_buckets must be >= 1 (got {TextBuckets}).";
        if (GoalDropout is < 0 or >= 1) yield return $"goal_dropout must be in [0, 1) (got {GoalDropout}).";
        if (TaskIdDropout is < 0 or > 1) yield return $"task_id_dropout must be in [0, 1] (got {TaskIdDropout}).";
        if (StateEncoder is not (LinearStateEncoder or MlpStateEncoder)) yield return $"state_encoder must be {LinearStateEncoder} or {MlpStateEncoder} (got '{StateEncoder}').";
        if (!AffineNormalizer.Modes.Contains(StateNormalization)) yield return $"state_normalization must be one of {string.Join(", ", AffineNormalizer.Modes)} (got '{StateNormalization}').";
        if (!AffineNormalizer.Modes.Contains(ActionNormalization)) yield return $"action_normalization must be one of {string.Join(", ", AffineNormalizer.Modes)} (got '{ActionNormalization}').";
        if (Cameras.Count > 0 && ImageShape.Length != 3) yield return $"image_shape must be [H, W, C] when cameras are set (got [{string.Join(", ", ImageShape)}]).";
        for (int i = 0; i < Tasks.Count; i++)
        {
            if (Tasks[i].Index != i)
                yield return $"tasks[{i}] has index {Tasks[i].Index}; task indices must be 0..{Tasks.Count - 1} in order.";
        }

        if (!Registry.PolicyRegistry.TryGet(Type, out var type))
        {
            yield return $"type '{Type}' is not a registered policy type ({string.Join(", ", Registry.PolicyRegistry.All.Select(t => t.Name))}).";
            yield break;
        }

        foreach (var e in type.Options(this).Validate(this)) yield return e;
    }

    /// <summary>Throws one exception listing every invalid option.</summary>
    public PolicyConfig EnsureValid()
    {
        var errors = Validate().ToList();
        if (errors.Count > 0)
            throw new InvalidPolicyConfigException(errors);
        return this;
    }

    public PolicyConfig Clone() => JsonSerializer.Deserialize<PolicyConfig>(JsonSerializer.Serialize(this, Json), Json)!;
}
