namespace Robotics.Datasets.Trajectories;

/// <summary>A dataset file that cannot be read as the format it claims: names the file and the key.</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string path, string? key, string message, Exception? inner = null)
        : base(key is null ? $"{path}: {message}" : $"{path}: key '{key}': {message}", inner)
    {
        Path = path;
        Key = key;
    }

    public string Path { get; }

    public string? Key { get; }
}
