namespace Robotics.Datasets.Tests.Support;

/// <summary>Paths of the h5py-written fixtures (tools/fixtures/datasets, made by tools/python/make_dataset_fixtures.py).</summary>
public static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
