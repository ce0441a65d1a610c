namespace Robotics.Control.Robot;

/// <summary>How a robot endpoint runs its episodes and when it holds on its own.</summary>
public sealed class RobotEndpointOptions
{
    /// <summary>Actions stop arriving for this long: hold (the host died or the network broke).</summary>
    public int HoldTimeoutMs { get; set; } = 300;

    /// <summary>While waiting, re-send the current observation this often so the host always has a fresh one.</summary>
    public int ResendIntervalMs { get; set; } = 100;

    /// <summary>Tasks to cycle through, one episode each in turn; empty = the arm's default task.</summary>
    public List<int> Tasks { get; set; } = [];

    /// <summary>Episodes per task; 0 = keep going until stopped.</summary>
    public int EpisodesPerTask { get; set; }

    public long Seed { get; set; }

    /// <summary>Episode number of the first episode (a restarted robot continues the count).</summary>
    public long FirstEpisode { get; set; }
}
