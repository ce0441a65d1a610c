namespace Robotics.Statistics.Tests;

public sealed class HolmTests
{
    [Fact]
    public void Textbook_example_keeps_input_order()
    {
        // Sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> raised to 0.06 (monotone).
        var adjusted = Holm.Adjust([0.01, 0.04, 0.03, 0.005]);

        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)).ToArray());
    }

    [Fact]
    public void Adjusted_values_are_capped_at_one_and_never_below_raw()
    {
        Assert.Equal([1.0, 1.0], Holm.Adjust([0.5, 0.6]));
        Assert.Empty(Holm.Adjust([]));

        double[] raw = [0.2, 0.001, 0.04, 0.04, 0.9, 0.012];
        var adjusted = Holm.Adjust(raw);
        for (var i = 0; i < raw.Length; i++)
        {
            Assert.InRange(adjusted[i], raw[i], 1);
            Assert.True(adjusted[i] <= Math.Min(1, raw.Length * raw[i]) + 1e-15); // never worse than Bonferroni
        }

        Assert.Equal("pValues[1]", Assert.Throws<ArgumentException>(() => Holm.Adjust([0.1, 1.5])).ParamName);
    }
}
