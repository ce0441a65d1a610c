namespace Robotics.Policies.Checkpoints;

/// <summary>What resume needs besides tensors: the next step, the seed, and the options the run was started with.</summary>
public sealed record TrainerState(long Step, long Seed, Training.TrainingOptions Options, double? LastValidationLoss);
