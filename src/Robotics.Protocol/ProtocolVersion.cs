namespace Robotics.Protocol;

/// <summary>The wire protocol version; a peer rejects envelopes whose version differs (see PROTOCOL.md).</summary>
public static class ProtocolVersion
{
    public const int Current = 1;
}
