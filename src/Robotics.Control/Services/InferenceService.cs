using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Robotics.Control.Chunks;
using Robotics.Control.Metrics;
using Robotics.Core.Arrays;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;

namespace Robotics.Control.Services;

/// <summary>
/// Runs the policy off the control clock, on its own thread. Requests are a queue of one (a newer observation replaces
/// a waiting one). Each chunk is merged into the <see cref="ChunkBuffer"/> at the observation's step. A policy exception
/// is not swallowed: <see cref="Failed"/> is set and the clock stops the robot.
/// </summary>
public sealed class InferenceService : BackgroundService
{
    private readonly IChunkPolicy _policy;
    private readonly ChunkBuffer _buffer;
    private readonly ControlMetrics _metrics;
    private readonly ILogger<InferenceService> _logger;
    private readonly Channel<InferenceRequest> _requests =
        Channel.CreateBounded<InferenceRequest>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private long _currentStep;
    private volatile bool _inFlight;
    private volatile float[] _features = [];
    private volatile string? _failure;
    private long _chunks;
    private readonly object _chunkGate = new();

    public InferenceService(IChunkPolicy policy, ChunkBuffer buffer, ControlMetrics metrics, ILogger<InferenceService> logger)
    {
        _policy = policy;
        _buffer = buffer;
        _metrics = metrics;
        _logger = logger;
    }

    public IChunkPolicy Policy => _policy;

    public bool InFlight => _inFlight;

    public string? Failed => _failure;

    public long ChunksProduced => Interlocked.Read(ref _chunks);

    /// <summary>Features of the newest chunk, for the failure monitor.</summary>
    public float[] LatestFeatures => _features;

    /// <summary>The step the robot is at now, so rows planned for executed steps are dropped on merge.</summary>
    public void SetCurrentStep(long step) => Interlocked.Exchange(ref _currentStep, step);

    /// <summary>Waits until more than <paramref name="produced"/> chunks exist (or inference failed); false on timeout.</summary>
    public bool WaitForChunk(long produced, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        lock (_chunkGate)
        {
            while (Interlocked.Read(ref _chunks) <= produced && _failure is null)
            {
                long remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                    return false;
                Monitor.Wait(_chunkGate, TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
            }

            return _failure is null;
        }
    }

    public void Request(InferenceRequest request)
    {
        _inFlight = true;
        _requests.Writer.TryWrite(request);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!_requests.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
                    return;
                if (!_requests.Reader.TryRead(out var request))
                    continue;
                if (request.ResetPolicy)
                    _policy.Reset();
                var started = Stopwatch.GetTimestamp();
                var chunk = _policy.PredictChunk(ToPolicyObservation(request), stoppingToken);
                long elapsedNs = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds;
                _metrics.AddInference(elapsedNs);
                _buffer.Merge(request.Sample.Observation.Step, chunk.Actions, Interlocked.Read(ref _currentStep));
                _features = chunk.Features;
                _inFlight = _requests.Reader.Count > 0;
                lock (_chunkGate)
                {
                    Interlocked.Increment(ref _chunks);
                    Monitor.PulseAll(_chunkGate);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Loud and safe: the control clock sees Failed and stops the robot.
            _failure = $"{e.GetType().Name}: {e.Message}";
            _logger.LogCritical(e, "policy inference failed; the robot will be stopped");
            lock (_chunkGate)
                Monitor.PulseAll(_chunkGate);
        }
        finally
        {
            _inFlight = false;
        }
    }

    private static PolicyObservation ToPolicyObservation(InferenceRequest request)
    {
        var obs = request.Sample.Observation;
        var features = new Dictionary<string, NdArray>(StringComparer.Ordinal) { [FeatureKeys.State] = obs.State };
        foreach (var (camera, image) in obs.Images)
            features[FeatureKeys.Image(camera)] = image;
        return new PolicyObservation(features, request.TaskIndex ?? obs.TaskIndex, request.Instruction ?? obs.Instruction);
    }
}
