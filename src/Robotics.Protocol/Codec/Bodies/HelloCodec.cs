using MessagePack;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Codec.Bodies;

internal sealed class HelloCodec : IBodyCodec
{
    public MessageType Type => MessageType.Hello;

    public void Write(ref MessagePackWriter writer, IMessageBody body)
    {
        var m = (HelloMessage)body;
        writer.WriteMapHeader(6);
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
    }

    /// <summary>
    /// A robot must declare every field (the host checks its observations and rows against them); an operator
    /// console has no arm, so its declarations may be nil. Extra keys (v1 peers still sending client_key/proof) are ignored.
    /// </summary>
    public IMessageBody Read(FieldReader body)
    {
        var role = body.String("role") switch
        {
            "robot" => PeerRole.Robot,
            "operator" => PeerRole.Operator,
            var other => throw new ProtocolException(ProtocolErrorCode.InvalidValue, $"'{other}' is not robot or operator", body.Key("role")),
        };
        string name = body.String("name");
        if (role == PeerRole.Operator)
        {
            return new HelloMessage(role, name, body.OptionalInt32("action_dim", 0, 4096) ?? 0, body.OptionalInt32("state_dim", 0, 65536) ?? 0,
                body.Has("action_mode") ? Mode(body) : ActionMode.Delta, body.OptionalStringList("cameras"));
        }

        return new HelloMessage(role, name, body.Int32("action_dim", 1, 4096), body.Int32("state_dim", 0, 65536), Mode(body), body.StringList("cameras"));
    }

    private static ActionMode Mode(FieldReader body) => body.String("action_mode") switch
    {
        "delta" => ActionMode.Delta,
        "absolute" => ActionMode.Absolute,
        var other => throw new ProtocolException(ProtocolErrorCode.InvalidValue, $"'{other}' is not delta or absolute", body.Key("action_mode")),
    };
}
