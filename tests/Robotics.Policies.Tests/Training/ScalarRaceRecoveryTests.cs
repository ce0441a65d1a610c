using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Policies.Nn;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using Robotics.Policies.Runtime;
using Robotics.Policies.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Training;

/// <summary>
/// TorchSharp frees Scalars it creates inside its own operators (Tensor.add's alpha, square's exponent) in
/// finalizers that can run while libtorch still reads them; the op then fails with a Scalar assertion. The trainer
/// recomputes the pure part of a step (forward and backward, validation) after such a failure. Here a wrapper
/// network fails the way libtorch does on chosen calls, after the real forward has drawn its noise, and the run must
/// end with exactly the weights and losses of a run without faults.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ScalarRaceRecoveryTests
{
    // The message libtorch gave when a 36000-step MLP-BC run died in clamp_min (first lines).
    private const string ScalarAssertion = "Expected false to be true, but got false.  (Could this error message be improved?)\n"
        + "Exception raised from toFloat at /pytorch/c10/core/Scalar.h:140 (most recent call first):";

    [Theory]
    [MemberData(nameof(RegisteredPolicies.Names), MemberType = typeof(RegisteredPolicies))]
    public void A_step_that_hits_the_race_is_recomputed_exactly(string type)
    {
        var (cleanWeights, clean) = Train(type, faultyCalls: []);
        // Call 4 is step 3; calls 9, 10 and 11 are step 7 three times in a row (the fourth attempt is call 12);
        // steps 8 and 9 are calls 13 and 14, and 16 is the second validation batch.
        var (faultyWeights, faulty) = Train(type, faultyCalls: [4, 9, 10, 11, 16]);
        Assert.Equal(0, clean.RecoveredScalarFaults);
        Assert.Equal(5, faulty.RecoveredScalarFaults);
        Assert.Equal(clean.LossHistory, faulty.LossHistory);
        Assert.Equal(clean.ValidationLoss, faulty.ValidationLoss);
        foreach (var (name, value) in cleanWeights)
            Assert.True(value.eq(faultyWeights[name]).all().item<bool>(), $"{type}: {name} differs after recovered faults");
    }

    [Theory]
    [MemberData(nameof(RegisteredPolicies.Names), MemberType = typeof(RegisteredPolicies))]
    public void A_chunk_that_hits_the_race_is_resampled_from_the_rewound_generator(string type)
    {
        var clean = Chunks(type, faultyPredicts: []);
        var faulty = Chunks(type, faultyPredicts: [2, 5, 6]);
        Assert.Equal(clean.Chunks, faulty.Chunks);
        Assert.Equal(0, clean.Recovered);
        Assert.Equal(3, faulty.Recovered);
    }

    [Fact]
    public void A_race_that_keeps_failing_and_other_native_errors_are_not_swallowed()
    {
        // Step 1 fails four times: three recomputations, then the failure stands.
        var persistent = Assert.Throws<ExternalException>(() => Train("mode", faultyCalls: [2, 3, 4, 5]));
        Assert.Contains("Scalar.h", persistent.Message);
        var other = Assert.Throws<ExternalException>(() => Train("mode", faultyCalls: [2], message: "shape '[4, 2]' is invalid for input of size 6"));
        Assert.Contains("invalid for input", other.Message);
    }

    private static (float[][][] Chunks, int Recovered) Chunks(string type, int[] faultyPredicts)
    {
        torch.manual_seed(4);
        var config = ToyTasks.Config(type);
        var episodes = ToyTasks.Episodes(6, 12, seed: 2);
        var network = new FaultyNetwork(PolicyRegistry.Create(config), [], ScalarAssertion, faultyPredicts);
        using var policy = new TorchChunkPolicy(network, new PolicyProcessor(config, ToyTasks.Stats(episodes)), CPU);
        policy.Reset(17);
        var chunks = new List<float[][]>();
        for (int call = 0; call < 5; call++)
        {
            var state = NdArray.FromFloats([0.1f * call, -0.2f]);
            chunks.Add(policy.PredictChunk(new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = state }, call % 3, Step: call)).Actions);
        }

        return (chunks.ToArray(), policy.RecoveredScalarFaults);
    }

    private static (Dictionary<string, Tensor> Weights, TrainingResult Result) Train(string type, int[] faultyCalls, string message = ScalarAssertion)
    {
        torch.manual_seed(4);
        var config = ToyTasks.Config(type);
        var episodes = ToyTasks.Episodes(12, 12, seed: 2);
        using var network = new FaultyNetwork(PolicyRegistry.Create(config), faultyCalls, message, []);
        var options = new TrainingOptions { Steps = 10, BatchSize = 8, LearningRate = 3e-3, WarmupSteps = 1, Seed = 6, CheckpointEvery = 1000, ValidateEvery = 10, ValidationBatches = 2, EmaPower = 0.75 };
        using var train = ToyTasks.Source(episodes, config, 0);
        using var validation = ToyTasks.Source(episodes, config, 1);
        using var trainer = new PolicyTrainer(network, new PolicyProcessor(config, ToyTasks.Stats(episodes)), options, CPU);
        var result = trainer.Run(train, validation, null);
        return (network.NamedParameters().ToDictionary(p => p.Name, p => p.Param.detach().clone()), result);
    }

    /// <summary>A registered network that fails like libtorch's Scalar assertion on the chosen ComputeLoss / Predict calls (1-based).</summary>
    private sealed class FaultyNetwork : PolicyNetwork
    {
        private readonly PolicyNetwork inner;
        private readonly HashSet<int> faulty;
        private readonly HashSet<int> faultyPredicts;
        private readonly string message;
        private int calls;
        private int predicts;

        public FaultyNetwork(PolicyNetwork inner, IEnumerable<int> faulty, string message, IEnumerable<int> faultyPredicts) : base("faulty", inner.Config)
        {
            this.inner = inner;
            this.faulty = [.. faulty];
            this.faultyPredicts = [.. faultyPredicts];
            this.message = message;
            RegisterComponents();
        }

        public override int FeatureDimension => inner.FeatureDimension;

        public override LossReport ComputeLoss(PolicyBatch batch, Generator generator)
        {
            var loss = inner.ComputeLoss(batch, generator);   // the noise of the step is drawn before the failure
            if (faulty.Contains(++calls))
                throw new ExternalException(message);
            return loss;
        }

        public override void OnWeightsChanged() => inner.OnWeightsChanged();

        public override (Tensor Actions, Tensor Features) Predict(PolicyBatch batch, Generator generator, CancellationToken cancellationToken = default)
        {
            var result = inner.Predict(batch, generator, cancellationToken);   // the sampler's noise is drawn first
            if (faultyPredicts.Contains(++predicts))
                throw new ExternalException(message);
            return result;
        }
    }
}
