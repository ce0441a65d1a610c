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

    /// <summary>The session is authenticated, but its role may not do this (a robot sending commands).</summary>
    Forbidden,
    InvalidValue,
    BadState,
}
