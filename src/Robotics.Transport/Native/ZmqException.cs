namespace Robotics.Transport.Native;

/// <summary>A libzmq call failed; the message names the call, its argument and libzmq's reason.</summary>
public sealed class ZmqException(string message) : Exception(message);
