using System.CommandLine;
using System.Collections.Concurrent;
using Robotics.Cli.Hosting;
using Robotics.Protocol.Messages;
using Robotics.Transport;
using Robotics.Transport.Security;
using Spectre.Console;

namespace Robotics.Cli.Commands.Operator;

/// <summary>
/// <c>robotics operator COMMAND</c>: one operator command to a running control host (stop, resume, backtrack, reset,
/// set-task), sent as an operator session and answered by the host's status or error. Exit code 0 when accepted.
/// A latched stop is lifted only this way (or by the configured watchdog policy).
/// </summary>
public static class OperatorCommand
{
    private static readonly Option<string> Connect = new("--connect") { Description = "The host's endpoint.", DefaultValueFactory = _ => "tcp://127.0.0.1:5555" };
    private static readonly Option<string> ServerKey = new("--server-key") { Description = "The host's public key file (NAME.key) for a secured host." };
    private static readonly Option<string> ClientKey = new("--client-key") { Description = "This operator's key pair (NAME.key_secret); its NAME.key must be in the host's --operators folder." };
    private static readonly Option<int?> Task = new("--task") { Description = "Task index (set-task, reset)." };
    private static readonly Option<string> Instruction = new("--instruction") { Description = "Language instruction (set-task)." };
    private static readonly Option<int?> Steps = new("--steps") { Description = "Executed steps to retrace (backtrack; default: the host's Control:BacktrackSteps)." };
    private static readonly Option<long?> Seed = new("--seed") { Description = "Seed of the next episode (reset)." };
    private static readonly Option<double> Timeout = new("--timeout") { Description = "Seconds to wait for the host's answer.", DefaultValueFactory = _ => 5 };

    private static readonly (string Name, CommandKind Kind, string Description)[] Kinds =
    [
        ("stop", CommandKind.Stop, "Stop the robot; it stays stopped (across reconnects) until resume, start or reset."),
        ("resume", CommandKind.Resume, "Lift a stop: actions flow again from the robot's current observation."),
        ("start", CommandKind.Start, "Start from Idle (when Control:AutoStart is off)."),
        ("backtrack", CommandKind.Backtrack, "Retrace the last executed steps (--steps), then hold."),
        ("reset", CommandKind.Reset, "End the episode and start the next (--task, --seed)."),
        ("set-task", CommandKind.SetTask, "Start an episode of another task (--task and/or --instruction)."),
    ];

    public static Command Create()
    {
        var command = new Command("operator", "Send one operator command to a running control host and print its answer.");
        foreach (var (name, kind, description) in Kinds)
        {
            var sub = new Command(name, description);
            foreach (var option in new Option[] { Connect, ServerKey, ClientKey, Task, Instruction, Steps, Seed, Timeout })
                sub.Options.Add(option);
            sub.SetHandler((context, parse) => Send(context, parse, kind));
            command.Subcommands.Add(sub);
        }

        return command;
    }

    private static Task<int> Send(CommandContext context, ParseResult parse, CommandKind kind)
    {
        var options = new ClientEndpointOptions { Connect = parse.GetValue(Connect)!, Name = $"operator-{Environment.ProcessId}" };
        if (parse.GetValue(ServerKey) is { } serverKey)
        {
            string clientKey = parse.GetValue(ClientKey) ?? throw new CommandLineException("--server-key needs --client-key (this operator's NAME.key_secret).");
            options.ServerPublicKey = CurveKeyFile.Read(serverKey).PublicKey;
            options.ClientKeys = CurveKeyFile.Read(clientKey);
            if (options.ClientKeys.SecretKey is null)
                throw new CommandLineException($"--client-key {clientKey} holds no secret key; pass the NAME.key_secret file.");
        }

        var message = new CommandMessage(kind, parse.GetValue(Task), parse.GetValue(Instruction), parse.GetValue(Steps), parse.GetValue(Seed));
        var answers = new BlockingCollection<IMessageBody>();
        using var client = new ClientEndpoint(options, new HelloMessage(PeerRole.Operator, options.Name), context.Logger<CommandMessage>());
        client.MessageReceived += m =>
        {
            if (m.Envelope.Body is StatusMessage)
                answers.Add(m.Envelope.Body);
        };
        client.ErrorReceived += e =>
        {
            if (e.Code != "unauthorized" || client.Welcomed)
                answers.Add(e);
        };
        client.Start();
        var timeout = TimeSpan.FromSeconds(parse.GetValue(Timeout));
        if (!client.WaitWelcomed(timeout, context.CancellationToken))
        {
            context.Console.MarkupLineInterpolated($"[red]not welcomed by {options.Connect} within {timeout.TotalSeconds:0.#} s[/] (host down, wrong --server-key, or this key is not on the host's operator allowlist)");
            return System.Threading.Tasks.Task.FromResult(ExitCodes.Failure);
        }

        client.Send(message);
        if (!answers.TryTake(out var answer, timeout))
        {
            context.Console.MarkupLineInterpolated($"[red]no answer to {kind.ToWire()} within {timeout.TotalSeconds:0.#} s[/]");
            return System.Threading.Tasks.Task.FromResult(ExitCodes.Failure);
        }

        switch (answer)
        {
            case StatusMessage status:
                context.Console.MarkupLineInterpolated($"[green]{status.Detail}[/]: host {status.State}, episode {status.Episode}, step {status.Step}");
                return System.Threading.Tasks.Task.FromResult(ExitCodes.Success);
            case ErrorMessage error:
                context.Console.MarkupLineInterpolated($"[red]refused[/]: {error.Code}: {error.Message}");
                return System.Threading.Tasks.Task.FromResult(ExitCodes.Failure);
            default:
                return System.Threading.Tasks.Task.FromResult(ExitCodes.Failure);
        }
    }
}
