namespace Robotics.Transport.Native;

/// <summary>
/// One received frame. <see cref="Data"/> is null when the frame was larger than the caller allowed: it was
/// dropped inside libzmq's buffer without being copied or decoded. The properties come from the connection's
/// handshake (the ZAP handler's user id and metadata), so they identify the connection, not what the peer claims.
/// </summary>
internal sealed record ZmqFrame(byte[]? Data, long Size, bool More, string? UserId, string? Connection, string? Role);
