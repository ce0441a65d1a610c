namespace Robotics.Torch;

/// <summary>TorchSharp's native library could not be loaded; the message says what is missing.</summary>
public sealed class TorchNativeLoadException(string message, Exception? inner = null) : Exception(message, inner);
