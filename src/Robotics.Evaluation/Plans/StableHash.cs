using System.Text;

namespace Robotics.Evaluation.Plans;

/// <summary>FNV-1a 64 of UTF-8 text: the same in every process (string.GetHashCode is randomised per process).</summary>
public static class StableHash
{
    public static ulong Of(string text)
    {
        ulong hash = 0xcbf29ce484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001b3UL;
        }

        return hash;
    }
}
