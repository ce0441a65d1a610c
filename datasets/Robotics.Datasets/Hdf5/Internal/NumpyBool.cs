namespace Robotics.Datasets.Hdf5.Internal;

/// <summary>
/// numpy's bool as h5py stores it: an 8-bit enum with exactly the members FALSE = 0 and
/// TRUE = 1. PureHDF writes a C# enum as an HDF5 enum with these names, so h5py reads dtype bool.
/// </summary>
#pragma warning disable CA1707 // the member names are the on-disk names h5py looks for
public enum NumpyBool : byte
{
    FALSE = 0,
    TRUE = 1,
}
#pragma warning restore CA1707
