namespace Robotics.Torch.Tests;

public sealed class DeviceSpecTests
{
    [Theory]
    [InlineData("auto", DeviceKind.Auto, null)]
    [InlineData("cpu", DeviceKind.Cpu, null)]
    [InlineData(" CPU ", DeviceKind.Cpu, null)]
    [InlineData("cuda", DeviceKind.Cuda, null)]
    [InlineData("cuda:0", DeviceKind.Cuda, 0)]
    [InlineData("cuda:3", DeviceKind.Cuda, 3)]
    public void Parse_AcceptsTheDocumentedForms(string text, DeviceKind kind, int? index)
    {
        var spec = DeviceSpec.Parse(text);
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(index, spec.Index);
        Assert.Equal(spec, DeviceSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("gpu", "Unknown device 'gpu'")]
    [InlineData("", "Unknown device ''")]
    [InlineData("cuda:", "Invalid CUDA device index ''")]
    [InlineData("cuda:-1", "Invalid CUDA device index '-1'")]
    [InlineData("cuda:x", "Invalid CUDA device index 'x'")]
    [InlineData("mps", "expected auto, cpu, cuda or cuda:N")]
    public void Parse_RejectsOtherTextWithAMessageNamingIt(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DeviceSpec.Parse(text));
        Assert.Contains(expected, error.Message);
    }
}
