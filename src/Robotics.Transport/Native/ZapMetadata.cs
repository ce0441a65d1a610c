namespace Robotics.Transport.Native;

/// <summary>
/// Connection properties our ZAP handler attaches to every message of a connection (read with zmq_msg_gets).
/// A peer cannot forge them: they come from the handshake, not from the peer's frames.
/// </summary>
internal static class ZapMetadata
{
    /// <summary>A number unique to one handshake: binds authentication to the TCP connection, not to the routing id.</summary>
    public const string Connection = "X-Robotics-Connection";

    /// <summary>"robot" or "operator" from the allowlist the key is on; absent in plaintext mode.</summary>
    public const string Role = "X-Robotics-Role";
}
