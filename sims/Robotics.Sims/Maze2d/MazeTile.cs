namespace Robotics.Sims.Maze2d;

public enum MazeTile
{
    Empty,
    Wall,
    Goal,
}
