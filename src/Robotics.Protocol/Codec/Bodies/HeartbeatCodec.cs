using MessagePack;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Codec.Bodies;

internal sealed class HeartbeatCodec : IBodyCodec
{
    public MessageType Type => MessageType.Heartbeat;

    public void Write(ref MessagePackWriter writer, IMessageBody body) => writer.WriteMapHeader(0);

    public IMessageBody Read(FieldReader body) => HeartbeatMessage.Instance;
}
