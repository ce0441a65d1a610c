using System.Text.Json.Serialization;
using Robotics.Evaluation.Plans;
using Robotics.Evaluation.Rollouts;

namespace Robotics.Evaluation.Store;

/// <summary>One finished episode of a sweep as stored: which cell and episode, and its result.</summary>
public sealed record SweepRecord(string Policy, string Environment, int Task, string Condition, int Episode, EpisodeResult Result)
{
    [JsonIgnore]
    public SweepCell Cell => new(Policy, Environment, Task, Condition);

    [JsonIgnore]
    public string Key => new SweepItem(Cell, Episode).Key;
}
