namespace Robotics.Detectors;

/// <summary>
/// A scorer that can follow a rollout call by call, carrying its state (a running sum, an LSTM's hidden state), so a
/// live monitor pays one step per call instead of rescoring the whole rollout. A session's score at call t equals
/// <see cref="IFailureScorer.Scores"/>[t] of the rollout so far.
/// </summary>
public interface IOnlineFailureScorer : IFailureScorer
{
    IOnlineScoreSession StartSession();
}

/// <summary>One rollout followed online; dispose it at the end of the episode.</summary>
public interface IOnlineScoreSession : IDisposable
{
    /// <summary>The score curve's value at this call, given this call's features.</summary>
    double Next(float[] features);
}
