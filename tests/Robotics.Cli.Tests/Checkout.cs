namespace Robotics.Cli.Tests;

/// <summary>The checkout the tests run from, found from the build folder (CI maps source paths, so no [CallerFilePath]).</summary>
public static class Checkout
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Robotics.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Robotics.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The shipped demo policy (make demo-checkpoint).</summary>
    public static string DemoCheckpoint => Path.Combine(Root, "policies", "checkpoints", "demo-mode");
}
