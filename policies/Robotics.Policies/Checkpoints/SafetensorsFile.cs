using Robotics.Core.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Robotics.Policies.Checkpoints;

/// <summary>Named tensors to and from .safetensors (readable by PyTorch's safetensors.torch.load_file), written atomically.</summary>
public static class SafetensorsFile
{
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var dict = tensors.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous());
        AtomicFile.Write(path, temp =>
        {
            using var stream = File.Create(temp);
            Safetensors.SaveStateDict(stream, dict);
        });
    }

    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Weights file not found: {path}", path);
        try
        {
            return Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"{path}: not a readable safetensors file ({e.Message}).", e);
        }
    }

    /// <summary>Copies <paramref name="tensors"/> into the named parameters, naming any missing or mis-shaped entry.</summary>
    public static void CopyInto(string source, IEnumerable<(string Name, Tensor Param)> parameters, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var _ = no_grad();
        foreach (var (name, p) in parameters)
        {
            if (!tensors.TryGetValue(name, out var t))
                throw new InvalidDataException($"{source}: missing tensor '{name}'.");
            if (!t.shape.SequenceEqual(p.shape))
                throw new InvalidDataException($"{source}: tensor '{name}' has shape [{string.Join(", ", t.shape)}], the model needs [{string.Join(", ", p.shape)}].");
            p.copy_(t);
        }
    }
}
