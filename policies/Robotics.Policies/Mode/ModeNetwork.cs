using Robotics.Policies.Configuration;
using Robotics.Policies.Diffusion;
using Robotics.Policies.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Mode;

/// <summary>
/// The MoDE denoiser (ANCHORS.md sections 1 and 2). Tokens: [noise, task, obs_1..obs_n, (future obs), action_1..action_H]
/// with learned positions; every block adds the noise embedding to its normalised attention input and routes its
/// experts on the noise embedding alone. With the world-model head, a second noise embedding for the future
/// observation's own noise level is added to the action one (equivalent to a linear map of their concatenation).
/// <para>
/// Failure-detector features (<see cref="PolicyNetwork.Predict"/>): the last block's output hidden states (before
/// the final layer norm), averaged over all tokens and then over all denoising steps; length = width. Stable as
/// long as width, layout and sampling steps are; computed from tensors the forward pass produces anyway.
/// </para>
/// </summary>
public sealed class ModeNetwork : PolicyNetwork
{
    private readonly ConditionEncoder condition;
    private readonly NoiseEmbedding action_noise;
    private readonly NoiseEmbedding? obs_noise;
    private readonly Linear action_in;
    private readonly Linear? obs_in;
    private readonly Parameter position;
    private readonly ModuleList<DenoiserBlock> blocks;
    private readonly LayerNorm ln_out;
    private readonly Linear action_out;
    private readonly Linear? obs_out;

    private readonly EdmPreconditioning edm;
    private readonly LogLogisticSigmaSampler sigmaSampler;
    private readonly Dictionary<(WorldModelMode, int), ExpertCache> caches = [];

    public ModeNetwork(PolicyConfig config) : base("mode", config)
    {
        var o = config.Options<ModeOptions>();
        int d = config.Width;
        condition = new ConditionEncoder(config);
        action_noise = new NoiseEmbedding(d, "action_noise");
        action_in = Linear(config.ActionDim, d);
        if (o.WorldModel)
        {
            obs_noise = new NoiseEmbedding(d, "obs_noise");
            obs_in = Linear(config.StateDim, d);
            obs_out = Linear(d, config.StateDim);
        }

        TokenCount = 1 + condition.TokenCount + (o.WorldModel ? 1 : 0) + config.Horizon;
        position = Parameter(randn(1, TokenCount, d) * 0.02);
        blocks = new ModuleList<DenoiserBlock>(Enumerable.Range(0, o.Layers)
            .Select(i => new DenoiserBlock(d, o.Heads, o.ExpertHiddenMultiplier * d, o.Experts, o.TopK, o.Causal, $"block{i}", o.SharedExpert)).ToArray());
        ln_out = LayerNorm(d);
        action_out = Linear(d, config.ActionDim);
        edm = new EdmPreconditioning(o.SigmaData, o.SigmaMin, o.SigmaMax);
        sigmaSampler = LogLogisticSigmaSampler.Default with { SigmaMin = o.SigmaMin, SigmaMax = o.SigmaMax };
        RegisterComponents();
    }

    public int TokenCount { get; }

    public override IReadOnlyList<string> HeadPrefixes => ["action_in.", "action_out.", "obs_in.", "obs_out.", "condition.state.", "condition.task.task_id."];

    public override bool LearnsFromActionFreeData => Options.WorldModel;

    public override int FeatureDimension => Config.Width;
    public ModeOptions Options => Config.Options<ModeOptions>();
    public EdmPreconditioning Preconditioning => edm;

