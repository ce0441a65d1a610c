using System.Diagnostics;
using FFMpegCore;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Decodes one video front to back as RGB24, one frame at a time, so a caller holds one frame rather than
/// the whole video. FFMpegCore builds the command and finds the binary; the output is read from ffmpeg's
/// stdout here rather than through FFMpegCore's pipe sink, which cancels the read when the process exits
/// and so drops frames still in the pipe (seen under load: "decoded 0 frames").
/// </summary>
internal sealed class LeRobotFrameStream : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;
    private readonly Stream _output;
    private readonly CancellationTokenRegistration _kill;
    private readonly CancellationToken _cancellationToken;
    private bool _ended;

    public LeRobotFrameStream(string path, LeRobotVideo.StreamInfo stream, CancellationToken cancellationToken = default)
    {
        Path = path;
        Stream = stream;
        Frame = new byte[stream.Width * stream.Height * 3];
        // passthrough: every decoded frame exactly once, none duplicated or dropped to fit a rate.
        string arguments = FFMpegArguments
            .FromFileInput(path)
            .OutputToFile("pipe:1", overwrite: false, options => options
                .ForceFormat("rawvideo")
                .WithCustomArgument("-pix_fmt rgb24 -an -sn -fps_mode passthrough"))
            .Arguments;
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath(), "-v error -nostdin " + arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        _cancellationToken = cancellationToken;
        _kill = cancellationToken.Register(Kill);
        _errors = _process.StandardError.ReadToEndAsync(CancellationToken.None);
        _output = _process.StandardOutput.BaseStream;
    }

    public string Path { get; }

    public LeRobotVideo.StreamInfo Stream { get; }

    /// <summary>The index the next <see cref="Next"/> reads; the frame in <see cref="Frame"/> is Position - 1.</summary>
    public int Position { get; private set; }

    /// <summary>The last frame read (H*W*3 bytes), overwritten by the next.</summary>
    public byte[] Frame { get; }

    /// <summary>Reads the next frame into <see cref="Frame"/>; false at the end, after checking ffmpeg decoded every packet.</summary>
    public bool Next()
    {
        if (_ended)
            return false;
        int filled = 0;
        while (filled < Frame.Length)
        {
            int n = _output.Read(Frame, filled, Frame.Length - filled);
            if (n == 0)
                break;
            filled += n;
        }

        if (filled == Frame.Length)
        {
            Position++;
            return true;
        }

        _ended = true;
        if (filled != 0)
            throw new InvalidDataException($"{Path}: ffmpeg's output ended inside frame {Position}");
        _process.WaitForExit();
        _cancellationToken.ThrowIfCancellationRequested();
        if (_process.ExitCode != 0)
            throw new InvalidDataException($"{Path}: ffmpeg could not decode the video (exit {_process.ExitCode}): {_errors.Result.Trim()}");
        if (Position != Stream.FrameTimes.Length)
            throw new InvalidDataException($"{Path}: ffmpeg decoded {Position} frames but the stream has {Stream.FrameTimes.Length} packets");
        return false;
    }

    /// <summary>Reads forward until <see cref="Frame"/> holds frame <paramref name="index"/>; the stream must not be past it.</summary>
    public void SeekForward(int index)
    {
        if (Position - 1 > index)
            throw new InvalidOperationException($"{Path}: frame {index} is behind the stream (at {Position - 1}); open a new stream.");
        while (Position - 1 < index)
        {
            if (!Next())
                throw new InvalidDataException($"{Path}: frame {index} is past the end ({Position} frames)");
        }
    }

    public void Dispose()
    {
        _kill.Dispose();
        if (!_process.HasExited)
            Kill();
        _process.WaitForExit();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
    }
}
