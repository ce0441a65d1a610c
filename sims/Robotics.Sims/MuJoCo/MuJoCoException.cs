namespace Robotics.Sims.MuJoCo;

/// <summary>An error reported by MuJoCo itself (its own message text), or a refused library version.</summary>
public sealed class MuJoCoException(string message, Exception? inner = null) : Exception(message, inner);
