namespace Robotics.Sims.Maze2d;

/// <summary>
/// A D4RL maze: rows separated by '\', '#' wall, 'O' empty, 'G' goal. Tiles are indexed (w, h) with
/// w the line index and h the character index, exactly as D4RL's parse_maze does.
/// </summary>
public sealed class MazeLayout
{
    public const string UMazeSpec = "#####\\#GOO#\\###O#\\#OOO#\\#####";
    public const string MediumMazeSpec = "########\\#OO##OO#\\#OO#OOO#\\##OOO###\\#OO#OOO#\\#O#OO#O#\\#OOO#OG#\\########";
    public const string LargeMazeSpec = "############\\#OOOO#OOOOO#\\#O##O#O#O#O#\\#OOOOOO#OOO#\\#O####O###O#\\#OO#O#OOOOO#\\##O#O#O#O###\\#OO#OOO#OGO#\\############";

    private readonly MazeTile[,] _tiles;

    public MazeLayout(string name, string spec)
    {
        Name = name;
        Spec = spec;
        string[] lines = spec.Trim().Split('\\');
        int height = lines[0].Length;
        _tiles = new MazeTile[lines.Length, height];
        for (int w = 0; w < lines.Length; w++)
        {
            if (lines[w].Length != height)
                throw new FormatException($"Maze '{name}': row {w} has {lines[w].Length} tiles, row 0 has {height}.");
            for (int h = 0; h < height; h++)
            {
                _tiles[w, h] = lines[w][h] switch
                {
                    '#' => MazeTile.Wall,
                    'G' => MazeTile.Goal,
                    'O' or ' ' or '0' => MazeTile.Empty,
                    char c => throw new FormatException($"Maze '{name}': unknown tile '{c}' at row {w}, column {h}."),
                };
            }
        }

        // np.where order is row-major, which is already sorted, as D4RL sorts reset_locations.
        EmptyLocations = Where(MazeTile.Empty);
        GoalLocations = Where(MazeTile.Goal);
        if (GoalLocations.Count > 1)
            throw new FormatException($"Maze '{name}' has {GoalLocations.Count} goals; D4RL allows at most one.");
        ResetLocations = [.. EmptyLocations, .. GoalLocations];
        Goal = GoalLocations.Count == 1 ? GoalLocations[0] : EmptyLocations[0];
    }

    public static MazeLayout UMaze { get; } = new("umaze", UMazeSpec);
    public static MazeLayout Medium { get; } = new("medium", MediumMazeSpec);
    public static MazeLayout Large { get; } = new("large", LargeMazeSpec);

    public string Name { get; }
    public string Spec { get; }
    public int Width => _tiles.GetLength(0);
    public int Height => _tiles.GetLength(1);
    public IReadOnlyList<(int W, int H)> EmptyLocations { get; }
    public IReadOnlyList<(int W, int H)> GoalLocations { get; }

    /// <summary>Empty tiles (sorted) then goal tiles: D4RL's empty_and_goal_locations.</summary>
    public IReadOnlyList<(int W, int H)> ResetLocations { get; }

    /// <summary>The fixed target: the 'G' tile (or the first empty tile when there is none).</summary>
    public (int W, int H) Goal { get; }

    public MazeTile this[int w, int h] => _tiles[w, h];

    public bool IsWall(int w, int h) => w < 0 || h < 0 || w >= Width || h >= Height || _tiles[w, h] == MazeTile.Wall;

    private List<(int W, int H)> Where(MazeTile tile)
    {
        var list = new List<(int, int)>();
        for (int w = 0; w < Width; w++)
        {
            for (int h = 0; h < Height; h++)
            {
                if (_tiles[w, h] == tile)
                    list.Add((w, h));
            }
        }

        return list;
    }
}
