namespace Robotics.Torch.Native;

/// <summary>Finds the folder that holds TorchSharp's native libraries for the running application.</summary>
public static class NativeLibraryLocator
{
    public const string TorchSharpLibrary = "libLibTorchSharp.so";
    public const string LibTorch = "libtorch.so";

    public static IEnumerable<string> CandidateFolders()
    {
        // The host passes the native asset folders of every package (deps.json) in this property.
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirs)
        {
            foreach (var dir in searchDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                yield return dir;
        }

        string baseDir = AppContext.BaseDirectory;
        yield return baseDir;
        yield return Path.Combine(baseDir, "runtimes", "linux-x64", "native");
    }

    /// <summary>Returns the full path of <paramref name="fileName"/>, or null when it is nowhere to be found.</summary>
    public static string? Find(string fileName) =>
        CandidateFolders().Select(dir => Path.Combine(dir, fileName)).FirstOrDefault(File.Exists);
}
