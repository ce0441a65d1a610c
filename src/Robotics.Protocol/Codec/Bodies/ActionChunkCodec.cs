using MessagePack;
using Robotics.Core.Shapes;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Codec.Bodies;

internal sealed class ActionChunkCodec : IBodyCodec
{
    public MessageType Type => MessageType.ActionChunk;

    public void Write(ref MessagePackWriter writer, IMessageBody body)
    {
        var m = (ActionChunkMessage)body;
        writer.WriteMapHeader(7);
        writer.Write("chunk_id");
        writer.Write(m.ChunkId);
        writer.Write("episode");
        writer.Write(m.Episode);
        writer.Write("first_step");
        writer.Write(m.FirstStep);
        writer.Write("step_period_s");
        writer.Write(m.StepPeriodSeconds);
        writer.Write("actions");
        ArrayCodec.Write(ref writer, m.Actions);
        writer.Write("obs_seq");
        writer.Write(m.ObservationSequence);
        writer.Write("backtrack");
        writer.Write(m.Backtrack);
    }

    public IMessageBody Read(FieldReader body)
    {
        var actions = body.Array("actions");
        if (actions.Shape.Length != 2 || actions.DType != DType.Float32 || actions.Shape[0] == 0)
            throw new ProtocolException(ProtocolErrorCode.BadArray, $"actions must be float32 with shape [H >= 1, A], got {actions}", body.Key("actions"));
        double period = body.Double("step_period_s");
        if (!(period > 0 && period <= 10))
            throw new ProtocolException(ProtocolErrorCode.InvalidValue, $"step period {period} s is outside (0, 10]", body.Key("step_period_s"));
        return new ActionChunkMessage(body.Int("chunk_id"), body.OptionalInt("episode") ?? 0, body.Int("first_step"), period, actions,
            body.OptionalInt("obs_seq") ?? -1, body.Bool("backtrack"));
    }
}
