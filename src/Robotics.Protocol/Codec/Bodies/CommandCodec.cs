using MessagePack;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Codec.Bodies;

internal sealed class CommandCodec : IBodyCodec
{
    public MessageType Type => MessageType.Command;

    public void Write(ref MessagePackWriter writer, IMessageBody body)
    {
        var m = (CommandMessage)body;
        writer.WriteMapHeader(5);
        writer.Write("command");
        writer.Write(m.Command.ToWire());
        writer.Write("task_index");
        writer.WriteOptional(m.TaskIndex);
        writer.Write("instruction");
        writer.WriteOptional(m.Instruction);
        writer.Write("steps");
        writer.WriteOptional(m.Steps);
        writer.Write("seed");
        writer.WriteOptional(m.Seed);
    }

    public IMessageBody Read(FieldReader body)
    {
        string name = body.String("command");
        if (!CommandKindNames.TryParse(name, out var kind))
            throw new ProtocolException(ProtocolErrorCode.InvalidValue, $"unknown command '{name}'", body.Key("command"));
        return new CommandMessage(kind, body.OptionalInt32("task_index", 0, 1 << 20), body.OptionalString("instruction"),
            body.OptionalInt32("steps", 0, 1_000_000), body.OptionalInt("seed"));
    }
}
