namespace Robotics.Torch;

/// <summary>How the TorchSharp runtime is brought up. Bound from the "Torch" configuration section.</summary>
public sealed record TorchRuntimeOptions
{
    public const string SectionName = "Torch";

    /// <summary><c>auto</c> (CUDA when present, else CPU), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Intra-op CPU threads; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; init; }

    /// <summary>Where patched native libraries are cached; null uses ~/.cache/robotics/native.</summary>
    public string? NativeCacheRoot { get; init; }
}
