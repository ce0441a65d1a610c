using MessagePack;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Codec.Bodies;

internal sealed class ErrorCodec : IBodyCodec
{
    public MessageType Type => MessageType.Error;

    public void Write(ref MessagePackWriter writer, IMessageBody body)
    {
        var m = (ErrorMessage)body;
        writer.WriteMapHeader(3);
        writer.Write("code");
        writer.Write(m.Code);
        writer.Write("message");
        writer.Write(m.Message);
        writer.Write("ref_seq");
        if (m.ReferenceSequence is { } seq) writer.Write(seq);
        else writer.WriteNil();
    }

    public IMessageBody Read(FieldReader body) =>
        new ErrorMessage(body.String("code"), body.OptionalString("message") ?? "", body.Has("ref_seq") ? body.UInt("ref_seq") : null);
}
