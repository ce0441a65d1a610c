using System.CommandLine;
using System.Text.RegularExpressions;
using Robotics.Cli.Hosting;
using Robotics.Core.IO;
using Robotics.Evaluation.Kubernetes;
using Robotics.Evaluation.Plans;
using Spectre.Console;

namespace Robotics.Cli.Commands.Sweep;

/// <summary>
/// <c>robotics sweep k8s PLAN --shards N --image IMG --results-claim PVC</c>: the Kubernetes manifests (plan ConfigMap,
/// an Indexed Job of N shards, a merge-and-report Job) for running the plan on a cluster. No cluster is contacted.
/// </summary>
public static partial class SweepK8sCommand
{
    private static readonly Argument<string> Plan = new("plan") { Description = "Sweep plan (JSON); checked here first." };
    private static readonly Option<int> Shards = new("--shards") { Description = "Shards (pods of the Indexed Job).", Required = true };
    private static readonly Option<int?> Parallelism = new("--parallelism") { Description = "Pods at once (default: all shards)." };
    private static readonly Option<string> Image = new("--image") { Description = "Container image with `robotics` on PATH.", Required = true };
    private static readonly Option<string> ResultsClaim = new("--results-claim") { Description = "ReadWriteMany PersistentVolumeClaim for the shard folders, merge and report.", Required = true };
    private static readonly Option<string?> Name = new("--name") { Description = "Object name prefix (default: the plan's name)." };
    private static readonly Option<string> Namespace = new("--namespace") { Description = "Kubernetes namespace.", DefaultValueFactory = _ => "default" };
    private static readonly Option<string> Cpu = new("--cpu") { Description = "CPU per shard pod.", DefaultValueFactory = _ => "2" };
    private static readonly Option<string> Memory = new("--memory") { Description = "Memory per shard pod.", DefaultValueFactory = _ => "4Gi" };
    private static readonly Option<string?> Out = new("--out") { Description = "Write the YAML here (default: standard output)." };

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotDns();

    public static Command Create()
    {
        var command = new Command("k8s", "Write Kubernetes manifests (Indexed Job of shards + merge/report Job) for a plan; apply them with kubectl.");
        command.Arguments.Add(Plan);
        foreach (var option in new Option[] { Shards, Parallelism, Image, ResultsClaim, Name, Namespace, Cpu, Memory, Out })
            command.Options.Add(option);
        command.SetHandler((context, parse) =>
        {
            string planPath = parse.GetValue(Plan)!;
            SweepPlan plan;
            try
            {
                plan = SweepPlanLoader.Load(planPath);
            }
            catch (SweepPlanException e)
            {
                throw new CommandLineException(e.Message);
            }

            int shards = parse.GetValue(Shards);
            string name = parse.GetValue(Name) ?? NotDns().Replace(plan.Name.ToLowerInvariant(), "-").Trim('-');
            string yaml;
            try
            {
                // The plan as resolved here (absolute checkpoint paths would not exist in the image): ship the file as written.
                yaml = SweepJobManifest.ToYaml(new SweepJobOptions(name, Path.GetFileName(planPath), File.ReadAllText(planPath), shards,
                    parse.GetValue(Parallelism) ?? shards, parse.GetValue(Image)!, parse.GetValue(ResultsClaim)!,
                    Namespace: parse.GetValue(Namespace)!, Cpu: parse.GetValue(Cpu)!, Memory: parse.GetValue(Memory)!));
            }
            catch (ArgumentException e)
            {
                throw new CommandLineException(e.Message);
            }

            if (parse.GetValue(Out) is { } path)
            {
                AtomicFile.WriteAllText(path, yaml);
                context.Console.MarkupLineInterpolated($"wrote {path}: {plan.Items().Count} episodes in {shards} shards; kubectl apply -f {path}");
            }
            else
            {
                Console.Out.Write(yaml);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
