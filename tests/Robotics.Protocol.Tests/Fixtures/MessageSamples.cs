using Robotics.Core.Arrays;
using Robotics.Protocol;
using Robotics.Protocol.Messages;

namespace Robotics.Protocol.Tests.Fixtures;

/// <summary>One valid envelope of every message type, used as round-trip cases and as fuzz seeds.</summary>
public static class MessageSamples
{
    public static IReadOnlyList<Envelope> All()
    {
        var image = NdArray.FromBytes(Enumerable.Range(0, 4 * 5 * 3).Select(i => (byte)(i * 7)).ToArray(), 4, 5, 3);
        var actions = NdArray.FromFloats([0.1f, -0.2f, 0.3f, -0.4f, 0.5f, float.MaxValue], 3, 2);
        return
        [
            new Envelope(1, "robot-1", 1_000, new HelloMessage(PeerRole.Robot, "sim", 2, 4, ActionMode.Delta, ["front"])),
            new Envelope(2, "robot-1", 2_000, new ObservationMessage(3, 17, NdArray.FromFloats([1f, -2.5f, 3.25f, 1e-7f], 4),
                new Dictionary<string, NdArray> { ["front"] = image }, 2, "push the red block", Success: true, Done: false)),
            new Envelope(3, "host", 3_000, new ActionChunkMessage(9, 3, 17, 0.02, actions, 2, Backtrack: false)),
            new Envelope(4, "op", 4_000, new CommandMessage(CommandKind.SetTask, 4, "push left", null, null)),
            new Envelope(5, "op", 5_000, new CommandMessage(CommandKind.Backtrack, Steps: 12)),
            new Envelope(6, "host", 6_000, new StatusMessage("Running", "ok", 3, 17)),
            new Envelope(ulong.MaxValue, "host", -7, HeartbeatMessage.Instance),
            new Envelope(8, "host", 8_000, new ErrorMessage("bad_array", "body.state: wrong", 77)),
        ];
    }
}
