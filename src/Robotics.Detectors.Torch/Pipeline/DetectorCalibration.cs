using System.Text.Json;
using System.Text.Json.Nodes;
using Robotics.Detectors.Calibration;
using Robotics.Detectors.Evaluation;

namespace Robotics.Detectors.Torch.Pipeline;

/// <summary>
/// What a detector checkpoint stores besides its weights: the conformal band, the alpha it was calibrated at, and the
/// split it was trained on (seed, share of unseen tasks and the unseen tasks), so evaluation reuses exactly that split.
/// </summary>
public sealed record DetectorCalibration(FunctionalConformalBand Band, long SplitSeed, int[] UnseenTasks, int CalibrationRollouts,
    double UnseenShare = TaskSplit.DefaultUnseenShare)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public JsonObject ToJson() => JsonSerializer.SerializeToNode(this, Json)!.AsObject();

    public static DetectorCalibration FromJson(JsonObject? json, string source) =>
        json?.Deserialize<DetectorCalibration>(Json) ?? throw new InvalidDataException($"{source}: detector.json has no 'calibration' (run robotics detector calibrate)");
}
