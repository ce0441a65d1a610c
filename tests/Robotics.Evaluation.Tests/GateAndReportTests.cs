using Robotics.Evaluation.Gate;
using Robotics.Evaluation.Reports;
using Robotics.Evaluation.Store;
using Robotics.Evaluation.Sweeps;

namespace Robotics.Evaluation.Tests;

/// <summary>The CI gate against a planted regression and an unchanged policy, and the report's files.</summary>
public sealed class GateAndReportTests : IDisposable
{
    private readonly string _root = SweepFixtures.TempDir();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Plan(double candidateNoise) => $$"""
        { "name": "gate", "seed": 11, "episodesPerCell": 8,
          "policies": [ { "name": "expert", "kind": "expert" }, { "name": "candidate", "kind": "expert", "actionNoise": {{candidateNoise.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } ],
          "environments": [ { "id": "tabletop-push", "tasks": [0, 4] } ] }
        """;

    private async Task<SweepSummary> Run(string name, double candidateNoise)
    {
        string dir = Path.Combine(_root, name);
        await SweepRunner.RunAsync(SweepFixtures.Plan(Plan(candidateNoise)), dir, new SweepRunOptions(Workers: 2));
        return SweepSummary.FromFolder(dir);
    }

    [Fact]
    public async Task GateFailsOnAPlantedRegressionAndPassesOnAnEqualPolicy()
    {
        var baseline = await Run("baseline", 0);
        var weakened = await Run("weakened", 2.0);
        var same = await Run("same", 0);

        var failed = BaselineGate.Check(weakened, baseline);
        Assert.True(failed.Failed);
        var regression = Assert.Single(failed.Findings, f => f.Regression);
        Assert.Equal(("candidate", "tabletop-push", "nominal"), (regression.Policy, regression.Environment, regression.Condition));
        Assert.True(regression.DifferencePoints < -20, $"{regression.DifferencePoints} points");
        Assert.True(regression.ProbabilityWorse > failed.Bar);
        Assert.Equal(1 - 0.05 / 2, failed.Bar, 12); // two comparisons: Bonferroni
        Assert.False(failed.Findings.Single(f => f.Policy == "expert").Regression);

        var passed = BaselineGate.Check(same, baseline);
        Assert.False(passed.Failed);
        Assert.All(passed.Findings, f => Assert.Equal(0.5, f.ProbabilityWorse, 9)); // identical counts
        Assert.Empty(passed.MissingFromRun);
    }

    [Fact]
    public async Task ReportHasTheTablesThePlotsAndASummaryThatRoundTrips()
    {
        var summary = await Run("report", 2.0);
        string dir = Path.Combine(_root, "report"), output = Path.Combine(_root, "out");
        var files = SweepReportWriter.Write(summary, ResultStore.Read(dir), output);
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        var pngs = files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).ToArray();
        Assert.Contains("success-tabletop-push-nominal.png", pngs);
        Assert.Contains("heatmap-tabletop-push-nominal.png", pngs);
        Assert.Contains("posterior-tabletop-push-nominal.png", pngs);
        Assert.Contains("latency.png", pngs);
        foreach (string f in pngs)
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(output, f));
            Assert.True(bytes.Length > 5_000, $"{f}: {bytes.Length} bytes");
            Assert.Equal(png, bytes[..8]);
        }

        string md = File.ReadAllText(Path.Combine(output, SweepReportWriter.MarkdownFile));
        Assert.Contains("| tabletop-push | nominal | expert | 16 |", md);
        Assert.Contains("## Pairwise comparisons", md);
        Assert.Contains("![Success per task, tabletop-push / nominal](success-tabletop-push-nominal.png)", md);
        string html = File.ReadAllText(Path.Combine(output, SweepReportWriter.HtmlFile));
        Assert.Equal(pngs.Length, CountOf(html, "src=\"data:image/png;base64,"));
        Assert.Contains("<table>", html);

        var back = SweepReportWriter.ReadSummary(Path.Combine(output, SweepReportWriter.SummaryFile));
        Assert.Equal(summary.Episodes, back.Episodes);
        Assert.Equal(summary.Policies.Select(p => (p.Policy, p.Successes, p.Episodes)), back.Policies.Select(p => (p.Policy, p.Successes, p.Episodes)));
        // The weakened expert is worse here: letters differ and the pair is flagged.
        var comparison = Assert.Single(summary.Comparisons);
        Assert.True(comparison.Pairs.Single().Different);
        Assert.NotEqual(comparison.Letters["expert"], comparison.Letters["candidate"]);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
