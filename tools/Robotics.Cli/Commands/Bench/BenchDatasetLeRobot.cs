using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Parquet.Schema;
using Parquet.Serialization;
using Robotics.Cli.Hosting;
using Robotics.Core.Arrays;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Trajectories;
using Spectre.Console;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// The LeRobot part of <c>robotics bench dataset</c>: a generated v3.0 corpus (state + one video stream,
/// encoded by the ffmpeg command line as lerobot encodes it: libsvtav1 when the ffmpeg at hand has it,
/// else libx264; yuv420p, g=2, crf=30) read by <see cref="LeRobotDataset"/>: state rows per second,
/// decoded video frames per second and the process's peak memory, against ffmpeg's own decode rate of
/// the same file (<c>ffmpeg -benchmark -i FILE -f null -</c>) measured in the same run, printed as ratios.
/// </summary>
public static class BenchDatasetLeRobot
{
    public static readonly Option<int> Frames = new("--lerobot-frames") { Description = "Frames of the generated LeRobot corpus (state + one video stream).", DefaultValueFactory = _ => 3000 };
    public static readonly Option<string> Size = new("--lerobot-size") { Description = "Video frame size WxH of the LeRobot corpus.", DefaultValueFactory = _ => "320x240" };
    public static readonly Option<bool> Only = new("--lerobot-only") { Description = "Run only the LeRobot part (skips the D4RL file)." };

    public static IEnumerable<Option> Options => [Frames, Size, Only];

    public static async Task<int> RunAsync(CommandContext context, ParseResult parse, string folder, int repeat)
    {
        int frames = parse.GetValue(Frames);
        string[] size = parse.GetValue(Size)!.Split('x');
        int width = int.Parse(size[0], CultureInfo.InvariantCulture), height = int.Parse(size[1], CultureInfo.InvariantCulture);
        var console = context.Console;
        var ct = context.CancellationToken;
        string corpus = Path.Combine(folder, "lerobot");
        string codec = await context.WithProgressAsync("generate LeRobot corpus (state + video)", _ => Task.Run(() => Generate(corpus, frames, width, height, ct)));
        string video = Path.Combine(corpus, "videos", "observation.images.front", "chunk-000", "file-000.mp4");
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"LeRobot corpus: {corpus} ({frames:N0} frames, {width}x{height} {codec}, video {new FileInfo(video).Length / 1e6:F1} MB)");

        double state = double.MaxValue, full = double.MaxValue, reference = double.MaxValue;
        long peak = 0;
        await context.WithProgressAsync("LeRobot read vs ffmpeg -benchmark, alternating", progress => Task.Run(() =>
        {
            for (int r = 0; r < repeat; r++)
            {
                ct.ThrowIfCancellationRequested();
                reference = Math.Min(reference, FfmpegDecodeSeconds(video));
                GC.Collect();
                var watch = Stopwatch.StartNew();
                var ds = LeRobotDataset.Read(corpus, new LeRobotReadOptions { Features = ["observation.state", "action"] }, ct);
                state = Math.Min(state, watch.Elapsed.TotalSeconds);
                GC.Collect();
                watch.Restart();
                ds = LeRobotDataset.Read(corpus, null, ct);
                full = Math.Min(full, watch.Elapsed.TotalSeconds);
                if (ds.RowCount != frames)
                    throw new InvalidOperationException($"read {ds.RowCount} rows, wrote {frames}");
                using var self = Process.GetCurrentProcess();
                self.Refresh();
                peak = Math.Max(peak, self.PeakWorkingSet64);
                progress.Report(new("LeRobot read vs ffmpeg -benchmark, alternating", r + 1, repeat));
            }

            return 0;
        }));

