namespace Robotics.Evaluation.Kubernetes.Tests;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Quality")]
    [InlineData("quality_sweep")]
    [InlineData("-quality")]
    [InlineData("quality-")]
    [InlineData("quality.v2")]
    [InlineData("a-name-that-is-fifty-three-characters-long-xxxxxxxxxx")]
    public void Invalid_names_are_rejected_naming_the_field(string name) =>
        AssertRejected(SampleOptions.FourShards() with { Name = name }, "Name");

    [Fact]
    public void A_52_character_name_is_accepted()
    {
        var name = new string('a', 52);
        Assert.Equal(name + "-shard", SweepJobManifest.BuildShardJob(SampleOptions.FourShards() with { Name = name }).Metadata.Name);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Invalid_shard_counts_are_rejected_naming_the_field(int shards) =>
        AssertRejected(SampleOptions.FourShards() with { Shards = shards, Parallelism = 1 }, "Shards");

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(5)]
    public void Parallelism_outside_one_to_shards_is_rejected_naming_the_field(int parallelism) =>
        AssertRejected(SampleOptions.FourShards() with { Parallelism = parallelism }, "Parallelism");

    [Fact]
    public void Parallelism_equal_to_shards_is_accepted() =>
        Assert.Equal(4, SweepJobManifest.BuildShardJob(SampleOptions.FourShards() with { Parallelism = 4 }).Spec.Parallelism);

    [Theory]
    [InlineData("PlanFileName", "")]
    [InlineData("PlanFileName", "plans/quality.json")]
    [InlineData("PlanFileName", "..")]
    [InlineData("PlanFileName", "my plan.json")]
    [InlineData("PlanJson", "")]
    [InlineData("PlanJson", "  \n")]
    [InlineData("Image", "")]
    [InlineData("Image", "robotics latest")]
    [InlineData("ResultsClaim", "")]
    [InlineData("ResultsClaim", "Results")]
    [InlineData("ResultsMountPath", "results")]
    [InlineData("ResultsMountPath", "/")]
    [InlineData("ResultsMountPath", "/plan")]
    [InlineData("ResultsMountPath", "/mnt/my results")]
    [InlineData("ResultsMountPath", "/mnt/$(HOME)")]
    [InlineData("ResultsMountPath", "/mnt/a;rm")]
    [InlineData("ResultsMountPath", "/mnt/../etc")]
    [InlineData("Namespace", "")]
    [InlineData("Namespace", "Eval")]
    [InlineData("Cpu", "")]
    [InlineData("Cpu", "two")]
    [InlineData("Cpu", "0")]
    [InlineData("Memory", "4 GB")]
    [InlineData("ServiceAccount", "Sweeper")]
    [InlineData("ServiceAccount", "")]
    public void Invalid_text_fields_are_rejected_naming_the_field(string field, string value)
    {
        var options = field switch
        {
            "PlanFileName" => SampleOptions.FourShards() with { PlanFileName = value },
            "PlanJson" => SampleOptions.FourShards() with { PlanJson = value },
            "Image" => SampleOptions.FourShards() with { Image = value },
            "ResultsClaim" => SampleOptions.FourShards() with { ResultsClaim = value },
            "ResultsMountPath" => SampleOptions.FourShards() with { ResultsMountPath = value },
            "Namespace" => SampleOptions.FourShards() with { Namespace = value },
            "Cpu" => SampleOptions.FourShards() with { Cpu = value },
            "Memory" => SampleOptions.FourShards() with { Memory = value },
            "ServiceAccount" => SampleOptions.FourShards() with { ServiceAccount = value },
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
        AssertRejected(options, field);
    }

    [Fact]
    public void A_plan_too_large_for_a_config_map_is_rejected() =>
        AssertRejected(SampleOptions.FourShards() with { PlanJson = new string('x', 1_100_000) }, "PlanJson");

    [Fact]
    public void Invalid_retry_and_timeout_settings_are_rejected_naming_the_field()
    {
        AssertRejected(SampleOptions.FourShards() with { BackoffLimitPerIndex = -1 }, "BackoffLimitPerIndex");
        AssertRejected(SampleOptions.FourShards() with { MaxFailedIndexes = -1 }, "MaxFailedIndexes");
        AssertRejected(SampleOptions.FourShards() with { MaxFailedIndexes = 5 }, "MaxFailedIndexes");
        AssertRejected(SampleOptions.FourShards() with { MergeWaitTimeoutSeconds = 5 }, "MergeWaitTimeoutSeconds");
    }

    [Fact]
    public void Every_entry_point_validates()
    {
        var bad = SampleOptions.FourShards() with { Shards = 0 };
        Assert.Throws<ArgumentException>(() => SweepJobManifest.ToYaml(bad));
        Assert.Throws<ArgumentException>(() => SweepJobManifest.BuildPlanConfigMap(bad));
        Assert.Throws<ArgumentException>(() => SweepJobManifest.BuildShardJob(bad));
        Assert.Throws<ArgumentException>(() => SweepJobManifest.BuildMergeJob(bad));
        Assert.Throws<ArgumentNullException>(() => SweepJobManifest.Build(null!));
    }

    private static void AssertRejected(SweepJobOptions options, string field)
    {
        var e = Assert.Throws<ArgumentException>(() => SweepJobManifest.Build(options));
        Assert.Equal(field, e.ParamName);
        Assert.StartsWith(field + " ", e.Message, StringComparison.Ordinal);
    }
}
