using MessagePack;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Codec.Bodies;

internal sealed class ObservationCodec : IBodyCodec
{
    public MessageType Type => MessageType.Observation;

    public void Write(ref MessagePackWriter writer, IMessageBody body)
    {
        var m = (ObservationMessage)body;
        writer.WriteMapHeader(8);
        writer.Write("episode");
        writer.Write(m.Episode);
        writer.Write("step");
        writer.Write(m.Step);
        writer.Write("state");
        ArrayCodec.Write(ref writer, m.State);
        writer.Write("images");
        writer.WriteMapHeader(m.Images.Count);
        foreach (var (camera, image) in m.Images)
        {
            writer.Write(camera);
            ArrayCodec.Write(ref writer, image);
        }

        writer.Write("task_index");
        writer.WriteOptional(m.TaskIndex);
        writer.Write("instruction");
        writer.WriteOptional(m.Instruction);
        writer.Write("success");
        writer.Write(m.Success);
        writer.Write("done");
        writer.Write(m.Done);
    }

    public IMessageBody Read(FieldReader body)
    {
        var state = body.Array("state");
        if (state.Shape.Length != 1 || state.DType != DType.Float32)
            throw new ProtocolException(ProtocolErrorCode.BadArray, $"state must be float32 with shape [D], got {state}", body.Key("state"));
        var images = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        if (body.OptionalMap("images") is { } imageMap)
        {
            foreach (var camera in imageMap.Keys)
            {
                var image = imageMap.Array(camera);
                if (image.Shape.Length != 3 || image.DType != DType.UInt8)
                    throw new ProtocolException(ProtocolErrorCode.BadArray, $"an image must be uint8 with shape [H, W, C], got {image}", imageMap.Key(camera));
                images[camera] = image;
            }
        }

        long step = body.Int("step");
        if (step < 0)
            throw new ProtocolException(ProtocolErrorCode.InvalidValue, $"step {step} is negative", body.Key("step"));
        return new ObservationMessage(body.OptionalInt("episode") ?? 0, step, state, images,
            body.OptionalInt32("task_index", 0, 1 << 20), body.OptionalString("instruction"),
            body.Bool("success"), body.Bool("done"));
    }
}
