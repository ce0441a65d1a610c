using MessagePack;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Codec.Bodies;

internal sealed class StatusCodec : IBodyCodec
{
    public MessageType Type => MessageType.Status;

    public void Write(ref MessagePackWriter writer, IMessageBody body)
    {
        var m = (StatusMessage)body;
        writer.WriteMapHeader(4);
        writer.Write("state");
        writer.Write(m.State);
        writer.Write("detail");
        writer.Write(m.Detail);
        writer.Write("episode");
        writer.Write(m.Episode);
        writer.Write("step");
        writer.Write(m.Step);
    }

    public IMessageBody Read(FieldReader body) =>
        new StatusMessage(body.String("state"), body.OptionalString("detail") ?? "", body.OptionalInt("episode") ?? 0, body.OptionalInt("step") ?? 0);
}
