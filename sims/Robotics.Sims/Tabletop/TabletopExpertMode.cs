using Robotics.Core.Randomness;

namespace Robotics.Sims.Tabletop;

/// <summary>
/// One demonstrator's way of doing a tabletop push, fixed for an episode.
/// </summary>
/// <param name="Side">0: round the block on the side the pusher is already on (scripted); +1 / -1: pass in front of the
/// block on its left / right (relative to the push direction) whenever the pusher starts in front of it.</param>
/// <param name="ViaBearing">NaN: none; else first visit a via-point 0.13 m from the block at this bearing (radians,
/// relative to the push direction, 0 = straight ahead), a different path to the same line-up.</param>
/// <param name="ContactLateral">Sideways offset of the push contact from the block's centre line (m).</param>
/// <param name="SpeedScale">Speed of the approach and of the push, as a fraction of the scripted one.</param>
/// <param name="PauseStart">Step at which the demonstrator hesitates (-1: never).</param>
/// <param name="PauseSteps">How many steps it holds still then.</param>
public sealed record TabletopExpertMode(int Side, double ViaBearing, double ContactLateral, double SpeedScale, int PauseStart, int PauseSteps)
{
    public static TabletopExpertMode Scripted { get; } = new(0, double.NaN, 0.0, 1.0, -1, 0);

    public bool HasVia => !double.IsNaN(ViaBearing);

    /// <summary>The discrete strategy: side (left / right) x via-point (none / some), 0..3.</summary>
    public int Index => (Side > 0 ? 1 : 0) + (HasVia ? 2 : 0);

    /// <summary>Draws a strategy from the per-episode stream (independent of the environment's own random stream).</summary>
    public static TabletopExpertMode Draw(Xoshiro256 random)
    {
        int side = random.NextDouble() < 0.5 ? -1 : 1;
        // Via-points lie behind-and-beside the block, on either flank: the approach then sweeps in from that flank.
        double via = random.NextDouble() < 0.5 ? (random.NextDouble() < 0.5 ? -1 : 1) * random.Uniform(1.9, 2.6) : double.NaN;
        double contact = random.Uniform(-0.006, 0.006);
        double speed = random.Uniform(0.75, 1.0);
        bool pause = random.NextDouble() < 0.35;
        return new TabletopExpertMode(side, via, contact, speed, pause ? random.NextInt(40) + 3 : -1, pause ? random.NextInt(6) + 3 : 0);
    }
}
