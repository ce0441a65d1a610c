using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats;

/// <summary>The writers' precondition: a dataset lacking a column its format requires is refused before anything is written.</summary>
public static class RequiredColumnCheck
{
    /// <summary>The required columns of <paramref name="format"/> that <paramref name="dataset"/> lacks, in the format's order.</summary>
    public static IReadOnlyList<string> Missing(IDatasetFormat format, FlatDataset dataset) =>
        format.RequiredColumns.Where(k => !dataset.HasColumn(k)).ToArray();

    /// <summary>Throws <see cref="MissingColumnException"/> naming the output, the format and every missing key.</summary>
    public static void Ensure(IDatasetFormat format, string path, FlatDataset dataset)
    {
        var missing = Missing(format, dataset);
        if (missing.Count > 0)
            throw new MissingColumnException(path, format.Name, missing);
    }
}
