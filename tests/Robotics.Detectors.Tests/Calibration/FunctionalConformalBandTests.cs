using Xunit.Abstractions;
using System.Globalization;
using System.Text.Json;
using Robotics.Detectors.Calibration;
using Robotics.Detectors.Tests.Support;

namespace Robotics.Detectors.Tests.Calibration;

public sealed class FunctionalConformalBandTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 9, 21, "0.1")]
    [InlineData(2, 30, 70, "0.1")]
    [InlineData(3, 12, 28, "0.2")]
    [InlineData(4, 40, 93, "0.05")]
    [InlineData(5, 3, 4, "0.3")]
    [InlineData(6, 2, 5, "0.01")]   // ranks past n: both quantiles fall back to the largest value
    public void Matches_an_independent_numpy_implementation(int seed, int nCal, int nConf, string alpha)
    {
        var random = new Random(seed);
        var cal = Enumerable.Range(0, nCal).Select(_ => RandomCurve(random)).ToArray();
        var conf = Enumerable.Range(0, nConf).Select(_ => RandomCurve(random)).ToArray();
        var band = FunctionalConformalBand.Calibrate(cal, conf, double.Parse(alpha, CultureInfo.InvariantCulture));

        var reference = PythonReference.Run("conformal_reference.py", new { cal, conf, alpha });
        AssertClose(PythonReference.Doubles(reference.GetProperty("mu")), band.Mean);
        AssertClose(PythonReference.Doubles(reference.GetProperty("sigma")), band.Sigma);
        Assert.Equal(reference.GetProperty("h").GetDouble(), band.H, 1e-9);
        AssertClose(PythonReference.Doubles(reference.GetProperty("band")), band.Band);
    }

    [Fact]
    public void False_alarm_rate_on_new_successes_stays_at_alpha()
    {
        // Gaussian random walks with drift stand in for successful score curves. Over 200 calibrations the mean share
        // of fresh successes that alarm must respect alpha (with the sampling slack of a 200-seed mean) and must not be
        // far below it: with m = 70 conformal curves the exact rate is (m + 1 - ceil(71 * 0.9)) / 71 = 7/71 = 0.0986.
        const double alpha = 0.1;
        const int seeds = 200, calibrationCurves = 100, fresh = 200;
        var rates = new double[seeds];
        for (var seed = 0; seed < seeds; seed++)
        {
            var random = new Random(1000 + seed);
            var curves = Enumerable.Range(0, calibrationCurves).Select(_ => Walk(random)).ToArray();
            var band = FunctionalConformalBand.Calibrate(curves, alpha, seed);
            rates[seed] = Enumerable.Range(0, fresh).Count(_ => band.FirstAlarm(Walk(random)) is not null) / (double)fresh;
        }

        var mean = rates.Average();
        var sd = Math.Sqrt(rates.Sum(r => (r - mean) * (r - mean)) / (seeds - 1));
        var slack = 3.5 * sd / Math.Sqrt(seeds);
        output.WriteLine($"mean false-alarm rate {mean:F4} (exact 7/71 = {7.0 / 71:F4}), per-seed sd {sd:F4}, slack {slack:F4}");
        Assert.True(mean <= alpha + slack, $"false-alarm rate {mean:F4} exceeds alpha {alpha} + {slack:F4}");
        Assert.True(mean >= alpha - 0.03, $"false-alarm rate {mean:F4} is far below alpha {alpha}: the band is too wide");
    }

    [Fact]
    public void Seeded_split_is_deterministic_and_seed_dependent()
    {
        var random = new Random(7);
        var curves = Enumerable.Range(0, 40).Select(_ => RandomCurve(random)).ToArray();
        var a = FunctionalConformalBand.Calibrate(curves, 0.1, 42);
        var b = FunctionalConformalBand.Calibrate(curves, 0.1, 42);
        var c = FunctionalConformalBand.Calibrate(curves, 0.1, 43);
        Assert.Equal(a.Band, b.Band);
        Assert.NotEqual(a.Band, c.Band);
    }

    [Fact]
    public void First_alarm_and_band_past_the_calibrated_length()
    {
        var band = new FunctionalConformalBand(0.1, [1, 2, 3], [1, 1, 1], 0.5);
        Assert.Equal([1.5, 2.5, 3.5], band.Band);
        Assert.Equal(3.5, band.BandAt(10));
        Assert.Null(band.FirstAlarm([0, 0, 0, 3.4, 3.49]));
        Assert.Equal(3, band.FirstAlarm([0, 0, 0, 3.5]));
        Assert.Equal(1, band.FirstAlarm([0, 2.5, 9]));
    }

    [Fact]
    public void Round_trips_through_json()
    {
        var band = new FunctionalConformalBand(0.05, [0, 1.5], [0.25, 0.5], 2.0);
        var json = JsonSerializer.Serialize(band);
        var back = JsonSerializer.Deserialize<FunctionalConformalBand>(json)!;
        Assert.Equal(band.Alpha, back.Alpha);
        Assert.Equal(band.Mean, back.Mean);
        Assert.Equal(band.Sigma, back.Sigma);
        Assert.Equal(band.H, back.H);
        Assert.Equal(band.Band, back.Band);
    }

    [Fact]
    public void Equal_curves_give_a_band_just_above_them()
    {
        var curves = Enumerable.Range(0, 10).Select(_ => new double[] { 0, 1, 2 }).ToArray();
        var band = FunctionalConformalBand.Calibrate(curves, 0.1, 1);
        Assert.Equal([0, 1, 2], band.Mean);
        Assert.All(band.Sigma, s => Assert.Equal(FunctionalConformalBand.SigmaFloor, s));
        Assert.Equal(0, band.H);
        Assert.Equal(0, band.FirstAlarm([0, 1, 2]));   // s_t >= delta_t: a curve equal to the band alarms
        Assert.Null(band.FirstAlarm([-1e-6, 0.9, 1.9]));
    }

    [Fact]
    public void Invalid_inputs_throw_clear_argument_exceptions()
    {
        double[][] two = [[1, 2], [2, 3]];
        Assert.Equal("successfulCurves", Assert.Throws<ArgumentException>(() => FunctionalConformalBand.Calibrate([[1.0]], 0.1, 0)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => FunctionalConformalBand.Calibrate(two, 0, 0)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => FunctionalConformalBand.Calibrate(two, 1, 0)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => FunctionalConformalBand.Calibrate(two, double.NaN, 0)).ParamName);
        Assert.Equal("successfulCurves", Assert.Throws<ArgumentException>(() => FunctionalConformalBand.Calibrate([[1.0, 2], []], 0.1, 0)).ParamName);
        Assert.Equal("calibrationPart", Assert.Throws<ArgumentException>(() => FunctionalConformalBand.Calibrate([], [[1.0]], 0.1)).ParamName);
        Assert.Equal("conformalPart", Assert.Throws<ArgumentException>(() => FunctionalConformalBand.Calibrate([[1.0]], [], 0.1)).ParamName);
        Assert.Equal("conformalPart", Assert.Throws<ArgumentException>(() => FunctionalConformalBand.Calibrate([[1.0]], [[double.NaN]], 0.1)).ParamName);
        Assert.Equal("sigma", Assert.Throws<ArgumentException>(() => new FunctionalConformalBand(0.1, [1, 2], [1], 0)).ParamName);
    }

    [Theory]
    [InlineData(9, 0.1, 9)]
    [InlineData(70, 0.1, 64)]
    [InlineData(9, 0.3, 7)]      // 10 * 0.7 = 7.000000000000001 in doubles; still rank 7
    [InlineData(5, 0.01, 5)]     // ceil(5.94) = 6 > 5: clamped to the largest
    [InlineData(3, 0.99, 1)]
    public void Conformal_rank_is_the_finite_sample_rank_clamped_to_n(int n, double alpha, int rank)
    {
        Assert.Equal(rank, FunctionalConformalBand.ConformalRank(n, alpha));
    }

    private static double[] RandomCurve(Random random)
    {
        var length = random.Next(5, 25);
        var curve = new double[length];
        var level = random.NextDouble();
        for (var t = 0; t < length; t++)
        {
            level += random.NextDouble() - 0.3;
            curve[t] = level;
        }

        return curve;
    }

    private static double[] Walk(Random random)
    {
        var curve = new double[40];
        var level = 0.0;
        for (var t = 0; t < curve.Length; t++)
        {
            level += 0.2 + Gaussian(random);
            curve[t] = level;
        }

        return curve;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9, $"index {i}: expected {expected[i]}, got {actual[i]}");
    }
}
