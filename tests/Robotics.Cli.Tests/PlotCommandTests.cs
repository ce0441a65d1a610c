namespace Robotics.Cli.Tests;

public sealed class PlotCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("robotics-plot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_table_of_counts_becomes_a_png_and_a_bad_row_is_named()
    {
        string table = Path.Combine(_dir, "rates.tsv"), png = Path.Combine(_dir, "rates.png");
        await File.WriteAllLinesAsync(table, ["group\tseries\tsuccesses\tepisodes", "10 demos\tscratch\t3\t50", "10 demos\tpretrained\t20\t50", "50 demos\tscratch\t30\t50", "50 demos\tpretrained\t41\t50"]);
        var ok = await CliProcess.RunAsync(null, "plot", "rates", table, "--out", png, "--title", "fine-tuning");
        Assert.True(ok.ExitCode == ExitCodes.Success, ok.Stdout + ok.Stderr);
        Assert.Contains("2 group(s) x 2 series", ok.Stdout);
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);

        await File.AppendAllLinesAsync(table, ["90 demos\tscratch\t60\t50"]);
        var bad = await CliProcess.RunAsync(null, "plot", "rates", table, "--out", png);
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("row 6", bad.Stdout + bad.Stderr);
    }
}
