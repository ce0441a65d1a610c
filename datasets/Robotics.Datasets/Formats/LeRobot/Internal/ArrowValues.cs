using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Formats.LeRobot.Internal;

/// <summary>
/// Reads values out of Arrow arrays exactly as stored: numbers keep their width and type (no float32
/// funnel), nested lists of any depth (datasets' Sequence, Array2D..Array5D) are flattened row by row,
/// strings and structs (language annotations) become text.
/// </summary>
internal static class ArrowValues
{
    /// <summary>The DType of a primitive Arrow type, or null when it has none here (float16, strings, ...).</summary>
    public static DType? DTypeOf(IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Float => DType.Float32,
        ArrowTypeId.Double => DType.Float64,
        ArrowTypeId.Int64 => DType.Int64,
        ArrowTypeId.Int32 => DType.Int32,
        ArrowTypeId.Int16 => DType.Int16,
        ArrowTypeId.Int8 => DType.Int8,
        ArrowTypeId.UInt8 => DType.UInt8,
        ArrowTypeId.UInt16 => DType.UInt16,
        ArrowTypeId.UInt32 => DType.UInt32,
        ArrowTypeId.UInt64 => DType.UInt64,
        ArrowTypeId.Boolean => DType.Bool,
        _ => null,
    };

    /// <summary>
    /// Copies the rows of a numeric column (a primitive, or lists of lists ... of a primitive) into
    /// <paramref name="destination"/> as little-endian bytes of <paramref name="dtype"/>, checking that
    /// every row holds exactly <paramref name="width"/> values. Throws <see cref="InvalidDataException"/>
    /// with the reason; the caller names file and key.
    /// </summary>
    public static void CopyNumeric(IArrowArray column, DType dtype, int width, Span<byte> destination)
    {
        if (column.NullCount > 0)
            throw new InvalidDataException($"{column.NullCount} null rows");
        var (leaf, starts) = Flatten(column);
        var leafType = DTypeOf(leaf.Data.DataType)
            ?? throw new InvalidDataException($"values are {leaf.Data.DataType.Name}, not a numeric type");
        if (leafType != dtype)
            throw new InvalidDataException($"values are {leafType.ToNumpy()} but info.json declares {dtype.ToNumpy()}");
        if (leaf.NullCount > 0)
            throw new InvalidDataException($"{leaf.NullCount} null values");
        int rows = column.Length;
        for (int i = 0; i < rows; i++)
        {
            if (starts[i + 1] - starts[i] != width)
                throw new InvalidDataException($"row {i} of the batch holds {starts[i + 1] - starts[i]} values; info.json's shape holds {width}");
        }

        int first = starts[0], count = starts[rows] - first;
        int size = dtype.ByteSize();
        if (destination.Length != (long)count * size)
            throw new InvalidDataException($"expected {destination.Length / size} values, got {count}");
        if (leaf is BooleanArray booleans)
        {
            for (int k = 0; k < count; k++)
                destination[k] = booleans.GetValue(first + k) == true ? (byte)1 : (byte)0;
            return;
        }

        // Primitive values are stored contiguously; the logical span starts at the array's own offset.
        var buffer = leaf.Data.Buffers[1].Span;
        buffer.Slice((leaf.Offset + first) * size, count * size).CopyTo(destination);
    }

    /// <summary>The innermost array of nested lists and, for each row, where its values start (length rows + 1).</summary>
    public static (IArrowArray Leaf, int[] Starts) Flatten(IArrowArray column)
    {
        int rows = column.Length;
        var starts = new int[rows + 1];
        for (int i = 0; i <= rows; i++)
            starts[i] = i;
        var current = column;
        while (true)
        {
            switch (current)
            {
                case ListArray list:
                {
                    var offsets = list.ValueOffsets;
                    for (int i = 0; i <= rows; i++)
                        starts[i] = offsets[starts[i]];
                    current = list.Values;
                    continue;
                }
                case LargeListArray list:
                {
                    var offsets = list.ValueOffsets;
                    for (int i = 0; i <= rows; i++)
                        starts[i] = checked((int)offsets[starts[i]]);
                    current = list.Values;
                    continue;
                }
                case FixedSizeListArray list:
                {
                    int size = ((FixedSizeListType)list.Data.DataType).ListSize;
                    for (int i = 0; i <= rows; i++)
                        starts[i] = (list.Offset + starts[i]) * size;
                    current = list.Values;
                    continue;
                }
                default:
                    return (current, starts);
            }
        }
    }

