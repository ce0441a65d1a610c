using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Nn;

/// <summary>
/// A block's mixture of denoising experts. The router sees only the noise embedding, so every token of a
/// sample goes to the same k experts. Training samples the k experts without replacement from the router
/// probabilities; evaluation takes the top k; the chosen probabilities are renormalised to sum to 1.
/// With one expert this is a plain dense SwiGLU MLP (the dense baseline is the same code). An optional shared
/// expert (DeepSeekMoE's and MoDE's ablation) runs on every token beside the routed ones, with weight 1.
/// </summary>
public sealed class MixtureOfExperts : Module
{
    private readonly NoiseRouter? router;
    private readonly ModuleList<SwiGluExpert> experts;
    private readonly SwiGluExpert? shared;

    public MixtureOfExperts(int width, int hidden, int expertCount, int topK, bool sharedExpert = false, string name = "moe") : base(name)
    {
        if (expertCount < 1 || topK < 1 || topK > expertCount)
            throw new ArgumentException($"Need 1 <= top_k <= experts, got top_k {topK} with {expertCount} experts.");
        ExpertCount = expertCount;
        TopK = topK;
        router = expertCount > 1 ? new NoiseRouter(width, expertCount) : null;
        experts = new ModuleList<SwiGluExpert>(Enumerable.Range(0, expertCount).Select(i => new SwiGluExpert(width, hidden, $"expert{i}")).ToArray());
        shared = sharedExpert ? new SwiGluExpert(width, hidden, "shared") : null;
        RegisterComponents();
    }

    public int ExpertCount { get; }
    public int TopK { get; }

    /// <param name="noiseEmbedding">(B, D).</param>
    /// <param name="sampling">A generator to sample experts with (training); null takes the top k (evaluation).</param>
    public RoutingDecision Route(Tensor noiseEmbedding, Generator? sampling)
    {
        long batch = noiseEmbedding.shape[0];
        if (router is null)
        {
            var one = ones(batch, 1, device: noiseEmbedding.device);
            return new RoutingDecision(zeros(batch, 1, dtype: ScalarType.Int64, device: noiseEmbedding.device), one, one, zeros(batch, 1, device: noiseEmbedding.device));
        }

        var logits = router.forward(noiseEmbedding);
        var probs = functional.softmax(logits, -1);
        Tensor indices = sampling is null
            ? probs.topk(TopK, -1).indexes
            : multinomial(probs.detach(), TopK, replacement: false, generator: sampling);
        var chosen = probs.gather(-1, indices);
        return new RoutingDecision(indices, chosen / chosen.sum(-1, keepdim: true), probs, logits);
    }

    /// <summary>Runs each expert only on the samples routed to it and adds the weighted outputs.</summary>
    /// <param name="x">(B, T, D).</param>
    public Tensor Forward(Tensor x, RoutingDecision routing)
    {
        if (router is null)
            return shared is null ? experts[0].forward(x) : experts[0].forward(x) + shared.forward(x);
        var output = shared is null ? zeros_like(x) : shared.forward(x);
        // Held explicitly: an implicitly converted Scalar can be finalized while the native call still reads it.
        using var one = 1.0.ToScalar();
        for (int e = 0; e < ExpertCount; e++)
        {
            using var expert = e.ToScalar();
            var hit = routing.Indices.eq(expert);
            var samples = hit.any(-1).nonzero().squeeze(-1);
            if (samples.shape[0] == 0)
                continue;
            var weight = (routing.Weights * hit).sum(-1).index_select(0, samples);
            var y = experts[e].forward(x.index_select(0, samples)) * weight.view(-1, 1, 1);
            output = output.index_add(0, samples, y, one);
        }

        return output;
    }

    /// <summary>
    /// Load-balancing loss E·sum_i mean(p_i)·f_i, where f_i is the share of (token, slot) assignments that went
    /// to expert i (so sum_i f_i = 1 and the loss is 1 when routing is uniform). Every token of a sample shares
    /// its routing, so counting samples counts tokens.
    /// </summary>
    public Tensor LoadBalancingLoss(RoutingDecision routing)
    {
        if (router is null)
            return zeros(1, device: routing.Probabilities.device).squeeze();
        var counts = zeros(routing.Indices.shape[0], ExpertCount, device: routing.Probabilities.device)
            .scatter_add(-1, routing.Indices, ones_like(routing.Weights));
        using var topK = ((double)TopK).ToScalar();
        using var expertCount = ((double)ExpertCount).ToScalar();
        var fraction = counts.mean([0]).div(topK);
        return (routing.Probabilities.mean([0]) * fraction).sum().mul(expertCount);
    }

    /// <summary>Router z-loss: mean of logsumexp(logits)^2, which keeps router logits small.</summary>
    public Tensor ZLoss(RoutingDecision routing) =>
        router is null ? zeros(1, device: routing.Logits.device).squeeze() : routing.Logits.logsumexp(-1).square().mean();

    /// <summary>Routes one noise embedding (1, D) greedily and fuses the chosen experts into one MLP.</summary>
    public FusedExperts Fuse(Tensor noiseEmbedding)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var routing = Route(noiseEmbedding, sampling: null);
        long[] idx = routing.Indices[0].data<long>().ToArray();
        float[] w = routing.Weights[0].to(ScalarType.Float32).cpu().data<float>().ToArray();
        var chosen = idx.Select(i => experts[(int)i]).ToList();
        var weights = w.Select(v => (double)v).ToList();
        if (shared is not null)
        {
            chosen.Add(shared);
            weights.Add(1.0);
        }

        return new FusedExperts(chosen, weights);
    }
}
