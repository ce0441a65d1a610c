using System.CommandLine;
using System.Text.Json;
using Robotics.Cli.Hosting;
using Robotics.Torch;
using Spectre.Console;

namespace Robotics.Cli.Commands.Doctor;

/// <summary><c>robotics doctor</c>: reports what is installed and exits non-zero when a required part is missing.</summary>
public static class DoctorCommand
{
    private static readonly Option<bool> Json = new("--json") { Description = "Print the report as JSON." };

    public static Command Create()
    {
        var command = new Command("doctor", "Check the installation: .NET, TorchSharp (and its native fix), CPU threads, CUDA, MuJoCo, Python reference tools.");
        command.Options.Add(Json);
        command.SetHandler((context, parse) =>
        {
            var checks = DoctorChecks.Run(context.Bind<TorchRuntimeOptions>(TorchRuntimeOptions.SectionName));
            bool ok = checks.Where(c => c.Required).All(c => c.Ok);
            if (parse.GetValue(Json))
            {
                // Plain stdout, not the console renderer, so the JSON is never wrapped.
                Console.Out.WriteLine(JsonSerializer.Serialize(new { ok, checks }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            }
            else
            {
                var table = new Table().AddColumns("check", "status", "detail");
                foreach (var check in checks)
                {
                    string status = check.Ok ? "[green]ok[/]" : check.Required ? "[red]MISSING[/]" : "[yellow]optional, missing[/]";
                    table.AddRow(new Markup(Markup.Escape(check.Name)), new Markup(status), new Markup(Markup.Escape(check.Detail)));
                }

                context.Console.Write(table);
                context.Console.MarkupLine(ok ? "[green]All required parts are present.[/]" : "[red]Required parts are missing; see above.[/]");
            }

            return Task.FromResult(ok ? ExitCodes.Success : ExitCodes.MissingRequirement);
        });
        return command;
    }
}
