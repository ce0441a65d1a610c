using System.Buffers;
using MessagePack;
using Robotics.Protocol.Codec.Bodies;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Codec;

/// <summary>
/// Envelope &lt;-&gt; bytes. One ZeroMQ frame holds one MessagePack map:
/// <c>{"v": int, "type": str, "seq": uint, "sender": str, "t_ns": int, "body": map}</c> (PROTOCOL.md).
/// Decoding never throws anything but <see cref="ProtocolException"/>.
/// </summary>
public static class ProtocolCodec
{
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;

    private static readonly Dictionary<MessageType, IBodyCodec> Codecs = new IBodyCodec[]
    {
        new HelloCodec(), new ObservationCodec(), new ActionChunkCodec(), new CommandCodec(),
        new StatusCodec(), new HeartbeatCodec(), new ErrorCodec(),
    }.ToDictionary(c => c.Type);

    public static byte[] Encode(Envelope envelope)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(6);
        writer.Write("v");
        writer.Write(envelope.Version);
        writer.Write("type");
        writer.Write(envelope.Type.ToWire());
        writer.Write("seq");
        writer.Write(envelope.Sequence);
        writer.Write("sender");
        writer.Write(envelope.Sender);
        writer.Write("t_ns");
        writer.Write(envelope.MonotonicNs);
        writer.Write("body");
        Codecs[envelope.Type].Write(ref writer, envelope.Body);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static Envelope Decode(ReadOnlyMemory<byte> bytes, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        if (bytes.Length > maxMessageBytes)
            throw new ProtocolException(ProtocolErrorCode.TooLarge, $"message of {bytes.Length} bytes exceeds the limit of {maxMessageBytes}");
        if (bytes.Length == 0)
            throw new ProtocolException(ProtocolErrorCode.Malformed, "empty frame");
        if (MsgPackTree.Read(bytes) is not Dictionary<string, object?> map)
            throw new ProtocolException(ProtocolErrorCode.Malformed, "the envelope must be a MessagePack map with string keys");
        var root = new FieldReader(map, "");
        ulong? sequence = map.TryGetValue("seq", out var s) && s is long l and >= 0 ? (ulong)l : s as ulong?;
        string? typeName = map.TryGetValue("type", out var t) ? t as string : null;
        try
        {
            long version = root.Int("v");
            if (version != ProtocolVersion.Current)
                throw new ProtocolException(ProtocolErrorCode.UnsupportedVersion, $"protocol version {version} is not supported (this peer speaks {ProtocolVersion.Current})", "v");
            root.String("type");
            if (!MessageTypeNames.TryParse(typeName!, out var type))
                throw new ProtocolException(ProtocolErrorCode.UnknownType, $"unknown message type '{typeName}'", "type");
            var body = Codecs[type].Read(root.Map("body"));
            return new Envelope(root.UInt("seq"), root.String("sender"), root.Int("t_ns"), body, (int)version);
        }
        catch (ProtocolException e)
        {
            e.Sequence = sequence;
            e.MessageType = typeName;
            throw;
        }
    }

    /// <summary>Decodes, or returns the refusal; the sequence number is recovered when the envelope got that far.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> bytes, int maxMessageBytes, out Envelope? envelope, out ProtocolException? error)
    {
        try
        {
            envelope = Decode(bytes, maxMessageBytes);
            error = null;
            return true;
        }
        catch (ProtocolException e)
        {
            envelope = null;
            error = e;
            return false;
        }
    }
}
