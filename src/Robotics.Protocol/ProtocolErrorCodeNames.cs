namespace Robotics.Protocol;

/// <summary>snake_case wire names of <see cref="ProtocolErrorCode"/>.</summary>
public static class ProtocolErrorCodeNames
{
    public static string ToWire(this ProtocolErrorCode code) => code switch
    {
        ProtocolErrorCode.Malformed => "malformed",
        ProtocolErrorCode.UnsupportedVersion => "unsupported_version",
        ProtocolErrorCode.UnknownType => "unknown_type",
        ProtocolErrorCode.MissingField => "missing_field",
        ProtocolErrorCode.WrongType => "wrong_type",
        ProtocolErrorCode.BadArray => "bad_array",
        ProtocolErrorCode.TooLarge => "too_large",
        ProtocolErrorCode.Unauthorized => "unauthorized",
        ProtocolErrorCode.Forbidden => "forbidden",
        ProtocolErrorCode.InvalidValue => "invalid_value",
        ProtocolErrorCode.BadState => "bad_state",
        _ => "malformed",
    };
}
