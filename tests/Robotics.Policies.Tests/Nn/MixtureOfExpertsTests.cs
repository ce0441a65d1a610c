using Robotics.Policies.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Nn;

[Collection(TorchCollection.Name)]
public sealed class MixtureOfExpertsTests
{
    [Fact]
    public void Greedy_routing_takes_the_top_k_and_renormalises()
    {
        torch.manual_seed(1);
        using var moe = new MixtureOfExperts(16, 32, 4, 2);
        using var c = randn(6, 16);
        var routing = moe.Route(c, sampling: null);
        var probs = routing.Probabilities;
        var top = probs.topk(2, -1).indexes;
        Assert.True(routing.Indices.eq(top).all().item<bool>());
        Assert.True((routing.Weights.sum(-1) - 1).abs().max().item<float>() < 1e-6f);
        Assert.True((routing.Weights - probs.gather(-1, top) / probs.gather(-1, top).sum(-1, keepdim: true)).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Training_routing_samples_k_distinct_experts_in_proportion_to_the_router()
    {
        torch.manual_seed(2);
        using var moe = new MixtureOfExperts(8, 16, 4, 2);
        using var c = randn(1, 8).expand(20_000, 8).contiguous();
        var routing = moe.Route(c, new Generator(5));
        var idx = routing.Indices;
        Assert.False(idx[.., 0].eq(idx[.., 1]).any().item<bool>());
        // The first draw of sampling without replacement follows the router probabilities.
        var p = routing.Probabilities[0].data<float>().ToArray();
        var first = idx[.., 0].data<long>().ToArray();
        for (int e = 0; e < 4; e++)
            Assert.Equal(p[e], first.Count(i => i == e) / 20_000.0, 1);
        // And it is not just the greedy choice every time (otherwise sampling would be a no-op).
        Assert.True(idx.ne(moe.Route(c, null).Indices).any().item<bool>());
    }

    [Fact]
    public void A_shared_expert_adds_its_output_to_every_token_and_fuses_exactly()
    {
        torch.manual_seed(4);
        using var plain = new MixtureOfExperts(8, 16, 4, 2);
        torch.manual_seed(4);
        using var withShared = new MixtureOfExperts(8, 16, 4, 2, sharedExpert: true);
        using var x = randn(5, 3, 8);
        using var c = randn(5, 8);
        var routing = withShared.Route(c, null);
        var shared = withShared.named_children().Single(m => m.name == "shared").module as SwiGluExpert;
        Assert.NotNull(shared);
        // Same seed: the routed experts and router are identical, so the difference is exactly the shared expert.
        using var expected = plain.Forward(x, plain.Route(c, null)) + shared!.forward(x);
        using var y = withShared.Forward(x, routing);
        Assert.True((y - expected).abs().max().item<float>() < 1e-5f);
        for (int b = 0; b < 5; b++)
        {
            using var fused = withShared.Fuse(c[b].unsqueeze(0));
            Assert.True((fused.Forward(x[b]) - y[b]).abs().max().item<float>() < 1e-5f, $"sample {b}: fused experts differ");
        }
    }

    [Fact]
    public void Dispatched_output_equals_the_explicit_weighted_sum_of_selected_experts()
    {
        torch.manual_seed(3);
        using var moe = new MixtureOfExperts(8, 16, 4, 2);
        using var x = randn(5, 3, 8);
        using var c = randn(5, 8);
        var routing = moe.Route(c, null);
        using var y = moe.Forward(x, routing);
        var experts = moe.children().OfType<TorchSharp.Modules.ModuleList<SwiGluExpert>>().Single();
        for (int b = 0; b < 5; b++)
        {
            var expected = zeros(3, 8);
            for (int k = 0; k < 2; k++)
            {
                int e = (int)routing.Indices[b, k].item<long>();
                expected += experts[e].forward(x[b]) * routing.Weights[b, k];
            }

            Assert.True((y[b] - expected).abs().max().item<float>() < 1e-5f);
        }
    }

    [Fact]
    public void Fused_experts_equal_the_routed_mixture_for_that_noise_level()
    {
        torch.manual_seed(4);
        using var moe = new MixtureOfExperts(8, 16, 4, 2);
        using var c = randn(1, 8);
        using var x = randn(2, 7, 8);
        using var fused = moe.Fuse(c);
        using var expected = moe.Forward(x, moe.Route(c.expand(2, 8), null));
        Assert.True((fused.Forward(x) - expected).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Load_balancing_loss_is_one_when_uniform_and_grows_when_collapsed()
    {
        using var moe = new MixtureOfExperts(4, 8, 4, 2);
        // Uniform probabilities and every expert chosen equally often.
        var probs = full([4, 4], 0.25f);
        var uniform = new RoutingDecision(tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3 }).view(4, 2), full([4, 2], 0.5f), probs, zeros(4, 4));
        Assert.Equal(1.0, moe.LoadBalancingLoss(uniform).item<float>(), 5);
        // All mass and all picks on experts 0 and 1.
        var collapsedProbs = tensor(new[] { 0.5f, 0.5f, 0f, 0f }).expand(4, 4);
        var collapsed = new RoutingDecision(tensor(new long[] { 0, 1 }).expand(4, 2), full([4, 2], 0.5f), collapsedProbs, zeros(4, 4));
        Assert.Equal(2.0, moe.LoadBalancingLoss(collapsed).item<float>(), 5);
    }

    [Fact]
    public void One_expert_is_a_dense_mlp_without_a_router()
    {
        using var dense = new MixtureOfExperts(8, 16, 1, 1);
        Assert.DoesNotContain(dense.named_parameters(), p => p.name.Contains("router"));
        using var c = randn(3, 8);
        var routing = dense.Route(c, new Generator(1));
        Assert.Equal(0.0, dense.LoadBalancingLoss(routing).item<float>());
        Assert.Throws<ArgumentException>(() => new MixtureOfExperts(8, 16, 2, 3));
    }
}