    /// <summary>The action-side training loss (EDM-weighted), the world-model loss, and the router losses.</summary>
    public override LossReport ComputeLoss(PolicyBatch batch, Generator generator)
    {
        var actions = batch.Actions ?? throw new ArgumentException("A training batch needs actions (zeros with has_actions = 0 for action-free episodes).");
        long b = batch.Size;
        var device = actions.device;
        var cond = condition.Forward(batch, generator);
        // Scalars held for the whole call (see TaskEncoder: an implicitly converted one can be finalized mid-call).
        using var sigmaMin = Options.SigmaMin.ToScalar();
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        using var policyShare = 0.4.ToScalar();
        using var inverseShare = 0.6.ToScalar();
        using var forwardShare = 0.8.ToScalar();
        var sa = sigmaSampler.Sample(b, generator, device, batch.Shard);
        var actionWeight = batch.ActionMask ?? ones(b, Config.Horizon, device: device);
        Tensor? so = null, obsWeight = null;
        if (Options.WorldModel)
        {
            if (batch.FutureState is null)
                throw new ArgumentException("The world-model head needs future_state in every training batch.");
            so = sigmaSampler.Sample(b, generator, device, batch.Shard);
            // Log-logistic sigmas almost never reach the extremes, yet the UWM modes condition on a clean side or
            // a noisiest side; a share of the batch trains each regime explicitly (40% independent levels).
            var u = ShardedRandom.Rand([b], generator, device, batch.Shard);
            // where() takes its fill as a 0-dim tensor (an implicit double -> Tensor, owned by the dispose scope).
            so = so.where(u.lt(policyShare) | u.ge(inverseShare), Options.SigmaMax);
            so = so.where(u.lt(inverseShare) | u.ge(forwardShare), Options.SigmaMin);
            sa = sa.where(u.lt(forwardShare), Options.SigmaMin);
            obsWeight = so.gt(sigmaMin).to(ScalarType.Float32);
            actionWeight = actionWeight * sa.gt(sigmaMin).to(ScalarType.Float32).unsqueeze(-1);
        }

        if (batch.HasActions is not null)
        {
            // Action-free episodes: actions held at the noisiest level and not scored.
            sa = sa.where(batch.HasActions.gt(zero), Options.SigmaMax);
            actionWeight = actionWeight * batch.HasActions.unsqueeze(-1);
        }

        var noisyA = actions + ShardedRandom.Randn(actions.shape, generator, device, batch.Shard) * sa.view(-1, 1, 1);
        Tensor? noisyO = null;
        if (so is not null)
            noisyO = batch.FutureState! + ShardedRandom.Randn(batch.FutureState!.shape, generator, device, batch.Shard) * so.view(-1, 1);

        var noise = NoiseVector(sa, so);
        var x = Embed(cond, noise, noisyA * edm.CIn(sa).view(-1, 1, 1), noisyO is null ? null : noisyO * edm.CIn(so!).view(-1, 1));
        var lb = zeros(1, device: device).squeeze();
        var z = zeros(1, device: device).squeeze();
        foreach (var block in blocks)
        {
            var routing = block.Experts.Route(noise, generator);
            lb = lb + block.Experts.LoadBalancingLoss(routing);
            z = z + block.Experts.ZLoss(routing);
            x = block.Forward(x, noise, routing);
        }

        lb = lb / blocks.Count;
        z = z / blocks.Count;
        var (fa, fo) = Heads(x);
        using var loadBalanceWeight = Options.LoadBalanceWeight.ToScalar();
        using var zLossWeight = Options.ZLossWeight.ToScalar();
        using var worldModelWeight = Options.WorldModelLossWeight.ToScalar();
        var total = lb.mul(loadBalanceWeight) + z.mul(zLossWeight);
        var parts = new Dictionary<string, Tensor> { ["load_balance"] = lb.detach(), ["z"] = z.detach() };
        // A batch of action-free episodes only: no action loss at all, so the action head gets no gradient (not a
        // zero one) and the optimiser leaves it alone, as PyTorch does for parameters outside the graph.
        if (batch.HasActions is null || batch.HasActions.max().item<float>() > 0)
        {
            var errA = (fa - edm.Target(actions, noisyA, sa.view(-1, 1, 1))).square().mean([-1]);
            var lossA = (errA * actionWeight).sum() / actionWeight.sum().clamp_min(one);
            total = total + lossA;
            parts["action"] = lossA.detach();
        }
        if (fo is not null)
        {
            var errO = (fo - edm.Target(batch.FutureState!, noisyO!, so!.view(-1, 1))).square().mean([-1]);
            var lossO = (errO * obsWeight!).sum() / obsWeight!.sum().clamp_min(one);
            total = total + lossO.mul(worldModelWeight);
            parts["world_model"] = lossO.detach();
        }

        return new LossReport(total, parts);
    }

