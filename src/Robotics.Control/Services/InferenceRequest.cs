namespace Robotics.Control.Services;

/// <summary>Plan a chunk from this observation; <see cref="ResetPolicy"/> first when a new episode began.</summary>
public sealed record InferenceRequest(ObservationSample Sample, bool ResetPolicy, int? TaskIndex, string? Instruction);
