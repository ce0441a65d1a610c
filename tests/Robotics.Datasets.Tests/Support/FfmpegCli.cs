using System.Diagnostics;

namespace Robotics.Datasets.Tests.Support;

/// <summary>The ffmpeg command line as a reference decoder: every frame of a video as RGB24, in presentation order.</summary>
public static class FfmpegCli
{
    public static List<byte[]> DecodeAll(string video, int width, int height)
    {
        var start = new ProcessStartInfo("ffmpeg", $"-v error -i \"{video}\" -an -f rawvideo -pix_fmt rgb24 -")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg failed on {video}: {errors.Result}");
        byte[] all = output.ToArray();
        int frame = width * height * 3;
        return Enumerable.Range(0, all.Length / frame).Select(k => all.AsSpan(k * frame, frame).ToArray()).ToList();
    }

    /// <summary>The MD5 of every packet's payload in the first video stream, in file order (ffprobe -show_data_hash).</summary>
    public static List<string> PacketHashes(string video)
    {
        var start = new ProcessStartInfo("ffprobe", $"-v error -select_streams v:0 -show_packets -show_data_hash MD5 -show_entries packet=data_hash -of csv=p=0 \"{video}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffprobe failed on {video}: {errors.Result}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    /// <summary>True when an ffmpeg binary runs (make deps installs Debian's).</summary>
    public static bool Available()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("ffmpeg", "-version") { RedirectStandardOutput = true })!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