    /// <summary>The text of row <paramref name="row"/> of a string column (null stays null).</summary>
    public static string? String(IArrowArray column, int row) => column switch
    {
        StringArray s => s.IsNull(row) ? null : s.GetString(row),
        LargeStringArray s => s.IsNull(row) ? null : s.GetString(row),
        _ => throw new InvalidDataException($"is {column.Data.DataType.Name}, not a string column"),
    };

    /// <summary>Row <paramref name="row"/> of any column as JSON (structs as objects, lists as arrays).</summary>
    public static string Json(IArrowArray column, int row)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            WriteJson(writer, column, row);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The raw bytes of row <paramref name="row"/> of a binary column, or null.</summary>
    public static byte[]? Bytes(IArrowArray column, int row) => column switch
    {
        BinaryArray b => b.IsNull(row) ? null : b.GetBytes(row).ToArray(),
        LargeBinaryArray b => b.IsNull(row) ? null : b.GetBytes(row).ToArray(),
        _ => throw new InvalidDataException($"is {column.Data.DataType.Name}, not a binary column"),
    };

    /// <summary>The child named <paramref name="name"/> of a struct column.</summary>
    public static IArrowArray? Field(StructArray column, string name)
    {
        var type = (StructType)column.Data.DataType;
        int index = type.GetFieldIndex(name);
        return index < 0 ? null : column.Fields[index];
    }

    private static void WriteJson(Utf8JsonWriter writer, IArrowArray array, int row)
    {
        if (array.IsNull(row))
        {
            writer.WriteNullValue();
            return;
        }

        switch (array)
        {
            case StructArray s:
            {
                var type = (StructType)s.Data.DataType;
                writer.WriteStartObject();
                for (int f = 0; f < type.Fields.Count; f++)
                {
                    writer.WritePropertyName(type.Fields[f].Name);
                    // Struct children are not sliced with their parent: the parent's offset applies.
                    WriteJson(writer, s.Fields[f], s.Offset + row);
                }

                writer.WriteEndObject();
                return;
            }
            case ListArray or LargeListArray or FixedSizeListArray:
            {
                var (values, start, end) = ListRange(array, row);
                writer.WriteStartArray();
                for (int k = start; k < end; k++)
                    WriteJson(writer, values, k);
                writer.WriteEndArray();
                return;
            }
            case StringArray or LargeStringArray:
                writer.WriteStringValue(String(array, row));
                return;
            case BinaryArray or LargeBinaryArray:
                writer.WriteBase64StringValue(Bytes(array, row));
                return;
            case BooleanArray b:
                writer.WriteBooleanValue(b.GetValue(row) == true);
                return;
            case FloatArray f:
                WriteDouble(writer, f.GetValue(row)!.Value);
                return;
            case DoubleArray d:
                WriteDouble(writer, d.GetValue(row)!.Value);
                return;
            case Int64Array l:
                writer.WriteNumberValue(l.GetValue(row)!.Value);
                return;
            case Int32Array i32:
                writer.WriteNumberValue(i32.GetValue(row)!.Value);
                return;
            case UInt64Array u64:
                writer.WriteNumberValue(u64.GetValue(row)!.Value);
                return;
            default:
                writer.WriteStringValue($"<{array.Data.DataType.Name}>");
                return;
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The strings of row <paramref name="row"/> of a list-of-strings column.</summary>
    public static string[] ListStrings(IArrowArray column, int row)
    {
        var (values, start, end) = ListRange(column, row);
        return Enumerable.Range(start, end - start).Select(k => String(values, k) ?? "").ToArray();
    }

    private static (IArrowArray Values, int Start, int End) ListRange(IArrowArray array, int row) => array switch
    {
        ListArray l => (l.Values, l.ValueOffsets[row], l.ValueOffsets[row + 1]),
        LargeListArray l => (l.Values, checked((int)l.ValueOffsets[row]), checked((int)l.ValueOffsets[row + 1])),
        FixedSizeListArray l => (l.Values, (l.Offset + row) * ((FixedSizeListType)l.Data.DataType).ListSize, (l.Offset + row + 1) * ((FixedSizeListType)l.Data.DataType).ListSize),
        _ => throw new InvalidOperationException("not a list"),
    };
}
