using MessagePack;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Codec.Bodies;

internal sealed class HelloCodec : IBodyCodec
{
    public MessageType Type => MessageType.Hello;

    public void Write(ref MessagePackWriter writer, IMessageBody body)
    {
        var m = (HelloMessage)body;
        writer.WriteMapHeader(8);
        writer.Write("role");
        writer.Write(m.Role == PeerRole.Robot ? "robot" : "operator");
        writer.Write("name");
        writer.Write(m.Name);
        writer.Write("action_dim");
        writer.Write(m.ActionDim);
        writer.Write("state_dim");
        writer.Write(m.StateDim);
        writer.Write("action_mode");
        writer.Write(m.ActionMode == ActionMode.Delta ? "delta" : "absolute");
        writer.Write("cameras");
        var cameras = m.Cameras ?? [];
        writer.WriteArrayHeader(cameras.Count);
        foreach (var c in cameras)
            writer.Write(c);
        writer.Write("client_key");
        writer.WriteOptional(m.ClientKey);
        writer.Write("proof");
        writer.WriteOptional(m.Proof);
    }

    public IMessageBody Read(FieldReader body)
    {
        var role = body.String("role") switch
        {
            "robot" => PeerRole.Robot,
            "operator" => PeerRole.Operator,
            var other => throw new ProtocolException(ProtocolErrorCode.InvalidValue, $"'{other}' is not robot or operator", body.Key("role")),
        };
        var mode = (body.OptionalString("action_mode") ?? "delta") switch
        {
            "delta" => ActionMode.Delta,
            "absolute" => ActionMode.Absolute,
            var other => throw new ProtocolException(ProtocolErrorCode.InvalidValue, $"'{other}' is not delta or absolute", body.Key("action_mode")),
        };
        return new HelloMessage(role, body.String("name"),
            body.OptionalInt32("action_dim", 0, 4096) ?? 0,
            body.OptionalInt32("state_dim", 0, 65536) ?? 0,
            mode,
            body.OptionalStringList("cameras"),
            body.OptionalString("client_key"),
            body.OptionalBytes("proof"));
    }
}
