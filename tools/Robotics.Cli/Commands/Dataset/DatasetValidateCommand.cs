using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Trajectories;
using Robotics.Datasets.Validation;
using Spectre.Console;

namespace Robotics.Cli.Commands.Dataset;

/// <summary>
/// <c>robotics dataset validate PATH</c>: every problem with file, key and row; exit code 1 when any
/// is an error, 0 when only warnings (or none).
/// </summary>
public static class DatasetValidateCommand
{
    public static Command Create()
    {
        var path = DatasetArguments.Input();
        var format = DatasetArguments.Format();
        var obsShape = new Option<int[]>("--obs-shape") { Description = "Expected observation row shape (the env's observation space), e.g. --obs-shape 4.", AllowMultipleArgumentsPerToken = true };
        var actShape = new Option<int[]>("--act-shape") { Description = "Expected action row shape (the env's action space), e.g. --act-shape 2.", AllowMultipleArgumentsPerToken = true };
        var maxRows = new Option<int>("--max-rows") { Description = "Rows listed per key and problem before summarising.", DefaultValueFactory = _ => 10 };
        var command = new Command("validate", "Check lengths, dtypes, NaN/Inf, episode boundaries, required keys and space shapes; exit 1 when invalid.");
        command.Arguments.Add(path);
        command.Options.Add(format);
        command.Options.Add(obsShape);
        command.Options.Add(actShape);
        command.Options.Add(maxRows);
        command.SetHandler(async (context, parse) =>
        {
            string input = parse.GetValue(path)!;
            var options = new ValidationOptions
            {
                ObservationShape = parse.GetValue(obsShape) is { Length: > 0 } o ? o : null,
                ActionShape = parse.GetValue(actShape) is { Length: > 0 } a ? a : null,
                MaxRowsPerProblem = parse.GetValue(maxRows),
            };
            var report = await context.WithProgressAsync($"validate {input}", progress => Task.Run(() => Validate(input, parse.GetValue(format), options, progress, context.CancellationToken)));
            var console = context.Console;
            // One plain line per issue (never wrapped like a table), so logs and grep see file, key and row together.
            // Plain stdout: the console renderer wraps at its width when output is redirected.
            foreach (var issue in report.Issues)
                Console.Out.WriteLine(issue.ToString());

            console.MarkupLineInterpolated($"{input}: {report.Rows:N0} rows, {report.Episodes:N0} episodes, {report.ErrorCount} errors, {report.WarningCount} warnings");
            console.MarkupLine(report.IsValid ? "[green]valid[/]" : "[red]invalid[/]");
            return report.IsValid ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static ValidationReport Validate(string input, string? format, ValidationOptions options, IProgress<Robotics.Core.Progress.ProgressUpdate> progress, CancellationToken cancellationToken)
    {
        var reader = DatasetArguments.Resolve(input, format);
        try
        {
            using var source = reader.OpenSource(input, cancellationToken);
            var counts = source is Hdf5TrajectoryFile file ? file.ColumnRowCounts : null;
            return DatasetValidator.Validate(source, options, counts, progress, cancellationToken);
        }
        catch (DatasetFormatException e)
        {
            // Unreadable input is itself the validation result: one error naming file and key.
            return new ValidationReport(input, 0, 0, [new ValidationIssue(ValidationSeverity.Error, e.Path, e.Key, null, e.Message)]);
        }
    }
}
