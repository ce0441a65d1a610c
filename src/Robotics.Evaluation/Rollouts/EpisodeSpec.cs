using Robotics.Evaluation.Conditions;

namespace Robotics.Evaluation.Rollouts;

/// <summary>
/// Everything that decides one evaluation episode apart from the policy: the task to pose (null: drawn from the
/// seed), the seed (initial state, fault draw, noise streams, the policy's sampling noise) and the condition.
/// </summary>
public sealed record EpisodeSpec(int? Task, long Seed, EvaluationCondition Condition);
