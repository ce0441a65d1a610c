namespace Robotics.Sims.Tabletop;

/// <summary>
/// Pushing expert reading only the observation: walks around the target block to a point
/// behind it (opposite the push direction), pushes it along the line to its zone while correcting
/// sideways drift, slows down near the zone, and re-approaches when the block slips off the line.
/// Its <see cref="Mode"/> says how: the scripted strategy, or one drawn per episode for human-like,
/// multimodal demonstrations (side passed, via-point, contact offset, speed, a pause).
/// </summary>
public sealed class TabletopPushExpert
{
    private const double ContactOffset = 0.052;    // pusher centre behind block centre while pushing
    private const double ClearOffset = 0.085;      // distance that clears the block in any orientation
    private const double Gain = 10.0;              // position gain, 1/s
    private const double EnterPushLateral = 0.008;
    private const double LeavePushLateral = 0.022;
    private const double StopDistance = 0.012;
    private const double BehindLimit = 0.045;     // along-axis depth that clears a rotated block's rear

    private const double ViaDistance = 0.13;      // via-points: this far from the block centre
    private const int ViaGiveUpSteps = 60;

    private bool _pushing;
    private bool _viaDone;
    private int _steps;

    /// <summary>When set, the expert pushes this (block, zone) instead of the observed task (wrong-target phase).</summary>
    public (int Block, int Zone)? Override { get; set; }

    public bool Pushing => _pushing;

    /// <summary>The strategy of this episode (<see cref="TabletopExpertMode.Scripted"/> unless set).</summary>
    public TabletopExpertMode Mode { get; private set; } = TabletopExpertMode.Scripted;

    /// <summary>True on a step the demonstrator holds still (a pause of its mode).</summary>
    public bool Pausing => Mode.PauseStart >= 0 && _steps - 1 >= Mode.PauseStart && _steps - 1 < Mode.PauseStart + Mode.PauseSteps;

    public void Reset(TabletopExpertMode? mode = null)
    {
        _pushing = false;
        _viaDone = false;
        _steps = 0;
        Override = null;
        Mode = mode ?? TabletopExpertMode.Scripted;
    }

    public float[] Act(ReadOnlySpan<float> observation)
    {
        if (observation.Length != TabletopPushEnvironment.ObservationSize)
            throw new ArgumentException($"Observation has {observation.Length} values, expected {TabletopPushEnvironment.ObservationSize}.", nameof(observation));
        _steps++;
        if (Pausing)
            return Velocity(0, 0);
        var (block, zone) = Override ?? ObservedTask(observation);
        double px = observation[0], py = observation[1];
        double bx = observation[4 + 6 * block], by = observation[5 + 6 * block];
        var goal = TabletopScene.ZoneCentres[zone];
        double dx = goal.X - bx, dy = goal.Y - by;
        double dist = Math.Sqrt(dx * dx + dy * dy);
        if (dist < StopDistance)
        {
            _pushing = false;
            return Velocity(0, 0);
        }

        double ux = dx / dist, uy = dy / dist;     // push direction
        double nx = -uy, ny = ux;                  // its left normal
        double rx = px - bx, ry = py - by;
        double along = rx * ux + ry * uy;          // < 0: behind the block
        double lateral = rx * nx + ry * ny - Mode.ContactLateral;
        double limit = Mode.SpeedScale * TabletopScene.MaxSpeed;

        if (_pushing && (Math.Abs(lateral) > LeavePushLateral || along > -0.035))
            _pushing = false;
        if (!_pushing && Math.Abs(lateral) < EnterPushLateral && along < -BehindLimit && along > -ClearOffset - 0.02)
            _pushing = true;

        if (_pushing)
        {
            _viaDone = true;
            // Speed falls with the remaining distance so the block stops inside the zone.
            double speed = Math.Clamp(dist * 4.0, 0.25, 1.0) * limit;
            double correction = -Gain * lateral;
            double closing = Gain * (-ContactOffset - along);
            return Velocity(ux * speed + nx * correction + ux * Math.Max(0, closing),
                            uy * speed + ny * correction + uy * Math.Max(0, closing));
        }

        double wx, wy;
        if (Mode.HasVia && !_viaDone)
        {
            // A different path: first to a via-point beside and behind the block, then the usual line-up.
            double c = Math.Cos(Mode.ViaBearing), sn = Math.Sin(Mode.ViaBearing);
            wx = bx + ViaDistance * (c * ux + sn * nx);
            wy = by + ViaDistance * (c * uy + sn * ny);
            if (Math.Sqrt((wx - px) * (wx - px) + (wy - py) * (wy - py)) < 0.02 || _steps > ViaGiveUpSteps)
                _viaDone = true;
            else if (along <= -BehindLimit || Math.Sign(lateral) == Math.Sign(sn))
                return Toward(wx - px, wy - py, limit); // a straight line there does not cross the block
        }

        // Approach: go round the block (on the pusher's side, or in front of it on the side the mode or its pending
        // via-point asks for), then line up behind it.
        int preferred = Mode.HasVia && !_viaDone ? Math.Sign(Math.Sin(Mode.ViaBearing)) : Mode.Side;
        double side = lateral >= 0 ? 1.0 : -1.0;
        if (preferred != 0 && along > 0)
            side = preferred;
        if (along <= -BehindLimit)
        {
            // Behind the block: slide onto the push line at the approach distance.
            wx = bx - ux * (ContactOffset + 0.012) + nx * Mode.ContactLateral;
            wy = by - uy * (ContactOffset + 0.012) + ny * Mode.ContactLateral;
        }
        else if (side * lateral < 0 && along < ClearOffset - 0.01)
        {
            // In front of the block on the other side than the one to pass on: first move ahead of it, clear of its front.
            wx = bx + ux * ClearOffset + nx * (lateral + Mode.ContactLateral);
            wy = by + uy * ClearOffset + ny * (lateral + Mode.ContactLateral);
        }
        else if (Math.Abs(lateral) < ClearOffset - 0.01)
        {
            // Beside or in front of the block and close to it: step straight out sideways first.
            wx = bx + nx * side * ClearOffset + ux * along;
            wy = by + ny * side * ClearOffset + uy * along;
        }
        else
        {
            // Clear of the block: go to the rear corner of the approach lane.
            wx = bx + nx * side * ClearOffset - ux * ClearOffset;
            wy = by + ny * side * ClearOffset - uy * ClearOffset;
        }

        return Toward(wx - px, wy - py, limit);
    }

    /// <summary>Proportional steering at a waypoint, each axis capped at the mode's speed (the scripted cap at full speed).</summary>
    private static float[] Toward(double dx, double dy, double limit) =>
        Velocity(Math.Clamp(Gain * dx, -limit, limit), Math.Clamp(Gain * dy, -limit, limit));

    private static (int Block, int Zone) ObservedTask(ReadOnlySpan<float> observation)
    {
        int block = 0, zone = 0;
        for (int b = 1; b < TabletopScene.Blocks.Length; b++)
        {
            if (observation[22 + b] > observation[22 + block])
                block = b;
        }

        for (int z = 1; z < TabletopScene.Zones.Length; z++)
        {
            if (observation[25 + z] > observation[25 + zone])
                zone = z;
        }

        return (block, zone);
    }

    private static float[] Velocity(double vx, double vy) =>
        [(float)Math.Clamp(vx / TabletopScene.MaxSpeed, -1.0, 1.0), (float)Math.Clamp(vy / TabletopScene.MaxSpeed, -1.0, 1.0)];
}
