using Robotics.Core.Monitoring;
using Robotics.Detectors.Calibration;
using Robotics.Detectors.Data;
using Robotics.Detectors.Torch.Checkpoints;
using Robotics.Detectors.Torch.Pipeline;

namespace Robotics.Detectors.Torch.Monitoring;

/// <summary>
/// The SAFE detector live in the control loop. At every new policy call it advances the detector by that call (one
/// network step with the carried state, for scorers that can; otherwise it rescores the episode's calls so far; both
/// give the offline curve, tested) and alarms when the score reaches the conformal band at that call. Between calls it repeats its last verdict. It never
/// throws into the loop: a feature vector of the wrong length or with NaN/Inf, or a scorer fault, is an alarm with
/// the reason. The verdict's score is s_t - delta_t (>= 0 means alarm).
/// </summary>
public sealed class SafeFailureMonitor : IFailureMonitor, IDisposable
{
    private readonly IFailureScorer _scorer;
    private readonly FunctionalConformalBand _band;
    private readonly int _featureDimension;
    private readonly List<float[]> _features = [];
    private readonly List<int> _steps = [];
    private long _lastCall = long.MinValue;
    private IOnlineScoreSession? _session;
    private MonitorVerdict _last = MonitorVerdict.Ok;

    public SafeFailureMonitor(IFailureScorer scorer, FunctionalConformalBand band, int featureDimension)
    {
        _scorer = scorer;
        _band = band;
        _featureDimension = featureDimension;
    }

    public string Name => $"safe:{_scorer.Name}";

    /// <summary>
    /// Loads a detector checkpoint for a served policy, refusing one trained on another feature layout (and naming
    /// what differs) or one without a calibration.
    /// </summary>
    public static SafeFailureMonitor Load(string folder, string? policyFeatureLayout)
    {
        if (policyFeatureLayout is null)
            throw new InvalidDataException($"{folder}: the served policy gives no feature vectors (a scripted or stand-in policy); a SAFE detector needs a learned policy's features");
        var manifest = DetectorCheckpoint.LoadManifest(folder);
        if (manifest.FeatureLayout != policyFeatureLayout)
            throw new InvalidDataException($"{folder}: the detector was trained on features laid out as '{manifest.FeatureLayout}', the served policy's are '{policyFeatureLayout}' (first difference: {FirstDifference(manifest.FeatureLayout, policyFeatureLayout)})");
        var calibration = DetectorCalibration.FromJson(manifest.Calibration, folder);
        var loaded = DetectorCheckpoint.Load(folder, expectedFeatureLayout: policyFeatureLayout);
        return new SafeFailureMonitor(loaded.Scorer, calibration.Band, manifest.FeatureDimension);
    }

    public void Reset()
    {
        _features.Clear();
        _steps.Clear();
        _session?.Dispose();
        _session = null;
        _lastCall = long.MinValue;
        _last = MonitorVerdict.Ok;
    }

    public MonitorVerdict Check(MonitorInput input)
    {
        if (input.PolicyCall == _lastCall || input.PolicyFeatures.Length == 0)
            return _last;
        _lastCall = input.PolicyCall;
        var features = input.PolicyFeatures;
        if (features.Length != _featureDimension)
            return _last = new MonitorVerdict(double.PositiveInfinity, true, $"{Name}: policy call at step {input.Step} gave {features.Length} features, the detector reads {_featureDimension}");
        for (int i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
                return _last = new MonitorVerdict(double.PositiveInfinity, true, $"{Name}: feature {i} of the policy call at step {input.Step} is {features[i]}");
        }

        _features.Add((float[])features.Clone());
        _steps.Add((int)Math.Min(int.MaxValue, input.Step));
        try
        {
            int t = _features.Count - 1;
            double score;
            if (_scorer is IOnlineFailureScorer online)
            {
                _session ??= online.StartSession();
                score = _session.Next(_features[^1]);
            }
            else
            {
                score = _scorer.Scores(new FeatureRollout("live", 0, true, _steps[^1] + 1, [.. _steps], [.. _features]))[t];
            }

            double band = _band.BandAt(t);
            bool alarm = score >= band;
            return _last = new MonitorVerdict(score - band, alarm,
                alarm ? $"{Name}: failure score {score:g4} reached the conformal band {band:g4} (alpha {_band.Alpha}) at call {t}, step {input.Step}" : null);
        }
        catch (Exception e)
        {
            return _last = new MonitorVerdict(double.PositiveInfinity, true, $"{Name}: detector failed at step {input.Step}: {e.GetType().Name}: {e.Message}");
        }
    }

    public void Dispose()
    {
        _session?.Dispose();
        (_scorer as IDisposable)?.Dispose();
    }

    private static string FirstDifference(string a, string b)
    {
        var left = a.Split('|');
        var right = b.Split('|');
        for (int i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            string x = i < left.Length ? left[i] : "(none)", y = i < right.Length ? right[i] : "(none)";
            if (x != y)
                return $"'{x}' vs '{y}'";
        }

        return "none";
    }
}
