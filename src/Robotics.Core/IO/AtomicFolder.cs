namespace Robotics.Core.IO;

/// <summary>
/// Folder-shaped outputs (Minari and LeRobot datasets, policy checkpoints) are built in a hidden sibling folder and renamed into
/// place at the end, so an interrupted conversion never leaves a partial folder under the final name.
/// </summary>
public static class AtomicFolder
{
    public static void Write(string folder, Action<string> build)
    {
        string full = Path.GetFullPath(folder);
        string parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        string temp = AtomicFile.TempPathFor(full);
        Directory.CreateDirectory(temp);
        try
        {
            build(temp);
            if (Directory.Exists(full))
            {
                // Replace: move the old folder aside first so the final name is never half-written.
                string old = temp + ".old";
                Directory.Move(full, old);
                Directory.Move(temp, full);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temp, full);
            }
        }
        finally
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
        }
    }
}
