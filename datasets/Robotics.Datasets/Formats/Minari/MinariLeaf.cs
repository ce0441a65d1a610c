using Robotics.Core.Arrays;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>One leaf of an episode's observations or actions: numeric rows, or one string per row (Text).</summary>
internal sealed record MinariLeaf(string Path, NdArray? Array, string[]? Strings, bool IsImage);
