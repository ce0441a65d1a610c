namespace Robotics.Torch;

/// <summary>The requested device cannot be used on this machine or with this build.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);
