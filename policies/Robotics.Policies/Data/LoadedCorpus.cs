using Robotics.Core.Tasks;

namespace Robotics.Policies.Data;

/// <summary>
/// Episodes read from one dataset file, with the task list the file declares. An action-free corpus (play data,
/// another robot's logs: no actions column) has <see cref="ActionDim"/> 0 and episodes without actions.
/// </summary>
public sealed record LoadedCorpus(string Path, IReadOnlyList<Episode> Episodes, IReadOnlyList<string> TaskInstructions, int StateDim, int ActionDim)
{
    public bool HasActions => ActionDim > 0;
}
