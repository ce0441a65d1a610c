using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Robotics.Core.Progress;
using Robotics.Cli.Rendering;
using Spectre.Console;

namespace Robotics.Cli.Hosting;

/// <summary>
/// Wraps every command's action: builds its configuration and logging, maps exceptions to exit codes
/// with a one-line message (the stack trace only at Debug level), and turns cancellation into 130.
/// </summary>
public static class CommandRunner
{
    public static void SetHandler(this Command command, Func<CommandContext, ParseResult, Task<int>> action,
        Func<ParseResult, IReadOnlyDictionary<string, string?>>? commandValues = null)
    {
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken, action, commandValues));
    }

    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken,
        Func<CommandContext, ParseResult, Task<int>> action, Func<ParseResult, IReadOnlyDictionary<string, string?>>? commandValues)
    {
        var console = AnsiConsole.Console;
        var levelText = parse.GetValue(GlobalOptions.LogLevel) ?? "Warning";
        if (!Enum.TryParse<LogLevel>(levelText, ignoreCase: true, out var level))
        {
            console.MarkupLineInterpolated($"[red]error:[/] --log-level '{levelText}' is not one of Trace, Debug, Information, Warning, Error, None.");
            return ExitCodes.Usage;
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddRoboticsSources(parse, commandValues?.Invoke(parse)).Build();
            using var loggerFactory = LoggerFactory.Create(logging => logging
                .AddConfiguration(configuration.GetSection("Logging"))
                .SetMinimumLevel(level)
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
                .AddFilter((_, _, l) => l >= level));
            var context = new CommandContext(configuration, loggerFactory, console, cancellationToken);
            return await action(context, parse).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]cancelled[/]");
            return ExitCodes.Cancelled;
        }
        catch (CommandLineException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (level > LogLevel.Debug)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Runs <paramref name="work"/> under a progress bar fed by <see cref="ProgressUpdate"/> reports.</summary>
    public static Task<T> WithProgressAsync<T>(this CommandContext context, string title, Func<IProgress<ProgressUpdate>, Task<T>> work) =>
        ConsoleProgress.RunAsync(context.Console, title, work);
}
