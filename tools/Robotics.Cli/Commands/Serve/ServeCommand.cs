using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Robotics.Cli.Hosting;
using Robotics.Control.Metrics;
using Robotics.Control.Options;
using Robotics.Control.StateMachine;

namespace Robotics.Cli.Commands.Serve;

/// <summary>
/// <c>robotics serve</c>: the control host. Binds loopback by default; every option is also a configuration key
/// (appsettings.json "Control", "Transport", "Policy" sections, ROBOTICS_* variables, --set). Ctrl+C / SIGTERM stop the
/// robot before exit.
/// </summary>
public static class ServeCommand
{
    private static readonly Option<string> Bind = new("--bind") { Description = "Endpoint to bind (Transport:Bind); loopback unless Transport:AllowNonLoopback." };
    private static readonly Option<double?> Rate = new("--rate") { Description = "Control rate in Hz, 5-100 (Control:RateHz)." };
    private static readonly Option<string> Policy = new("--policy") { Description = "checkpoint | expert | fixed-cost (Serving:Policy)." };
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "Checkpoint folder for --policy checkpoint (Serving:Checkpoint)." };
    private static readonly Option<string> Env = new("--env") { Description = "Environment for the stand-in policies (Serving:Env)." };
    private static readonly Option<int?> Episodes = new("--episodes") { Description = "Stop after this many finished episodes (Control:StopAfterEpisodes)." };
    private static readonly Option<string> MetricsFile = new("--metrics-file") { Description = "Write the summary and episodes as JSON here at exit (Control:MetricsFile)." };
    private static readonly Option<string> ServerKey = new("--server-key") { Description = "Server key pair NAME.key_secret: turns CurveZMQ on (Transport:ServerKeyFile)." };
    private static readonly Option<string> Robots = new("--robots") { Description = "Folder of NAME.key files allowed to connect as the robot (Transport:RobotKeyDirectory)." };
    private static readonly Option<string> Detector = new("--detector") { Description = "SAFE detector checkpoint (robotics detector train) watching the policy's features (Serving:Detector)." };
    private static readonly Option<string> Operators = new("--operators") { Description = "Folder of NAME.key files allowed to connect as operators (Transport:OperatorKeyDirectory)." };

    public static Command Create()
    {
        var command = new Command("serve", "Run the control host: take observations, run the policy, send actions on a steady clock, stop/backtrack on command or failure.");
        foreach (var option in new Option[] { Bind, Rate, Policy, Checkpoint, Env, Episodes, MetricsFile, ServerKey, Robots, Operators, Detector })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            var source = context.Bind<ServingOptions>(ServingOptions.SectionName);
            using var policy = PolicySources.Create(source, () => context.StartTorch().Device);
            using var monitor = source.Detector is { } detector ? LoadDetector(detector, policy) : null;
            using var host = ControlHostFactory.Build(context.Configuration, context.LoggerFactory, policy, monitor);
            await host.StartAsync(context.CancellationToken);
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            try
            {
                await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping).Token);
            }
            catch (OperationCanceledException)
            {
            }

            await host.StopAsync(CancellationToken.None);
            var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ControlOptions>>().Value;
            var summary = host.Services.GetRequiredService<ControlMetrics>().Summarize(options.RateHz, host.Services.GetRequiredService<ControlStateMachine>().State.ToString());
            SummaryRenderer.Write(context.Console, summary);
            return context.CancellationToken.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Success;
        }, parse => new Dictionary<string, string?>
        {
            ["Transport:Bind"] = parse.GetValue(Bind),
            ["Control:RateHz"] = parse.GetValue(Rate)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Serving:Policy"] = parse.GetValue(Policy),
            ["Serving:Checkpoint"] = parse.GetValue(Checkpoint),
            ["Serving:Env"] = parse.GetValue(Env),
            ["Control:StopAfterEpisodes"] = parse.GetValue(Episodes)?.ToString(),
            ["Control:MetricsFile"] = parse.GetValue(MetricsFile),
            ["Transport:ServerKeyFile"] = parse.GetValue(ServerKey),
            ["Serving:Detector"] = parse.GetValue(Detector),
            ["Transport:RobotKeyDirectory"] = parse.GetValue(Robots),
            ["Transport:OperatorKeyDirectory"] = parse.GetValue(Operators),
        });
        return command;
    }

    /// <summary>The SAFE monitor for the served policy; a broken or mismatched detector is a start-up error, not a runtime one.</summary>
    private static Robotics.Detectors.Torch.Monitoring.SafeFailureMonitor LoadDetector(string folder, Robotics.Core.Policies.IChunkPolicy policy)
    {
        try
        {
            return Robotics.Detectors.Torch.Monitoring.SafeFailureMonitor.Load(folder, (policy as Robotics.Policies.Runtime.TorchChunkPolicy)?.FeatureLayout);
        }
        catch (InvalidDataException e)
        {
            throw new CommandLineException($"--detector: {e.Message}");
        }
    }
}
