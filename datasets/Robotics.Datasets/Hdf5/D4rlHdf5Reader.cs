using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Hdf5;

/// <summary>Loads a whole D4RL HDF5 file into memory, as d4rl's get_dataset does, and checks the required keys.</summary>
public static class D4rlHdf5Reader
{
    public static FlatDataset Read(string path, CancellationToken cancellationToken = default, IProgress<Robotics.Core.Progress.ProgressUpdate>? progress = null)
    {
        using var file = Hdf5TrajectoryFile.Open(path);
        foreach (string key in D4rlKeys.Required)
        {
            if (!file.HasColumn(key))
                throw new DatasetFormatException(path, key, "required key is missing");
        }

        foreach (var (key, rows) in file.ColumnRowCounts)
        {
            if (rows != file.RowCount)
                throw new DatasetFormatException(path, key, $"has {rows} rows but observations has {file.RowCount}");
        }

        return file.ReadAll(cancellationToken, progress);
    }
}
