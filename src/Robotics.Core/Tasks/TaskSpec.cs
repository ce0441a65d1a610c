namespace Robotics.Core.Tasks;

/// <summary>A task a multitask policy can be asked to do: a stable index, a name and the instruction text.</summary>
public sealed record TaskSpec(int Index, string Name, string Instruction);
