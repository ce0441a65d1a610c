using Robotics.Core.Randomness;

namespace Robotics.Sims.Maze2d;

/// <summary>
/// D4RL's WaypointController: re-plans by Q-iteration when the rounded target tile changes, follows
/// jittered tile waypoints with action = clip(10 (waypoint - position) - 1 velocity, -1, 1), and is
/// "solved" when within 0.1 of the target tile with displacement since the last call under 0.1.
/// With <see cref="RandomRoutes"/> (the multimodal demonstration style) each plan breaks ties between equally short
/// routes at random instead of by the first move, so the same start and target can give different paths.
/// </summary>
public sealed class Maze2dWaypointExpert
{
    public const double SolveThreshold = 0.1;
    public const double VelocityThreshold = 0.1;
    public const double PGain = 10.0;
    public const double DGain = -1.0;
    public const int MaxPlanMoves = 100;

    private readonly MazeLayout _layout;
    private Xoshiro256 _random;
    private Xoshiro256 _routes;
    private (double X, double Y) _target = (-1000, -1000);
    private (double X, double Y) _previousLocation;
    private List<(double X, double Y)> _waypoints = [];
    private int _waypointIndex;

    public Maze2dWaypointExpert(MazeLayout layout, long seed, bool randomRoutes = false)
    {
        _layout = layout;
        _random = new Xoshiro256(seed);
        _routes = Xoshiro256.Derive(seed, 0x2017E5);
        RandomRoutes = randomRoutes;
    }

    public bool RandomRoutes { get; }

    /// <summary>True while the current plan follows another route than the scripted (first-move) tie-break would.</summary>
    public bool OnAlternateRoute { get; private set; }

    public IReadOnlyList<(double X, double Y)> Waypoints => _waypoints;

    public int Replans { get; private set; }

    /// <summary>Forgets the plan (next call re-plans) and reseeds the waypoint jitter.</summary>
    public void Reset(long seed)
    {
        _random = new Xoshiro256(seed);
        _routes = Xoshiro256.Derive(seed, 0x2017E5);
        OnAlternateRoute = false;
        _target = (-1000, -1000);
        _waypoints = [];
        _waypointIndex = 0;
    }

    /// <summary>One control step: the action and whether the task counts as solved.</summary>
    public (double Ax, double Ay, bool Solved) Act((double X, double Y) location, (double X, double Y) velocity, (double X, double Y) target)
    {
        var targetTile = Gridify(target);
        if (Norm(_target.X - targetTile.W, _target.Y - targetTile.H) > 1e-3)
            NewTarget(location, targetTile);

        double dist = Norm(location.X - _target.X, location.Y - _target.Y);
        double velNorm = Norm(_previousLocation.X - location.X, _previousLocation.Y - location.Y);
        bool notSolved = dist >= SolveThreshold || velNorm >= VelocityThreshold;
        var next = notSolved ? _waypoints[_waypointIndex] : _target;

        double ax = PGain * (next.X - location.X) + DGain * velocity.X;
        double ay = PGain * (next.Y - location.Y) + DGain * velocity.Y;

        double distNext = Norm(location.X - next.X, location.Y - next.Y);
        // D4RL's index runs past the last waypoint only once the target itself is reached; stop there.
        if (notSolved && distNext < SolveThreshold && velNorm < VelocityThreshold && _waypointIndex < _waypoints.Count - 1)
            _waypointIndex++;

        _previousLocation = location;
        return (Math.Clamp(ax, -1.0, 1.0), Math.Clamp(ay, -1.0, 1.0), !notSolved);
    }

    private void NewTarget((double X, double Y) start, (int W, int H) target)
    {
        Replans++;
        var startTile = Gridify(start);
        _waypointIndex = 0;
        var q = MazeQIteration.Solve(_layout, target);
        var waypoints = new List<(double, double)>();
        var s = startTile;
        bool alternate = false;
        for (int i = 0; i < MaxPlanMoves; i++)
        {
            int move = MazeQIteration.Greedy(q, s);
            if (RandomRoutes)
            {
                var ties = MazeQIteration.GreedyTies(q, s);
                int pick = ties[_routes.NextInt(ties.Length)];
                alternate |= pick != move;
                move = pick;
            }

            var next = MazeQIteration.Next(_layout, s, move);
            (double X, double Y) waypoint = (next.W, next.H);
            if (next != target)
                waypoint = (waypoint.X - _random.NextDouble() * 0.2, waypoint.Y - _random.NextDouble() * 0.2);
            waypoints.Add(waypoint);
            s = next;
            if (next == target)
                break;
        }

        _waypoints = waypoints;
        OnAlternateRoute = alternate;
        _previousLocation = (startTile.W, startTile.H);
        _target = (target.W, target.H);
    }

    private static (int W, int H) Gridify((double X, double Y) p) =>
        ((int)Math.Round(p.X, MidpointRounding.ToEven), (int)Math.Round(p.Y, MidpointRounding.ToEven));

    private static double Norm(double x, double y) => Math.Sqrt(x * x + y * y);
}
