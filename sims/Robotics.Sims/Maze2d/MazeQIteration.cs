namespace Robotics.Sims.Maze2d;

/// <summary>
/// Tabular Q-iteration on the maze's tile grid, as D4RL's waypoint controller runs it: five
/// deterministic moves (stay, up, down, left, right; a move into a wall stays), reward 1 for being
/// at the target tile, 50 iterations, discount 0.99, greedy ties broken by the first move.
/// </summary>
public static class MazeQIteration
{
    /// <summary>Moves in gridcraft's action order: NOOP, UP (0,-1), DOWN (0,+1), LEFT (-1,0), RIGHT (+1,0).</summary>
    public static readonly (int Dw, int Dh)[] Moves = [(0, 0), (0, -1), (0, 1), (-1, 0), (1, 0)];

    public static double[,,] Solve(MazeLayout layout, (int W, int H) target, int iterations = 50, double discount = 0.99)
    {
        int width = layout.Width, height = layout.Height;
        var q = new double[width, height, Moves.Length];
        var v = new double[width, height];
        for (int k = 0; k < iterations; k++)
        {
            for (int w = 0; w < width; w++)
            {
                for (int h = 0; h < height; h++)
                {
                    double best = double.NegativeInfinity;
                    for (int a = 0; a < Moves.Length; a++)
                        best = Math.Max(best, q[w, h, a]);
                    v[w, h] = best;
                }
            }

            for (int w = 0; w < width; w++)
            {
                for (int h = 0; h < height; h++)
                {
                    double reward = (w, h) == target ? 1.0 : 0.0;
                    for (int a = 0; a < Moves.Length; a++)
                    {
                        var next = Next(layout, (w, h), a);
                        q[w, h, a] = reward + discount * v[next.W, next.H];
                    }
                }
            }
        }

        return q;
    }

    public static (int W, int H) Next(MazeLayout layout, (int W, int H) tile, int move)
    {
        if (layout.IsWall(tile.W, tile.H))
            return tile; // gridcraft leaves a state inside a wall where it is
        int w = tile.W + Moves[move].Dw, h = tile.H + Moves[move].Dh;
        return layout.IsWall(w, h) ? tile : (w, h);
    }

    /// <summary>Every move whose value equals the best one: the first steps of equally short routes.</summary>
    public static int[] GreedyTies(double[,,] q, (int W, int H) tile)
    {
        double best = q[tile.W, tile.H, Greedy(q, tile)];
        // Equal path lengths give bit-identical values (the same chain of operations); the tolerance only guards that.
        return Enumerable.Range(0, Moves.Length).Where(a => q[tile.W, tile.H, a] >= best - 1e-12).ToArray();
    }

    public static int Greedy(double[,,] q, (int W, int H) tile)
    {
        int best = 0;
        for (int a = 1; a < Moves.Length; a++)
        {
            if (q[tile.W, tile.H, a] > q[tile.W, tile.H, best])
                best = a;
        }

        return best;
    }
}