    public override (Tensor Actions, Tensor Features) Predict(PolicyBatch batch, Generator generator, CancellationToken cancellationToken = default)
    {
        var s = Sample(batch, WorldModelMode.Policy, generator, cached: true, steps: null, cancellationToken);
        return (s.Actions, s.Features);
    }

    /// <summary>
    /// Samples with DPM-Solver-1 on the exponential schedule. <paramref name="cached"/> uses fused experts
    /// routed once per step; otherwise every step routes and dispatches through the experts.
    /// </summary>
    public ModeSample Sample(PolicyBatch batch, WorldModelMode mode, Generator generator, bool cached, int? steps = null, CancellationToken cancellationToken = default)
    {
        if (mode != WorldModelMode.Policy && !Options.WorldModel)
            throw new InvalidOperationException($"Mode {mode} needs a policy trained with the world-model head (mode.world_model = true).");
        int n = steps ?? Options.SamplingSteps;
        var sigmas = ExponentialSigmaSchedule.Create(n, Options.SigmaMin, Options.SigmaMax);
        long b = batch.Size;
        var device = batch.State.device;
        using var _ = no_grad();
        var cond = condition.Forward(batch, null);
        bool denoiseActions = mode is WorldModelMode.Policy or WorldModelMode.InverseDynamics;
        var cache = cached ? GetCache(mode, sigmas) : null;

        // The side that is not denoised is held fixed: clean inputs at sigma_min, or pure noise at sigma_max.
        Tensor? heldA = null, heldO = null;
        double heldSigma;
        switch (mode)
        {
            case WorldModelMode.Policy:
                heldSigma = Options.SigmaMax;
                if (Options.WorldModel) heldO = randn([b, Config.StateDim], generator: generator, device: device) * heldSigma;
                break;
            case WorldModelMode.InverseDynamics:
                heldSigma = Options.SigmaMin;
                heldO = batch.FutureState ?? throw new ArgumentException("Inverse dynamics needs the future observation (future_state).");
                break;
            case WorldModelMode.ForwardDynamics:
                heldSigma = Options.SigmaMin;
                heldA = batch.Actions ?? throw new ArgumentException("Forward dynamics needs the actions.");
                break;
            default:
                heldSigma = Options.SigmaMax;
                heldA = randn([b, Config.Horizon, Config.ActionDim], generator: generator, device: device) * heldSigma;
                break;
        }

        Tensor featureSum = zeros(b, Config.Width, device: device);
        Tensor initial = (denoiseActions
            ? randn([b, Config.Horizon, Config.ActionDim], generator: generator, device: device)
            : randn([b, Config.StateDim], generator: generator, device: device)) * Options.InitialNoiseScale;
        var result = DpmSolver1Sampler.Sample(initial, sigmas, (x, sigma, step) =>
        {
            double sa = denoiseActions ? sigma : heldSigma;
            double so = denoiseActions ? heldSigma : sigma;
            var xa = denoiseActions ? x : heldA!;
            var xo = denoiseActions ? heldO : x;
            var (fa, fo, hidden) = Forward(cond, xa, sa, xo, so, cache, step);
            featureSum = featureSum + hidden.mean([1]);
            var sigmaT = full([1], sigma, device: device);
            return denoiseActions ? edm.Denoise(x, fa, sigmaT) : edm.Denoise(x, fo!, sigmaT);
        }, cancellationToken);

        var features = featureSum / n;
        return denoiseActions
            ? new ModeSample(result, heldO is null || mode == WorldModelMode.Policy ? null : heldO, features)
            : new ModeSample(heldA!, result, features);
    }

