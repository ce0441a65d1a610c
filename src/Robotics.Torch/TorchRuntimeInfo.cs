namespace Robotics.Torch;

/// <summary>What the bootstrap found and did; printed by <c>robotics doctor</c>.</summary>
public sealed record TorchRuntimeInfo(
    string TorchSharpVersion,
    string LibTorchVersion,
    string Backend,
    bool NativeFixNeeded,
    string? PatchedLibraryPath,
    string NativeDirectory,
    int Threads,
    bool CudaAvailable,
    int CudaDeviceCount);
