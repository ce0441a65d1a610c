using System.Globalization;
using Robotics.Sims.Maze2d;
using Robotics.Sims.Tabletop;

namespace Robotics.Sims.Benchmarks;

/// <summary>
/// The environments' MJCF written to files for the native benchmark. testspeed starts from qpos0,
/// so each copy moves the bodies' rest positions to a valid start (particle on a free tile; pusher
/// and blocks apart) instead of the overlapping origin the environments reset away from.
/// </summary>
public static class BenchmarkModels
{
    public static string WriteMaze2d(MazeLayout layout, string folder)
    {
        var start = layout.ResetLocations[0];
        string xml = Maze2dModelXml.Build(layout).Replace("<body name=\"particle\" pos=\"1.2 1.2 0\">",
            string.Create(CultureInfo.InvariantCulture, $"<body name=\"particle\" pos=\"{start.W + 1.2} {start.H + 1.2} 0\">"));
        return Write(folder, $"maze2d-{layout.Name}.xml", xml);
    }

    public static string WriteTabletop(string folder)
    {
        string xml = TabletopPushEnvironment.ModelText
            .Replace("<body name=\"pusher\" pos=\"0 0 0.025\">", "<body name=\"pusher\" pos=\"0 -0.2 0.025\">")
            .Replace("<body name=\"block_red\" pos=\"0 0 0.025\">", "<body name=\"block_red\" pos=\"-0.08 0.05 0.025\">")
            .Replace("<body name=\"block_green\" pos=\"0 0 0.025\">", "<body name=\"block_green\" pos=\"0.08 0.05 0.025\">")
            .Replace("<body name=\"block_blue\" pos=\"0 0 0.025\">", "<body name=\"block_blue\" pos=\"0 -0.06 0.025\">");
        return Write(folder, "tabletop_push.xml", xml);
    }

    private static string Write(string folder, string name, string xml)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, xml);
        return path;
    }
}
