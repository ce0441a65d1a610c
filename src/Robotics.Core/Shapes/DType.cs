namespace Robotics.Core.Shapes;

/// <summary>Element types that cross project boundaries (datasets, wire, policies), named as numpy names them.</summary>
public enum DType
{
    Float32,
    Float64,
    Int64,
    Int32,
    UInt8,
    Bool,
    String,
    Int8,
    Int16,
    UInt16,
    UInt32,
    UInt64,
}
