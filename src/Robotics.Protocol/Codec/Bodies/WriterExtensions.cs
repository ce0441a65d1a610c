using MessagePack;

namespace Robotics.Protocol.Codec.Bodies;

/// <summary>Nullable writes: absent values go on the wire as nil so every key is always present.</summary>
internal static class WriterExtensions
{
    public static void WriteOptional(this ref MessagePackWriter writer, string? value)
    {
        if (value is null) writer.WriteNil();
        else writer.Write(value);
    }

    public static void WriteOptional(this ref MessagePackWriter writer, long? value)
    {
        if (value is null) writer.WriteNil();
        else writer.Write(value.Value);
    }

    public static void WriteOptional(this ref MessagePackWriter writer, byte[]? value)
    {
        if (value is null) writer.WriteNil();
        else writer.Write(value);
    }
}
