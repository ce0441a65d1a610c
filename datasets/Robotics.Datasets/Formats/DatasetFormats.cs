namespace Robotics.Datasets.Formats;

/// <summary>
/// The formats by name. Detection tries the most specific first (folders, then robomimic's
/// data/demo_* layout) and falls back to D4RL for any other HDF5 file.
/// </summary>
public sealed class DatasetFormats
{
    private readonly List<IDatasetFormat> _formats = [];

    public static DatasetFormats Default { get; } = new DatasetFormats()
        .Add(new LeRobot.LeRobotFormat())
        .Add(new MinariFormat())
        .Add(new RobomimicFormat())
        .Add(new D4rlFormat());

    public IReadOnlyList<IDatasetFormat> All => _formats;

    public DatasetFormats Add(IDatasetFormat format)
    {
        if (_formats.Any(f => f.Name == format.Name))
            throw new ArgumentException($"Format '{format.Name}' is already registered.", nameof(format));
        _formats.Add(format);
        return this;
    }

    public IDatasetFormat Get(string name) =>
        _formats.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"Unknown dataset format '{name}' (known: {string.Join(", ", _formats.Select(f => f.Name))}).");

    /// <summary>The named format, or the detected one when <paramref name="name"/> is null or "auto".</summary>
    public IDatasetFormat Resolve(string path, string? name = null)
    {
        if (name is not null && !string.Equals(name, "auto", StringComparison.OrdinalIgnoreCase))
            return Get(name);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"{path}: no such file or folder.", path);
        return _formats.FirstOrDefault(f => f.Detect(path))
            ?? throw new InvalidDataException($"{path}: not a recognised dataset (formats: {string.Join(", ", _formats.Select(f => f.Name))}); pass --format.");
    }
}
