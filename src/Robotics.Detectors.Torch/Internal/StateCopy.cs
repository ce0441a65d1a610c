using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Internal;

/// <summary>Copies saved tensors into named parameters, naming any missing or mis-shaped entry and the file it came from.</summary>
internal static class StateCopy
{
    public static void Into(string source, IEnumerable<(string Name, Tensor Param)> parameters, IReadOnlyDictionary<string, Tensor> tensors, string prefix)
    {
        using var _ = no_grad();
        foreach (var (name, p) in parameters)
        {
            string key = prefix + name;
            if (!tensors.TryGetValue(key, out var t))
                throw new InvalidDataException($"{source}: missing tensor '{key}'.");
            if (!t.shape.SequenceEqual(p.shape))
                throw new InvalidDataException($"{source}: tensor '{key}' has shape [{string.Join(", ", t.shape)}], the model needs [{string.Join(", ", p.shape)}].");
            p.copy_(t);
        }
    }
}
