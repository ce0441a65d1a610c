using Robotics.Policies.Diffusion;
using Robotics.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Diffusion;

[Collection(TorchCollection.Name)]
public sealed class DiffusionMathTests
{
    private static readonly EdmPreconditioning Edm = new();

    [Fact]
    public void Preconditioning_matches_the_EDM_formulas()
    {
        using var sigma = tensor(new[] { 0.001f, 0.5f, 80f });
        var cSkip = Edm.CSkip(sigma).data<float>().ToArray();
        var cOut = Edm.COut(sigma).data<float>().ToArray();
        var cIn = Edm.CIn(sigma).data<float>().ToArray();
        double[] s = [0.001, 0.5, 80];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0.25 / (s[i] * s[i] + 0.25), cSkip[i], 5);
            Assert.Equal(s[i] * 0.5 / Math.Sqrt(s[i] * s[i] + 0.25), cOut[i], 5);
            Assert.Equal(1 / Math.Sqrt(s[i] * s[i] + 0.25), cIn[i], 5);
        }
    }

    [Fact]
    public void Network_output_equal_to_the_target_denoises_exactly()
    {
        var g = new Generator(3);
        using var clean = randn([8, 4], generator: g);
        using var sigma = tensor(new[] { 0.01f, 0.1f, 0.3f, 1f, 2f, 5f, 20f, 80f }).view(-1, 1);
        using var noisy = clean + randn([8, 4], generator: g) * sigma;
        using var denoised = Edm.Denoise(noisy, Edm.Target(clean, noisy, sigma), sigma);
        Assert.True((denoised - clean).abs().max().item<float>() < 1e-3f);
    }

    [Fact]
    public void Exponential_schedule_is_geometric_from_max_to_min_then_zero()
    {
        var sigmas = ExponentialSigmaSchedule.Create(10, 0.001, 80);
        Assert.Equal(11, sigmas.Length);
        Assert.Equal(80, sigmas[0], 9);
        Assert.Equal(0.001, sigmas[9], 9);
        Assert.Equal(0, sigmas[10]);
        double ratio = sigmas[1] / sigmas[0];
        for (int i = 1; i < 9; i++)
            Assert.Equal(ratio, sigmas[i + 1] / sigmas[i], 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => ExponentialSigmaSchedule.Create(0, 0.001, 80));
    }

    [Fact]
    public void Log_logistic_sigmas_have_the_stated_median_quantile_and_range()
    {
        var sampler = LogLogisticSigmaSampler.Default;
        using var sigmas = sampler.Sample(200_000, new Generator(7));
        var values = sigmas.data<float>().ToArray();
        Assert.All(values, v => Assert.InRange(v, 0.001f, 80f));
        Array.Sort(values);
        // log sigma ~ Logistic(log 0.5, 0.5): median 0.5, and P(sigma < 0.5·e^0.5) = sigmoid(1).
        Assert.Equal(0.5, values[values.Length / 2], 2);
        double below = values.Count(v => v < 0.5 * Math.Exp(0.5)) / (double)values.Length;
        Assert.Equal(1 / (1 + Math.Exp(-1)), below, 2);
    }

    [Fact]
    public void Sampler_with_the_ideal_gaussian_denoiser_recovers_the_data_variance()
    {
        // Data ~ N(0, s^2): the ideal denoiser is x·s²/(s²+σ²). A correct DPM-Solver-1 over the schedule must map
        // N(0, σ_max²) noise to samples whose spread is close to s.
        const double s = 0.7;
        var g = new Generator(11);
        using var noise = randn([20_000], generator: g);
        double Spread(int steps)
        {
            using var result = DpmSolver1Sampler.Sample(noise, ExponentialSigmaSchedule.Create(steps, 0.001, 80), (x, sigma, _) => x * (s * s / (s * s + sigma * sigma)));
            return result.std().item<float>();
        }

        // First-order solver: the error shrinks as steps grow.
        double coarse = Math.Abs(Spread(10) - s), fine = Math.Abs(Spread(400) - s);
        Assert.True(fine < coarse, $"error with 400 steps {fine} is not below the error with 10 steps {coarse}");
        Assert.True(fine < 0.01, $"400-step spread misses {s} by {fine}");
    }

    [Fact]
    public void Sampler_with_a_point_mass_denoiser_lands_on_the_point()
    {
        using var noise = randn([5, 3], generator: new Generator(1));
        using var target = full([5, 3], 0.25f);
        using var result = DpmSolver1Sampler.Sample(noise, ExponentialSigmaSchedule.Create(5, 0.001, 80), (_, _, _) => target);
        Assert.True((result - target).abs().max().item<float>() < 1e-6f);
    }
}
