using System.Globalization;
using System.Text;

namespace Robotics.Sims.Maze2d;

/// <summary>
/// Writes the MJCF of D4RL's point_maze(maze_str) with the same compiler, option, default, ground,
/// particle, wall and actuator parameters (textures and materials omitted: they do not change dynamics).
/// </summary>
public static class Maze2dModelXml
{
    public static string Build(MazeLayout layout)
    {
        var xml = new StringBuilder();
        xml.AppendLine("<mujoco model=\"point_maze\">");
        xml.AppendLine("  <compiler inertiafromgeom=\"true\" angle=\"radian\" coordinate=\"local\"/>");
        xml.AppendLine("  <option timestep=\"0.01\" gravity=\"0 0 0\" iterations=\"20\" integrator=\"Euler\"/>");
        xml.AppendLine("  <default>");
        xml.AppendLine("    <joint damping=\"1\" limited=\"false\"/>");
        xml.AppendLine("    <geom friction=\".5 .1 .1\" density=\"1000\" margin=\"0.002\" condim=\"1\" contype=\"2\" conaffinity=\"1\"/>");
        xml.AppendLine("  </default>");
        xml.AppendLine("  <worldbody>");
        xml.AppendLine("    <geom name=\"ground\" size=\"40 40 0.25\" pos=\"0 0 -0.1\" type=\"plane\" contype=\"1\" conaffinity=\"0\"/>");
        xml.AppendLine("    <body name=\"particle\" pos=\"1.2 1.2 0\">");
        xml.AppendLine("      <geom name=\"particle_geom\" type=\"sphere\" size=\"0.1\" rgba=\"0 0 1 0\" contype=\"1\"/>");
        xml.AppendLine("      <site name=\"particle_site\" pos=\"0 0 0\" size=\"0.2\" rgba=\"0.3 0.6 0.3 1\"/>");
        xml.AppendLine("      <joint name=\"ball_x\" type=\"slide\" pos=\"0 0 0\" axis=\"1 0 0\"/>");
        xml.AppendLine("      <joint name=\"ball_y\" type=\"slide\" pos=\"0 0 0\" axis=\"0 1 0\"/>");
        xml.AppendLine("    </body>");
        xml.AppendLine("    <site name=\"target_site\" pos=\"0 0 0\" size=\"0.2\" rgba=\"0.7 0.2 0.2 1\"/>");
        for (int w = 0; w < layout.Width; w++)
        {
            for (int h = 0; h < layout.Height; h++)
            {
                if (layout[w, h] == MazeTile.Wall)
                {
                    xml.AppendLine(string.Create(CultureInfo.InvariantCulture,
                        $"    <geom conaffinity=\"1\" type=\"box\" name=\"wall_{w}_{h}\" pos=\"{w + 1.0:0.0} {h + 1.0:0.0} 0\" size=\"0.5 0.5 0.2\" rgba=\"0.7 0.5 0.3 1\"/>"));
                }
            }
        }

        xml.AppendLine("  </worldbody>");
        xml.AppendLine("  <actuator>");
        xml.AppendLine("    <motor joint=\"ball_x\" ctrlrange=\"-1.0 1.0\" ctrllimited=\"true\" gear=\"100\"/>");
        xml.AppendLine("    <motor joint=\"ball_y\" ctrlrange=\"-1.0 1.0\" ctrllimited=\"true\" gear=\"100\"/>");
        xml.AppendLine("  </actuator>");
        xml.AppendLine("</mujoco>");
        return xml.ToString();
    }
}
