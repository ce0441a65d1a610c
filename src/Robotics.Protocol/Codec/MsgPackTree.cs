using MessagePack;

namespace Robotics.Protocol.Codec;

/// <summary>
/// Reads untrusted MessagePack into plain values (null, bool, long, ulong, double, string, byte[], object?[],
/// Dictionary&lt;string, object?&gt;) with limits on depth and on declared lengths, so a forged header can
/// never make us allocate more than the message holds.
/// </summary>
public static class MsgPackTree
{
    public const int MaxDepth = 16;

    public static object? Read(ReadOnlyMemory<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        object? value;
        try
        {
            value = ReadValue(ref reader, 0);
        }
        catch (ProtocolException)
        {
            throw;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException or ArgumentException or System.Text.DecoderFallbackException)
        {
            throw new ProtocolException(ProtocolErrorCode.Malformed, $"not valid MessagePack ({e.GetType().Name}: {e.Message})", inner: e);
        }

        if (!reader.End)
            throw new ProtocolException(ProtocolErrorCode.Malformed, $"{bytes.Length - reader.Consumed} trailing bytes after the message");
        return value;
    }

    private static object? ReadValue(ref MessagePackReader reader, int depth)
    {
        if (depth > MaxDepth)
            throw new ProtocolException(ProtocolErrorCode.Malformed, $"nesting deeper than {MaxDepth}");
        if (reader.End)
            throw new ProtocolException(ProtocolErrorCode.Malformed, "message ends early");
        long remaining = reader.Sequence.Length - reader.Consumed;
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                return reader.NextCode == MessagePackCode.UInt64 ? ReadUnsigned(ref reader) : reader.ReadInt64();
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                var seq = reader.ReadBytes() ?? throw new ProtocolException(ProtocolErrorCode.Malformed, "null binary");
                return System.Buffers.BuffersExtensions.ToArray(seq);
            case MessagePackType.Array:
            {
                int count = reader.ReadArrayHeader();
                if (count > remaining)
                    throw new ProtocolException(ProtocolErrorCode.Malformed, $"array declares {count} items but only {remaining} bytes remain");
                var items = new object?[count];
                for (int i = 0; i < count; i++)
                    items[i] = ReadValue(ref reader, depth + 1);
                return items;
            }

            case MessagePackType.Map:
            {
                int count = reader.ReadMapHeader();
                if (count > remaining / 2)
                    throw new ProtocolException(ProtocolErrorCode.Malformed, $"map declares {count} entries but only {remaining} bytes remain");
                var map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
                for (int i = 0; i < count; i++)
                {
                    if (reader.NextMessagePackType != MessagePackType.String)
                        throw new ProtocolException(ProtocolErrorCode.Malformed, "map keys must be strings");
                    string key = reader.ReadString()!;
                    map[key] = ReadValue(ref reader, depth + 1);
                }

                return map;
            }

            case MessagePackType.Extension:
                throw new ProtocolException(ProtocolErrorCode.Malformed, "MessagePack extension types are not part of the protocol");
            default:
                throw new ProtocolException(ProtocolErrorCode.Malformed, $"unexpected MessagePack code 0x{reader.NextCode:x2}");
        }
    }

    private static object ReadUnsigned(ref MessagePackReader reader)
    {
        ulong v = reader.ReadUInt64();
        return v <= long.MaxValue ? (long)v : v;
    }
}
