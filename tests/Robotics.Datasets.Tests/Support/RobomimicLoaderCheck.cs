using System.Text.Json;

namespace Robotics.Datasets.Tests.Support;

/// <summary>
/// Runs tools/python/check_robomimic_file.py (h5py code that reads a file as robomimic's loader
/// does, raising where robomimic would) and returns what it saw.
/// </summary>
public static class RobomimicLoaderCheck
{
    public static JsonElement Run(string path) => JsonDocument.Parse(PythonReference.Run(File.ReadAllText(Script), path)).RootElement;

    private static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = System.IO.Path.Combine(dir.FullName, "tools", "python", "check_robomimic_file.py");
                if (File.Exists(candidate))
                    return candidate;
            }

            throw new FileNotFoundException($"tools/python/check_robomimic_file.py not found above {AppContext.BaseDirectory}");
        }
    }
}