        double videoSeconds = Math.Max(1e-9, full - state);
        var table = new Table().AddColumns("LeRobot work (same corpus, same run)", "ffmpeg", "Robotics.Datasets", "ratio (ours / ffmpeg)");
        table.AddRow("state rows/s (observation.state + action)", "-", Rate(frames / state), "-");
        table.AddRow("video frames/s (decoded to RGB24 at the rows' timestamps)", Rate(frames / reference), Rate(frames / videoSeconds),
            (reference / videoSeconds).ToString("F2", CultureInfo.InvariantCulture));
        table.AddRow("whole read (state + video) frames/s", Rate(frames / reference), Rate(frames / full), (reference / full).ToString("F2", CultureInfo.InvariantCulture));
        console.Write(table);
        long decoded = (long)frames * width * height * 3;
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"peak working set {peak / 1048576.0:F0} MiB (the decoded frames alone are {decoded / 1048576.0:F0} MiB; the reader keeps one frame of ffmpeg output besides them)");
        return ExitCodes.Success;
    }

    private static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>ffmpeg's own decode of the file to the null muxer, wall seconds.</summary>
    private static double FfmpegDecodeSeconds(string video)
    {
        var watch = Stopwatch.StartNew();
        var (code, errors) = RunFfmpeg($"-v error -benchmark -i \"{video}\" -an -f null -");
        if (code != 0)
            throw new InvalidOperationException($"ffmpeg -benchmark failed: {errors}");
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>A v3.0 folder: our writer for the state parquet, ffmpeg for the video, episodes metadata with the video columns.</summary>
    private static string Generate(string folder, int frames, int width, int height, CancellationToken ct)
    {
        const int fps = 30, episodeLength = 300;
        int n = frames;
        var state = new float[n * 6];
        var action = new float[n * 6];
        var episode = new long[n];
        for (int i = 0; i < n; i++)
        {
            episode[i] = i / episodeLength;
            for (int k = 0; k < 6; k++)
            {
                state[i * 6 + k] = MathF.Sin(i * 0.01f + k);
                action[i * 6 + k] = MathF.Cos(i * 0.01f + k);
            }
        }

        var ds = new FlatDataset(new Dictionary<string, NdArray>
        {
            [D4rlKeys.Observations] = NdArray.FromFloats(state, n, 6),
            [D4rlKeys.Actions] = NdArray.FromFloats(action, n, 6),
            [D4rlKeys.EpisodeIndex] = new(Robotics.Core.Shapes.DType.Int64, [n], System.Runtime.InteropServices.MemoryMarshal.AsBytes(episode.AsSpan()).ToArray()),
        });
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        LeRobotDataset.Write(folder, ds, fps, cancellationToken: ct);

        string codec = FfmpegHas("libsvtav1") ? "libsvtav1" : "libx264";
        string video = Path.Combine(folder, "videos", "observation.images.front", "chunk-000", "file-000.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(video)!);
        string options = codec == "libsvtav1" ? "-c:v libsvtav1 -pix_fmt yuv420p -g 2 -crf 30 -preset 12" : "-c:v libx264 -pix_fmt yuv420p -g 2 -crf 30";
        // A moving test pattern, so frames differ as a camera's do.
        var (code, errors) = RunFfmpeg($"-v error -y -f lavfi -i testsrc2=size={width}x{height}:rate={fps} -frames:v {n} {options} \"{video}\"");
        if (code != 0)
            throw new InvalidOperationException($"ffmpeg could not encode the corpus video: {errors}");

        string infoPath = Path.Combine(folder, "meta", "info.json");
        var info = JsonNode.Parse(File.ReadAllText(infoPath))!.AsObject();
        info["video_path"] = "videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4";
        info["features"]!["observation.images.front"] = new JsonObject
        {
            ["dtype"] = "video", ["shape"] = new JsonArray(height, width, 3), ["names"] = new JsonArray("height", "width", "channels"),
            ["info"] = new JsonObject { ["video.codec"] = codec == "libsvtav1" ? "av1" : "h264", ["video.pix_fmt"] = "yuv420p", ["video.fps"] = fps },
        };
        File.WriteAllText(infoPath, info.ToJsonString());
        var rows = new List<IDictionary<string, object?>>();
        for (long e = 0, from = 0; from < n; e++, from += episodeLength)
        {
            long length = Math.Min(episodeLength, n - from);
            rows.Add(new Dictionary<string, object?>
            {
                ["episode_index"] = e, ["length"] = length, ["data/chunk_index"] = 0L, ["data/file_index"] = 0L,
                ["dataset_from_index"] = from, ["dataset_to_index"] = from + length,
                ["videos/observation.images.front/chunk_index"] = 0L, ["videos/observation.images.front/file_index"] = 0L,
                ["videos/observation.images.front/from_timestamp"] = (double)from / fps, ["videos/observation.images.front/to_timestamp"] = (double)(from + length) / fps,
            });
        }

        var schema = new ParquetSchema(
            new DataField<long>("episode_index"), new DataField<long>("length"), new DataField<long>("data/chunk_index"), new DataField<long>("data/file_index"),
            new DataField<long>("dataset_from_index"), new DataField<long>("dataset_to_index"),
            new DataField<long>("videos/observation.images.front/chunk_index"), new DataField<long>("videos/observation.images.front/file_index"),
            new DataField<double>("videos/observation.images.front/from_timestamp"), new DataField<double>("videos/observation.images.front/to_timestamp"));
        using (var stream = File.Create(Path.Combine(folder, "meta", "episodes", "chunk-000", "file-000.parquet")))
            ParquetSerializer.SerializeUntypedAsync(rows, schema, stream, cancellationToken: ct).GetAwaiter().GetResult();
        return codec;
    }

    private static bool FfmpegHas(string encoder)
    {
        var (_, _, output) = Run("-hide_banner -encoders");
        return output.Contains(" " + encoder + " ", StringComparison.Ordinal);
    }

    private static (int Code, string Errors) RunFfmpeg(string arguments)
    {
        var (code, errors, _) = Run(arguments);
        return (code, errors);
    }

    private static (int Code, string Errors, string Output) Run(string arguments)
    {
        var start = new ProcessStartInfo("ffmpeg", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start; make deps installs Debian's ffmpeg");
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, errors.Result, output);
    }
}
