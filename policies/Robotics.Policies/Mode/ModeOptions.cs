using Robotics.Policies.Configuration;

namespace Robotics.Policies.Mode;

/// <summary>
/// The MoDE diffusion transformer (and, with one expert, the dense baseline). Defaults follow ANCHORS.md
/// section 1 except the sizes, which are small enough to train on two CPU cores.
/// </summary>
public sealed class ModeOptions : IPolicyOptionsSection, ISampledPolicyOptions
{
    public static string Section => "mode";

    public int Layers { get; set; } = 4;
    public int Heads { get; set; } = 4;
    public int Experts { get; set; } = 4;
    public int TopK { get; set; } = 2;

    /// <summary>Expert hidden size = multiplier · width (4 in MoDE; a dense model of equal active size uses k·4).</summary>
    public int ExpertHiddenMultiplier { get; set; } = 4;

    /// <summary>
    /// One more expert that every token uses with weight 1 beside the routed ones (off in MoDE's default; its ablation
    /// "shared expert"). Routers here settle on one expert per noise level, so a shared expert keeps one MLP trained on
    /// every noise level. Equal active size to a dense model of hidden m·D: shared + top_k routed, each (m / (k+1))·D.
    /// </summary>
    public bool SharedExpert { get; set; }

    /// <summary>Causal attention over [noise, task, observations, actions]. The world-model head needs it off.</summary>
    public bool Causal { get; set; } = true;

    public double LoadBalanceWeight { get; set; } = 0.01;
    public double ZLossWeight { get; set; } = 0.001;
    public int SamplingSteps { get; set; } = 10;
    public double SigmaData { get; set; } = 0.5;
    public double SigmaMin { get; set; } = 0.001;
    public double SigmaMax { get; set; } = 80.0;

    /// <summary>
    /// Scale of the initial noise the sampler starts from (1 = the trained prior). Below 1 samples lower-temperature,
    /// closer to the mode: 0 makes inference deterministic (DDIM from the prior's mean).
    /// </summary>
    public double InitialNoiseScale { get; set; } = 1.0;

    /// <summary>UWM-style head that also denoises the future observation with its own noise level.</summary>
    public bool WorldModel { get; set; }

    public double WorldModelLossWeight { get; set; } = 1.0;

    public IEnumerable<string> Validate(PolicyConfig config)
    {
        int width = config.Width;
        if (Layers < 1) yield return $"mode.layers must be >= 1 (got {Layers}).";
        if (Heads < 1 || width % Heads != 0) yield return $"mode.heads ({Heads}) must divide width ({width}).";
        if (Experts < 1) yield return $"mode.experts must be >= 1 (got {Experts}).";
        if (TopK < 1 || TopK > Experts) yield return $"mode.top_k must be in [1, experts={Experts}] (got {TopK}).";
        if (ExpertHiddenMultiplier < 1) yield return $"mode.expert_hidden_multiplier must be >= 1 (got {ExpertHiddenMultiplier}).";
        if (SamplingSteps < 1) yield return $"mode.sampling_steps must be >= 1 (got {SamplingSteps}).";
        if (!(SigmaMin > 0 && SigmaMax > SigmaMin)) yield return $"mode.sigma_min/sigma_max must satisfy 0 < min < max (got {SigmaMin}, {SigmaMax}).";
        if (InitialNoiseScale is < 0 or > 1 || double.IsNaN(InitialNoiseScale)) yield return $"mode.initial_noise_scale must be in [0, 1] (got {InitialNoiseScale}).";
        if (SigmaData <= 0) yield return $"mode.sigma_data must be > 0 (got {SigmaData}).";
        if (LoadBalanceWeight < 0 || ZLossWeight < 0) yield return "mode.load_balance_weight and mode.z_loss_weight must be >= 0.";
        if (WorldModel && Causal) yield return "mode.world_model needs mode.causal = false (actions must attend to the future observation for inverse dynamics).";
    }
}
