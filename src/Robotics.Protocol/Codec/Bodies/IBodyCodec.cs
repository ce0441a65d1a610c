using MessagePack;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Codec.Bodies;

/// <summary>Writes and reads the body map of one message type; registered by type in <see cref="ProtocolCodec"/>.</summary>
public interface IBodyCodec
{
    MessageType Type { get; }

    void Write(ref MessagePackWriter writer, IMessageBody body);

    IMessageBody Read(FieldReader body);
}
