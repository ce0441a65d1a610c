namespace Robotics.Protocol.Messages;

/// <summary>snake_case wire names of <see cref="CommandKind"/>.</summary>
public static class CommandKindNames
{
    public static string ToWire(this CommandKind kind) => kind switch
    {
        CommandKind.Start => "start",
        CommandKind.Stop => "stop",
        CommandKind.Backtrack => "backtrack",
        CommandKind.Resume => "resume",
        CommandKind.Reset => "reset",
        CommandKind.SetTask => "set_task",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown command"),
    };

    public static bool TryParse(string name, out CommandKind kind)
    {
        foreach (var k in Enum.GetValues<CommandKind>())
        {
            if (k.ToWire() == name)
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
