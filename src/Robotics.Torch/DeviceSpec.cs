using System.Globalization;

namespace Robotics.Torch;

public enum DeviceKind
{
    Auto,
    Cpu,
    Cuda,
}

/// <summary>A device request as users write it: <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
public sealed record DeviceSpec(DeviceKind Kind, int? Index = null)
{
    public static DeviceSpec Auto { get; } = new(DeviceKind.Auto);
    public static DeviceSpec Cpu { get; } = new(DeviceKind.Cpu);

    public static DeviceSpec Parse(string text)
    {
        if (TryParse(text, out var spec, out var error))
            return spec;
        throw new FormatException(error);
    }

    public static bool TryParse(string? text, out DeviceSpec spec, out string error)
    {
        spec = Auto;
        error = string.Empty;
        string value = (text ?? string.Empty).Trim().ToLowerInvariant();
        switch (value)
        {
            case "auto":
                return true;
            case "cpu":
                spec = Cpu;
                return true;
            case "cuda":
                spec = new DeviceSpec(DeviceKind.Cuda);
                return true;
        }

        if (value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            string index = value["cuda:".Length..];
            if (int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                spec = new DeviceSpec(DeviceKind.Cuda, n);
                return true;
            }

            error = $"Invalid CUDA device index '{index}' in device '{text}': expected a non-negative integer, e.g. cuda:0.";
            return false;
        }

        error = $"Unknown device '{text}': expected auto, cpu, cuda or cuda:N.";
        return false;
    }

    public override string ToString() => Kind switch
    {
        DeviceKind.Auto => "auto",
        DeviceKind.Cpu => "cpu",
        _ => Index is { } i ? $"cuda:{i}" : "cuda",
    };
}
