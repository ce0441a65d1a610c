using System.CommandLine;
using System.Diagnostics;
using Robotics.Cli.Hosting;
using Robotics.Core.Arrays;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Detectors.Data;
using Robotics.Detectors.Torch.Safe;
using Robotics.Policies.Runtime;
using Robotics.Torch;
using Spectre.Console;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// <c>robotics bench detector --checkpoint DIR</c>: the SAFE detectors' cost per policy call (MLP and LSTM, batch 1, the
/// online way the live monitor runs them: one step per call with the carried state) against the policy's
/// own chunk inference, measured in the same run; the ratio is the figure (goal: under 2% and under 1 ms).
/// </summary>
public static class BenchDetectorCommand
{
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "Policy checkpoint whose features the detector reads.", DefaultValueFactory = _ => "policies/checkpoints/demo-mode" };
    private static readonly Option<int> Calls = new("--calls") { Description = "Policy calls per simulated episode (the online rescoring grows with it).", DefaultValueFactory = _ => 25 };
    private static readonly Option<int> Repeats = new("--repeats") { Description = "Episodes timed per model.", DefaultValueFactory = _ => 40 };

    public static Command Create()
    {
        var command = new Command("detector", "Per-call latency of SAFE-MLP and SAFE-LSTM (online, batch 1) against the policy's chunk inference in the same run.");
        foreach (var option in new Option[] { Checkpoint, Calls, Repeats })
            command.Options.Add(option);
        command.SetHandler((context, parse) =>
        {
            TorchRuntime.Initialize(context.Bind<TorchRuntimeOptions>(TorchRuntimeOptions.SectionName) with { Threads = 1 });
            int calls = parse.GetValue(Calls), repeats = parse.GetValue(Repeats);
            using var policy = TorchChunkPolicy.Load(parse.GetValue(Checkpoint)!, "cpu");
            int stateDim = policy.Shape.Observations.First(f => f.Key == FeatureKeys.State).ElementCount;
            var observation = new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats(new float[stateDim]) }, 0, null, 0);
            policy.Reset(1);
            for (int i = 0; i < 5; i++)
                policy.PredictChunk(observation with { Step = i });
            var inference = new List<double>();
            for (int i = 0; i < repeats * 2; i++)
            {
                var clock = Stopwatch.StartNew();
                policy.PredictChunk(observation with { Step = 5 + i });
                inference.Add(clock.Elapsed.TotalMilliseconds);
            }

            double policyMs = Median(inference);
            var random = new Random(3);
            FeatureRollout Rollout(int i, bool success) => new($"r{i}", 0, success, calls * 8, Enumerable.Range(0, calls).Select(c => c * 8).ToArray(),
                Enumerable.Range(0, calls).Select(_ => Enumerable.Range(0, policy.FeatureDimension).Select(_ => (float)random.NextDouble()).ToArray()).ToArray());
            var train = Enumerable.Range(0, 16).Select(i => Rollout(i, i % 2 == 0)).ToArray();
            var table = new Table().AddColumns("model", "parameters", "ms per call (online, median)", "ms per call at the last call", "share of policy inference");
            table.AddRow("policy chunk inference", "", $"{policyMs:0.000}", "", "1");
            foreach (string kind in SafeDetectorKinds.All)
            {
                using var detector = SafeDetector.Create(new SafeDetectorOptions(kind, Epochs: 2));
                detector.Fit(train);
                var episode = Rollout(99, true);
                var perCall = new List<double>();
                var last = new List<double>();
                for (int r = 0; r < repeats; r++)
                {
                    // The live monitor's path: one step per call with the carried state.
                    using var session = detector.StartSession();
                    for (int t = 1; t <= calls; t++)
                    {
                        var clock = Stopwatch.StartNew();
                        session.Next(episode.Features[t - 1]);
                        double ms = clock.Elapsed.TotalMilliseconds;
                        perCall.Add(ms);
                        if (t == calls)
                            last.Add(ms);
                    }
                }

                double median = Median(perCall);
                table.AddRow(kind, $"{detector.ParameterCount:N0}", $"{median:0.000}", $"{Median(last):0.000}", $"{100 * median / policyMs:0.00}%");
                context.Console.MarkupLineInterpolated($"{kind}: {median:0.000} ms per call = {100 * median / policyMs:0.00}% of the policy's {policyMs:0.000} ms (goal < 2% and < 1 ms: {(median < 1 && median / policyMs < 0.02 ? "met" : "NOT met")})");
            }

            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"features {policy.FeatureDimension}, {calls} calls per episode, one libtorch thread, load average {LoadAverage()}");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
