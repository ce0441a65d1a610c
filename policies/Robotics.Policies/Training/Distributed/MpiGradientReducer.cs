using System.Diagnostics;
using Robotics.Distributed;
using static TorchSharp.torch;

namespace Robotics.Policies.Training.Distributed;

/// <summary>
/// Gradients averaged over MPI ranks in buckets: the trainable gradients are packed into float32 buffers of up to
/// <see cref="BucketElements"/> values and each buffer is all-reduced in one call (fewer, larger messages than one per
/// parameter; bounded extra memory). First a presence vector is summed so that a parameter with a gradient on any
/// rank gets the (zero-filled) average on all of them.
/// </summary>
public sealed class MpiGradientReducer(MpiCommunicator communicator, int bucketElements = 1 << 20) : IGradientReducer
{
    private readonly Stopwatch _clock = new();
    private long _calls;

    public int BucketElements { get; } = bucketElements > 0 ? bucketElements : throw new ArgumentOutOfRangeException(nameof(bucketElements));
    public int Rank => communicator.Rank;
    public int Size => communicator.Size;
    public (double Seconds, long Calls) Time => (_clock.Elapsed.TotalSeconds, _calls);

    public void AllReduceMean(IReadOnlyList<Tensor> parameters)
    {
        _clock.Start();
        try
        {
            var present = parameters.Select(p => p.grad is null ? 0f : 1f).ToArray();
            communicator.AllReduceSum(present);
            var reduced = parameters.Where((_, i) => present[i] > 0).ToArray();
            float scale = 1f / Size;
            int start = 0;
            while (start < reduced.Length)
            {
                // One bucket: whole parameters up to the bucket size (a larger parameter goes alone).
                int end = start;
                long elements = 0;
                while (end < reduced.Length && (end == start || elements + reduced[end].numel() <= BucketElements))
                    elements += reduced[end++].numel();
                var bucket = new float[elements];
                long offset = 0;
                for (int i = start; i < end; i++)
                {
                    var p = reduced[i];
                    int n = (int)p.numel();
                    if (p.grad is { } g)
                        g.detach().cpu().contiguous().data<float>().CopyTo(bucket, (int)offset);
                    offset += n;
                }

                communicator.AllReduceSum(bucket);
                offset = 0;
                using (no_grad())
                {
                    for (int i = start; i < end; i++)
                    {
                        var p = reduced[i];
                        int n = (int)p.numel();
                        var mean = tensor(bucket.AsSpan((int)offset, n).ToArray(), p.shape).mul_(scale).to(p.device);
                        if (p.grad is { } g)
                            g.copy_(mean);
                        else
                            p.grad = mean;
                        offset += n;
                    }
                }

                start = end;
            }

            _calls++;
        }
        finally
        {
            _clock.Stop();
        }
    }
}
