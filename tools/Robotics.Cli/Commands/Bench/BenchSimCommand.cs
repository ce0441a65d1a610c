using System.CommandLine;
using System.Diagnostics;
using Robotics.Cli.Hosting;
using Robotics.Datasets.Hdf5;
using Robotics.Sims.Benchmarks;
using Robotics.Sims.Generation;
using Robotics.Sims.Maze2d;
using Robotics.Sims.Tabletop;
using Spectre.Console;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// <c>robotics bench sim</c>: steps per second of the maze2d and tabletop models through the binding
/// and through the environments, against native <c>mujoco-testspeed</c> on the same MJCF in the same
/// run; then the time to generate maze2d-umaze transitions with the expert and write them.
/// </summary>
public static class BenchSimCommand
{
    private static readonly Option<int> Steps = new("--steps") { Description = "Physics steps per measurement.", DefaultValueFactory = _ => 200_000 };
    private static readonly Option<int> Repeats = new("--repeats") { Description = "Repeats per measurement; the best is kept.", DefaultValueFactory = _ => 3 };
    private static readonly Option<long> Generate = new("--generate") { Description = "maze2d-umaze transitions to generate and write (0: skip).", DefaultValueFactory = _ => 1_000_000 };

    public static Command Create()
    {
        var command = new Command("sim", "MuJoCo binding and environment throughput vs native mujoco-testspeed, and maze2d generation time.");
        command.Options.Add(Steps);
        command.Options.Add(Repeats);
        command.Options.Add(Generate);
        command.SetHandler((context, parse) =>
        {
            int steps = parse.GetValue(Steps), repeats = parse.GetValue(Repeats);
            if (steps < 1000 || repeats < 1)
                throw new CommandLineException("--steps must be >= 1000 and --repeats >= 1.");
            var ct = context.CancellationToken;
            string folder = Directory.CreateTempSubdirectory("robotics-bench-").FullName;
            try
            {
                var cases = new (string Env, string Model, int FrameSkip)[]
                {
                    ("maze2d-umaze", BenchmarkModels.WriteMaze2d(MazeLayout.UMaze, folder), 1),
                    ("maze2d-medium", BenchmarkModels.WriteMaze2d(MazeLayout.Medium, folder), 1),
                    ("maze2d-large", BenchmarkModels.WriteMaze2d(MazeLayout.Large, folder), 1),
                    ("tabletop-push", BenchmarkModels.WriteTabletop(folder), TabletopScene.FrameSkip),
                };
                var table = new Table().AddColumns("model", "native testspeed steps/s", "binding mj_step", "env.Step, zero action", "env.Step + expert", "env.Step vs binding, same trajectory");
                foreach (var (env, model, frameSkip) in cases)
                {
                    // Interleaved repeats so drift from other load on the machine hits every column alike.
                    double native = 0, binding = 0, envZero = 0, envExpert = 0;
                    for (int r = 0; r < repeats; r++)
                    {
                        native = Math.Max(native, NativeTestSpeed.StepsPerSecond(model, steps, ct));
                        binding = Math.Max(binding, SimThroughput.BindingStepsPerSecond(model, steps, ct));
                        envZero = Math.Max(envZero, SimThroughput.EnvironmentPhysicsStepsPerSecond(env, steps / frameSkip, false, frameSkip, ct));
                        envExpert = Math.Max(envExpert, SimThroughput.EnvironmentPhysicsStepsPerSecond(env, steps / frameSkip, true, frameSkip, ct));
                    }

                    var (replayEnv, replayBinding) = SimThroughput.ReplayStepsPerSecond(env, Math.Max(5, repeats * 5), ct);
                    table.AddRow(env, $"{native:N0}", Cell(binding, native), Cell(envZero, native), Cell(envExpert, native), Cell(replayEnv, replayBinding));
                }

                context.Console.Write(table);
                context.Console.MarkupLine("Ratios are ours / native on the same MJCF in this run (1.00 = no overhead); env columns count physics steps (tabletop: 10 per control step). " +
                    "Native starts from qpos0 and the env columns from random resets, so their physics differ; the last column replays one expert episode through env.Step and as bare mj_step calls from the same state (env overhead alone).");

                long samples = parse.GetValue(Generate);
                if (samples > 0)
                {
                    var clock = Stopwatch.StartNew();
                    var dataset = Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions("maze2d-umaze", samples), null, ct);
                    var simulated = clock.Elapsed;
                    D4rlHdf5Writer.Write(Path.Combine(folder, "maze2d-umaze.hdf5"), dataset, cancellationToken: ct);
                    var total = clock.Elapsed;
                    context.Console.MarkupLineInterpolated(
                        $"maze2d-umaze generation: {samples:N0} transitions in {simulated.TotalSeconds:0.0} s simulated + {(total - simulated).TotalSeconds:0.0} s HDF5 write = {total.TotalSeconds:0.0} s ({samples / simulated.TotalSeconds:N0} transitions/s simulated, one thread)");
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static string Cell(double ours, double native) => $"{ours:N0} ({ours / native:0.00}x)";
}
