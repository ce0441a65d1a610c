using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Protocol.Tests.Fixtures;

namespace Robotics.Protocol.Tests;

public class ProtocolCodecTests
{
    [Fact]
    public void EveryMessageTypeRoundTripsWithAllFields()
    {
        foreach (var sample in MessageSamples.All())
        {
            var decoded = ProtocolCodec.Decode(ProtocolCodec.Encode(sample));
            Assert.Equal(sample.Sequence, decoded.Sequence);
            Assert.Equal(sample.Sender, decoded.Sender);
            Assert.Equal(sample.MonotonicNs, decoded.MonotonicNs);
            Assert.Equal(sample.Type, decoded.Type);
            // Re-encoding the decoded message must give identical bytes: no field is lost or altered.
            Assert.Equal(ProtocolCodec.Encode(sample), ProtocolCodec.Encode(decoded));
        }
    }

    [Fact]
    public void ObservationArraysKeepDtypeShapeAndBytes()
    {
        var sample = MessageSamples.All().Single(e => e.Type == MessageType.Observation);
        var decoded = (ObservationMessage)ProtocolCodec.Decode(ProtocolCodec.Encode(sample)).Body;
        var original = (ObservationMessage)sample.Body;
        Assert.Equal(original.State.Data, decoded.State.Data);
        Assert.Equal([4], decoded.State.Shape);
        Assert.Equal(DType.UInt8, decoded.Images["front"].DType);
        Assert.Equal([4, 5, 3], decoded.Images["front"].Shape);
        Assert.Equal(original.Images["front"].Data, decoded.Images["front"].Data);
        Assert.Equal("push the red block", decoded.Instruction);
        Assert.True(decoded.Success);
    }

    [Fact]
    public void WrongVersionIsRefusedWithItsOwnCode()
    {
        var bytes = ProtocolCodec.Encode(MessageSamples.All()[0] with { Version = 2 });
        var e = Assert.Throws<ProtocolException>(() => ProtocolCodec.Decode(bytes));
        Assert.Equal(ProtocolErrorCode.UnsupportedVersion, e.Code);
        Assert.Contains("version 2", e.Message);
    }

    [Fact]
    public void OversizedMessageIsRefusedBeforeParsing()
    {
        var bytes = ProtocolCodec.Encode(MessageSamples.All()[1]);
        var e = Assert.Throws<ProtocolException>(() => ProtocolCodec.Decode(bytes, maxMessageBytes: bytes.Length - 1));
        Assert.Equal(ProtocolErrorCode.TooLarge, e.Code);
    }

    [Fact]
    public void WrongStateShapeOrDtypeNamesTheField()
    {
        var state2d = new Envelope(1, "r", 0, new ObservationMessage(0, 0, NdArray.FromFloats(new float[4], 2, 2), new Dictionary<string, NdArray>()));
        var e = Assert.Throws<ProtocolException>(() => ProtocolCodec.Decode(ProtocolCodec.Encode(state2d)));
        Assert.Equal(ProtocolErrorCode.BadArray, e.Code);
        Assert.Equal("body.state", e.Field);

        var stateF64 = new Envelope(1, "r", 0, new ObservationMessage(0, 0, new NdArray(DType.Float64, [2], new byte[16]), new Dictionary<string, NdArray>()));
        e = Assert.Throws<ProtocolException>(() => ProtocolCodec.Decode(ProtocolCodec.Encode(stateF64)));
        Assert.Equal("body.state", e.Field);
    }

    [Fact]
    public void TruncatedFramesAreMalformedNeverCrashes()
    {
        var bytes = ProtocolCodec.Encode(MessageSamples.All()[1]);
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            Assert.False(ProtocolCodec.TryDecode(bytes.AsMemory(0, cut), ProtocolCodec.DefaultMaxMessageBytes, out _, out var error));
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void DataLengthThatDisagreesWithShapeIsRefused()
    {
        // Hand-built map: shape says 3 floats, data holds 2.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var w = new MessagePack.MessagePackWriter(buffer);
        w.WriteMapHeader(4);
        w.Write("__ndarray__"); w.Write(true);
        w.Write("data"); w.Write(new byte[8]);
        w.Write("dtype"); w.Write("<f4");
        w.Write("shape"); w.WriteArrayHeader(1); w.Write(3);
        w.Flush();
        var e = Assert.Throws<ProtocolException>(() => ArrayCodec.Read(MsgPackTree.Read(buffer.WrittenMemory), "body.state"));
        Assert.Equal("body.state.data", e.Field);
        Assert.Contains("needs 12 bytes", e.Message);
    }
}
