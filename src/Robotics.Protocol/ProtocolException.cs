namespace Robotics.Protocol;

/// <summary>A message that cannot be accepted; <see cref="Field"/> names the offending key path when known.</summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(ProtocolErrorCode code, string message, string? field = null, Exception? inner = null)
        : base(field is null ? message : $"{field}: {message}", inner)
    {
        Code = code;
        Field = field;
    }

    public ProtocolErrorCode Code { get; }
    public string? Field { get; }

    /// <summary>The envelope's <c>seq</c> when decoding got far enough to read it (for <c>ref_seq</c> in the answer).</summary>
    public ulong? Sequence { get; internal set; }

    /// <summary>The envelope's <c>type</c> when it was readable, e.g. to tell a broken hello from other traffic.</summary>
    public string? MessageType { get; internal set; }
}
