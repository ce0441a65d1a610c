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
}
