namespace Robotics.Protocol;

/// <summary>Why a message was refused; sent back as the <c>code</c> of an error message.</summary>
public enum ProtocolErrorCode
{
    Malformed,
    UnsupportedVersion,
    UnknownType,
    MissingField,
    WrongType,
    BadArray,
    TooLarge,
    Unauthorized,
    InvalidValue,
    BadState,
}
