using Robotics.Core.Tasks;

namespace Robotics.Policies.Data;

/// <summary>Episodes read from one dataset file, with the task list the file declares.</summary>
public sealed record LoadedCorpus(string Path, IReadOnlyList<Episode> Episodes, IReadOnlyList<string> TaskInstructions, int StateDim, int ActionDim);