    public override void OnWeightsChanged() => ClearExpertCache();

    /// <summary>Drops fused-expert caches; call after the weights change.</summary>
    public void ClearExpertCache()
    {
        foreach (var c in caches.Values) c.Dispose();
        caches.Clear();
    }

    private (Tensor Fa, Tensor? Fo, Tensor Hidden) Forward(Tensor cond, Tensor xa, double sa, Tensor? xo, double so, ExpertCache? cache, int step)
    {
        long b = cond.shape[0];
        var device = cond.device;
        var sigmaA = full([b], sa, device: device);
        var sigmaO = full([b], so, device: device);
        var noise = cache is null ? NoiseVector(sigmaA, Options.WorldModel ? sigmaO : null) : cache.Noise[step].expand(b, -1);
        var x = Embed(cond, noise, xa * edm.CIn(sigmaA).view(-1, 1, 1), xo is null ? null : xo * edm.CIn(sigmaO).view(-1, 1));
        for (int i = 0; i < blocks.Count; i++)
        {
            x = cache is null
                ? blocks[i].Forward(x, noise, blocks[i].Experts.Route(noise, sampling: null))
                : blocks[i].ForwardCached(x, noise, cache.Fused[step][i]);
        }

        var (fa, fo) = Heads(x);
        return (fa, fo, x);
    }

    private ExpertCache GetCache(WorldModelMode mode, double[] sigmas)
    {
        int steps = sigmas.Length - 1;
        if (caches.TryGetValue((mode, steps), out var cache))
            return cache;
        // The cache outlives the caller's dispose scope: its tensors are detached from every scope and freed by Dispose.
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool denoiseActions = mode is WorldModelMode.Policy or WorldModelMode.InverseDynamics;
        double held = mode is WorldModelMode.Policy or WorldModelMode.ObservationPrediction ? Options.SigmaMax : Options.SigmaMin;
        var device = position.device;
        var noise = new Tensor[steps];
        var fused = new FusedExperts[steps][];
        for (int i = 0; i < steps; i++)
        {
            var sa = full([1], denoiseActions ? sigmas[i] : held, device: device);
            var so = full([1], denoiseActions ? held : sigmas[i], device: device);
            noise[i] = NoiseVector(sa, Options.WorldModel ? so : null).detach().DetachFromDisposeScope();
            fused[i] = blocks.Select(block => block.Experts.Fuse(noise[i])).ToArray();
        }

        cache = new ExpertCache(noise, fused);
        caches[(mode, steps)] = cache;
        return cache;
    }

    private Tensor NoiseVector(Tensor sigmaA, Tensor? sigmaO) =>
        obs_noise is null || sigmaO is null ? action_noise.forward(sigmaA) : action_noise.forward(sigmaA) + obs_noise.forward(sigmaO);

    private Tensor Embed(Tensor cond, Tensor noise, Tensor actionInput, Tensor? obsInput)
    {
        var parts = new List<Tensor> { noise.unsqueeze(1), cond };
        if (obs_in is not null)
            parts.Add(obs_in.forward(obsInput ?? throw new ArgumentException("The world-model head needs an observation input.")).unsqueeze(1));
        parts.Add(action_in.forward(actionInput));
        return cat(parts, 1) + position;
    }

    private (Tensor Fa, Tensor? Fo) Heads(Tensor hidden)
    {
        var y = ln_out.forward(hidden);
        int h = Config.Horizon;
        var fa = action_out.forward(y.narrow(1, TokenCount - h, h));
        var fo = obs_out?.forward(y[.., TokenCount - h - 1]);
        return (fa, fo);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) ClearExpertCache();
        base.Dispose(disposing);
    }
}
