using Robotics.Core.Progress;
using Spectre.Console;

namespace Robotics.Cli.Rendering;

/// <summary>Renders <see cref="ProgressUpdate"/> reports as Spectre.Console progress bars, one per stage.</summary>
public static class ConsoleProgress
{
    public static async Task<T> RunAsync<T>(IAnsiConsole console, string title, Func<IProgress<ProgressUpdate>, Task<T>> work)
    {
        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new SynchronousProgress<ProgressUpdate>(update =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(update.Stage, out var task))
                        {
                            task = ctx.AddTask(Markup.Escape(update.Stage), maxValue: Math.Max(1, update.Total ?? 1));
                            task.IsIndeterminate = update.Total is null;
                            tasks[update.Stage] = task;
                        }

                        if (update.Total is { } total)
                            task.MaxValue = Math.Max(1, total);
                        task.Value = update.Done;
                        if (update.Detail is { } detail)
                            task.Description = Markup.Escape($"{update.Stage} {detail}");
                    }
                });
                result = await work(progress).ConfigureAwait(false);
                lock (tasks)
                {
                    foreach (var task in tasks.Values.Where(t => !t.IsIndeterminate))
                        task.Value = task.MaxValue;
                    foreach (var task in tasks.Values)
                        task.StopTask();
                }
            }).ConfigureAwait(false);
        return result;
    }
}
