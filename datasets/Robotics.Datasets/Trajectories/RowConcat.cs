using Robotics.Core.Arrays;

namespace Robotics.Datasets.Trajectories;

/// <summary>Arrays of one column joined along their row axis (episodes or demos read one by one into one flat column).</summary>
public static class RowConcat
{
    /// <summary>Joins <paramref name="parts"/>; they must agree on dtype and row shape, else the error names file and key.</summary>
    public static NdArray Concat(IReadOnlyList<NdArray> parts, string origin, string key)
    {
        var first = parts[0];
        foreach (var part in parts)
        {
            if (part.DType != first.DType || !part.Shape[1..].SequenceEqual(first.Shape[1..]))
                throw new DatasetFormatException(origin, key, $"parts disagree: {first} vs {part}");
        }

        var data = new byte[parts.Sum(p => (long)p.Data.Length)];
        long offset = 0;
        foreach (var part in parts)
        {
            part.Data.CopyTo(data, offset);
            offset += part.Data.Length;
        }

        return new NdArray(first.DType, [parts.Sum(p => p.Shape[0]), .. first.Shape[1..]], data);
    }
}
