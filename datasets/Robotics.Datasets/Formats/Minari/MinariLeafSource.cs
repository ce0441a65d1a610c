using Robotics.Core.Shapes;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>One leaf to write: rows from a numeric column or a per-row string list, the T + 1-th row from <see cref="NextKey"/>.</summary>
internal sealed record MinariLeafSource(string Path, string Key, string? NextKey, bool IsText, DType DType, int[] RowShape);
