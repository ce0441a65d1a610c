using System.Runtime.InteropServices;
using System.Text.Json;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Protocol.Tests.Fixtures;

namespace Robotics.Protocol.Tests;

/// <summary>Both directions against an independent peer written with Python's msgpack + numpy.</summary>
public sealed class PythonConformanceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("protocol-conformance-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PythonWrittenMessagesDecodeWithExactValues()
    {
        PythonPeer.Run("write", _dir);
        var obs = ProtocolCodec.Decode(File.ReadAllBytes(Path.Combine(_dir, "observation.msgpack")));
        Assert.Equal(7UL, obs.Sequence);
        Assert.Equal("py-peer", obs.Sender);
        var body = Assert.IsType<ObservationMessage>(obs.Body);
        Assert.Equal(40, body.Step);
        Assert.Equal([0.5f, -1.25f, 3.0f, 1e-3f], body.State.ToFloats());
        var image = body.Images["wrist"];
        Assert.Equal([2, 3, 3], image.Shape);
        Assert.Equal(Enumerable.Range(0, 18).Select(i => (byte)(i * 11 % 256)).ToArray(), image.Data);
        Assert.Equal("push the block left", body.Instruction);
        Assert.Equal(1, body.TaskIndex);

        var hello = Assert.IsType<HelloMessage>(ProtocolCodec.Decode(File.ReadAllBytes(Path.Combine(_dir, "hello.msgpack"))).Body);
        Assert.Equal(ActionMode.Absolute, hello.ActionMode);
        Assert.Equal(["wrist"], hello.Cameras);
        var command = Assert.IsType<CommandMessage>(ProtocolCodec.Decode(File.ReadAllBytes(Path.Combine(_dir, "command.msgpack"))).Body);
        Assert.Equal(CommandKind.Backtrack, command.Command);
        Assert.Equal(5, command.Steps);
        var chunk = Assert.IsType<ActionChunkMessage>(ProtocolCodec.Decode(File.ReadAllBytes(Path.Combine(_dir, "action_chunk.msgpack"))).Body);
        Assert.Equal([3, 2], chunk.Actions.Shape);
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f], chunk.Actions.ToFloats());
    }

    [Theory]
    [InlineData("bad_version", ProtocolErrorCode.UnsupportedVersion, "v")]
    [InlineData("bad_dtype", ProtocolErrorCode.BadArray, "body.state.dtype")]
    [InlineData("wrong_shape", ProtocolErrorCode.BadArray, "body.state")]
    public void PythonWrittenBadMessagesAreRefusedNamingTheField(string file, ProtocolErrorCode code, string field)
    {
        PythonPeer.Run("write", _dir);
        var e = Assert.Throws<ProtocolException>(() => ProtocolCodec.Decode(File.ReadAllBytes(Path.Combine(_dir, file + ".msgpack"))));
        Assert.Equal(code, e.Code);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void CSharpWrittenMessagesDecodeInPythonWithNumpyArrays()
    {
        var actions = new float[] { 0.125f, -3f, 7.5f, float.NegativeInfinity };
        var envelope = new Envelope(42, "host", 123_456, new ActionChunkMessage(5, 1, 9, 0.05, NdArray.FromFloats(actions, 2, 2), 41));
        string path = Path.Combine(_dir, "chunk.msgpack");
        File.WriteAllBytes(path, ProtocolCodec.Encode(envelope));
        using var json = JsonDocument.Parse(PythonPeer.Run("read", path));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal("action_chunk", root.GetProperty("type").GetString());
        Assert.Equal(42, root.GetProperty("seq").GetInt64());
        var arr = root.GetProperty("body").GetProperty("actions");
        Assert.Equal("<f4", arr.GetProperty("dtype").GetString());
        Assert.Equal([2, 2], arr.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        var values = arr.GetProperty("values").EnumerateArray().ToArray();
        Assert.Equal([0.125, -3.0, 7.5], values.Take(3).Select(e => e.GetDouble()));
        Assert.Equal("-inf", values[3].GetString());

        var image = new NdArray(DType.UInt8, [2, 2, 1], [1, 2, 3, 255]);
        var obs = new Envelope(1, "robot", 5, new ObservationMessage(0, 3, NdArray.FromFloats([1f, 2f], 2), new Dictionary<string, NdArray> { ["cam"] = image }));
        File.WriteAllBytes(path, ProtocolCodec.Encode(obs));
        using var json2 = JsonDocument.Parse(PythonPeer.Run("read", path));
        var cam = json2.RootElement.GetProperty("body").GetProperty("images").GetProperty("cam");
        Assert.Equal("|u1", cam.GetProperty("dtype").GetString());
        Assert.Equal([1.0, 2.0, 3.0, 255.0], cam.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()));
    }
}
