using System.Security.Cryptography;

namespace Robotics.Torch.Native;

/// <summary>
/// Keeps private, patched copies of native libraries in a per-user cache folder, keyed by the
/// hash of the original, so the NuGet cache is never touched. Each copy is written to a unique
/// temporary file and renamed into place, so processes that start together never see half a file.
/// </summary>
public sealed class PatchedLibraryCache(string root)
{
    public string Root { get; } = root;

    public static string DefaultRoot()
    {
        var explicitRoot = Environment.GetEnvironmentVariable("ROBOTICS_NATIVE_CACHE");
        if (!string.IsNullOrWhiteSpace(explicitRoot))
            return explicitRoot;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        if (string.IsNullOrWhiteSpace(baseDir) || baseDir == ".cache")
            baseDir = Path.GetTempPath();
        return Path.Combine(baseDir, "robotics", "native");
    }

    /// <summary>
    /// Returns the path of a copy of <paramref name="original"/> in which <paramref name="weakVersion"/>
    /// is marked weak, creating it when absent. The original file is only read.
    /// </summary>
    public string GetOrCreateWeakened(string original, string weakVersion)
    {
        byte[] bytes = File.ReadAllBytes(original);
        string key = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        string folder = Path.Combine(Root, key);
        string target = Path.Combine(folder, Path.GetFileName(original));

        if (File.Exists(target) && IsWeakened(target, weakVersion))
            return target;

        int changed = ElfSymbolVersionPatcher.MarkVersionWeak(bytes, weakVersion, original);
        if (changed == 0 && !ElfSymbolVersionPatcher.ReadRequirements(bytes, original).Any(r => r.Version == weakVersion))
            throw new InvalidOperationException($"{original} does not require {weakVersion}; nothing to patch.");

        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(original)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            // rename(2) replaces atomically; a concurrent writer produced identical bytes.
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }

        return target;
    }

    private static bool IsWeakened(string path, string version)
    {
        try
        {
            var requirements = ElfSymbolVersionPatcher.ReadRequirements(File.ReadAllBytes(path), path);
            return requirements.Any(r => r.Version == version) && requirements.Where(r => r.Version == version).All(r => r.IsWeak);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
