namespace Robotics.Sims.Environments;

/// <summary>A box-shaped space of float32 vectors (Gymnasium's Box): bounds and a name per element.</summary>
public sealed record BoxSpace(IReadOnlyList<float> Low, IReadOnlyList<float> High, IReadOnlyList<string> Names)
{
    public int Dimension => Low.Count;

    public static BoxSpace Uniform(float low, float high, IReadOnlyList<string> names) =>
        new(Enumerable.Repeat(low, names.Count).ToArray(), Enumerable.Repeat(high, names.Count).ToArray(), names);

    public bool Contains(ReadOnlySpan<float> value)
    {
        if (value.Length != Dimension)
            return false;
        for (int i = 0; i < value.Length; i++)
        {
            if (!(value[i] >= Low[i] && value[i] <= High[i]))
                return false;
        }

        return true;
    }
}
