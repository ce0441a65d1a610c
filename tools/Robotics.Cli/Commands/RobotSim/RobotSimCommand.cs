using System.CommandLine;
using System.Text.Json;
using Robotics.Cli.Hosting;
using Spectre.Console;
using Robotics.Control.Robot;
using Robotics.Sims.Environments;
using Robotics.Transport;
using Robotics.Transport.Security;

namespace Robotics.Cli.Commands.RobotSim;

/// <summary>
/// <c>robotics robot-sim</c>: a simulated arm as its own process, speaking the wire protocol to a control host exactly
/// as a real arm's bridge would (the host cannot tell the difference).
/// </summary>
public static class RobotSimCommand
{
    private static readonly Option<string> Env = new("--env") { Description = "Environment id (robotics sim list).", DefaultValueFactory = _ => "tabletop-push" };
    private static readonly Option<string> Connect = new("--connect") { Description = "The control host's endpoint.", DefaultValueFactory = _ => "tcp://127.0.0.1:5555" };
    private static readonly Option<string> Tasks = new("--tasks") { Description = "Comma-separated task indices to cycle through (default: the environment's own draw)." };
    private static readonly Option<int> EpisodesPerTask = new("--episodes-per-task") { Description = "Episodes per task, then exit (0: run until stopped).", DefaultValueFactory = _ => 0 };
    private static readonly Option<long> Seed = new("--seed") { Description = "Base seed; episode e uses seed + e.", DefaultValueFactory = _ => 0 };
    private static readonly Option<long> FirstEpisode = new("--first-episode") { Description = "Number of the first episode (a restarted robot continues the count).", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> HoldTimeout = new("--hold-timeout-ms") { Description = "Hold when actions stop arriving for this long.", DefaultValueFactory = _ => 300 };
    private static readonly Option<double> Failures = new("--failures") { Description = "Fraction of episodes with an injected fault (the scene's failure injector, e.g. tabletop shoves).", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> Fault = new("--fault") { Description = "Fault kind to inject (default: any of the scene's)." };
    private static readonly Option<string?> EpisodeLog = new("--episode-log") { Description = "Write one JSON line per episode as it starts (seed, task, the injected fault or null) to this file." };
    private static readonly Option<string> ServerKey = new("--server-key") { Description = "The host's public key file (NAME.key) to turn CurveZMQ on." };
    private static readonly Option<string> ClientKey = new("--client-key") { Description = "This robot's key pair (NAME.key_secret); its NAME.key must be in the host's robot key folder (--robots)." };

    /// <summary>The --episode-log line format (snake_case, as the metrics and sweep files).</summary>
    public static readonly JsonSerializerOptions ArmEpisodeJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var command = new Command("robot-sim", "Run a simulated arm as a robot endpoint that connects to `robotics serve`.");
        foreach (var option in new Option[] { Env, Connect, Tasks, EpisodesPerTask, Seed, FirstEpisode, HoldTimeout, Failures, Fault, EpisodeLog, ServerKey, ClientKey })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            if (!EnvironmentRegistry.TryGet(parse.GetValue(Env)!, out var registration))
                throw new CommandLineException($"--env '{parse.GetValue(Env)}' is not registered; try: {string.Join(", ", EnvironmentRegistry.All.Select(r => r.Id))}");
            var tasks = ParseTasks(parse.GetValue(Tasks));
            var clientOptions = new ClientEndpointOptions { Connect = parse.GetValue(Connect)!, Name = $"robot-sim-{Environment.ProcessId}" };
            if (parse.GetValue(ServerKey) is { } serverKey)
            {
                string clientKey = parse.GetValue(ClientKey) ?? throw new CommandLineException("--server-key needs --client-key (this robot's NAME.key_secret).");
                clientOptions.ServerPublicKey = CurveKeyFile.Read(serverKey).PublicKey;
                clientOptions.ClientKeys = CurveKeyFile.Read(clientKey);
                if (clientOptions.ClientKeys.SecretKey is null)
                    throw new CommandLineException($"--client-key {clientKey} holds no secret key; pass the NAME.key_secret file.");
            }

            var environment = registration.Create();
            int taskCount = environment.Spec.Tasks.Count;
            double failures = parse.GetValue(Failures);
            var injector = failures > 0 ? registration.CreateFailureInjector?.Invoke() ?? throw new CommandLineException($"--failures: '{registration.Id}' has no failure injector.") : null;
            if (failures is < 0 or > 1)
                throw new CommandLineException("--failures must be in [0, 1].");
            if (parse.GetValue(Fault) is { } kind && injector is not null && !injector.Kinds.Contains(kind))
                throw new CommandLineException($"--fault '{kind}' is not one of {string.Join(", ", injector.Kinds)}.");
            using var log = parse.GetValue(EpisodeLog) is { } logPath ? new StreamWriter(logPath, append: false) { AutoFlush = true } : null;
            using var arm = new EnvironmentArm(environment, injector, failures, parse.GetValue(Fault),
                log is null ? null : episode => log.WriteLine(JsonSerializer.Serialize(episode, ArmEpisodeJson)));
            if (tasks.Any(t => t < 0 || t >= taskCount))
                throw new CommandLineException($"--tasks: indices must be in [0, {taskCount - 1}] for {registration.Id}");
            var options = new RobotEndpointOptions
            {
                Tasks = tasks,
                EpisodesPerTask = parse.GetValue(EpisodesPerTask),
                Seed = parse.GetValue(Seed),
                FirstEpisode = parse.GetValue(FirstEpisode),
                HoldTimeoutMs = parse.GetValue(HoldTimeout),
            };
            using var robot = new RobotEndpoint(arm, clientOptions, options, context.Logger<EnvironmentArm>());
            long finished = await Task.Factory.StartNew(() => robot.Run(context.CancellationToken), TaskCreationOptions.LongRunning);
            context.Console.MarkupLineInterpolated($"robot-sim: {finished} episodes, {robot.StepsExecuted} steps, {robot.HoldsByTimeout} holds on timeout");
            return context.CancellationToken.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    private static List<int> ParseTasks(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return [];
        var tasks = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, out int t))
                throw new CommandLineException($"--tasks: '{part}' is not an integer.");
            tasks.Add(t);
        }

        return tasks;
    }
}
