namespace Robotics.Sims.Tabletop;

/// <summary>Names and geometry of the tabletop pushing scene (Models/tabletop_push.xml), shared by env and expert.</summary>
public static class TabletopScene
{
    public static readonly string[] Blocks = ["red", "green", "blue"];
    public static readonly string[] Zones = ["left", "right", "far", "near"];
    public static readonly (double X, double Y)[] ZoneCentres = [(-0.2, 0.0), (0.2, 0.0), (0.0, 0.2), (0.0, -0.2)];

    /// <summary>Radius of a target zone; a block "is inside" when its centre is within it.</summary>
    public const double ZoneRadius = 0.05;

    /// <summary>Half the side of a block.</summary>
    public const double BlockHalfSize = 0.025;

    public const double PusherRadius = 0.02;

    /// <summary>Pusher speed for action 1.0 (m/s).</summary>
    public const double MaxSpeed = 0.25;

    /// <summary>Physics steps per control step (0.005 s each: 20 Hz control).</summary>
    public const int FrameSkip = 10;

    /// <summary>A block counts as resting below this speed (m/s).</summary>
    public const double RestSpeed = 0.01;

    public const int MaxEpisodeSteps = 200;

    public static int TaskCount => Blocks.Length * Zones.Length;

    public static int TaskIndex(int block, int zone) => block * Zones.Length + zone;

    public static (int Block, int Zone) DecodeTask(int taskIndex) => (taskIndex / Zones.Length, taskIndex % Zones.Length);

    public static string Instruction(int taskIndex)
    {
        var (block, zone) = DecodeTask(taskIndex);
        return $"push the {Blocks[block]} block to the {Zones[zone]} zone";
    }
}
