using System.Reflection;

namespace Robotics.Torch;

/// <summary>Facts fixed at build time (backend switch, libtorch package version), read from assembly metadata.</summary>
public static class BuildInfo
{
    public static string Backend => Metadata("TorchBackend") ?? "cpu";

    public static string LibTorchVersion => Metadata("LibTorchVersion") ?? "unknown";

    private static string? Metadata(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}
