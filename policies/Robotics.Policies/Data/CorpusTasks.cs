using Robotics.Policies.Configuration;

namespace Robotics.Policies.Data;

/// <summary>
/// How one corpus's task indices map onto the policy's task list (tasks are merged across corpora by instruction
/// text) and the instruction of each of its tasks.
/// </summary>
public sealed record CorpusTasks(string Corpus, long[] ToPolicy, string?[] Instructions)
{
    /// <summary>A corpus whose task indices are the policy's own.</summary>
    public static CorpusTasks Identity(string corpus, PolicyConfig config) =>
        new(corpus, config.Tasks.Select((_, i) => (long)i).ToArray(), config.Tasks.Select(t => (string?)t.Instruction).ToArray());
}
