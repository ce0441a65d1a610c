namespace Robotics.Datasets.Tests.Support;

/// <summary>Tests that measure the process's live heap (<see cref="LiveHeapProbe"/>) run alone, so other tests' allocations do not count.</summary>
[CollectionDefinition(nameof(StreamingMemoryCollection), DisableParallelization = true)]
public sealed class StreamingMemoryCollection;
