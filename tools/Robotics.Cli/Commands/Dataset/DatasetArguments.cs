using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Datasets.Formats;

namespace Robotics.Cli.Commands.Dataset;

/// <summary>Arguments and options shared by the dataset commands.</summary>
internal static class DatasetArguments
{
    public static Argument<string> Input() => new("path") { Description = "Dataset file or folder (D4RL/robomimic .hdf5, Minari or LeRobot folder)." };

    public static Option<string> Format() => new("--format")
    {
        Description = $"Input format: auto or one of {string.Join(", ", DatasetFormats.Default.All.Select(f => f.Name))}.",
        DefaultValueFactory = _ => "auto",
    };

    public static IDatasetFormat Resolve(string path, string? format)
    {
        try
        {
            return DatasetFormats.Default.Resolve(path, format);
        }
        catch (KeyNotFoundException e)
        {
            throw new CommandLineException(e.Message);
        }
    }

    public static IDatasetFormat Named(string format)
    {
        try
        {
            return DatasetFormats.Default.Get(format);
        }
        catch (KeyNotFoundException e)
        {
            throw new CommandLineException(e.Message);
        }
    }
}
