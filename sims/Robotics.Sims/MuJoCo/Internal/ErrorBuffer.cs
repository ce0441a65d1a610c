using System.Text;

namespace Robotics.Sims.MuJoCo.Internal;

/// <summary>A stack buffer MuJoCo writes its error text into; 1000 bytes as MuJoCo's own samples use.</summary>
internal static class ErrorBuffer
{
    internal const int Size = 1000;

    internal static unsafe string Read(byte* buffer)
    {
        int length = 0;
        while (length < Size && buffer[length] != 0)
            length++;
        return Encoding.UTF8.GetString(buffer, length).Trim();
    }
}
