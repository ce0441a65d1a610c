using System.Threading;

namespace Robotics.Transport.Native;

/// <summary>
/// Wakes a transport thread blocked in zmq_poll when another thread queues a message: an inproc PAIR whose sending
/// end is guarded by a lock (libzmq sockets are not thread-safe) and written at most once until the reader drains it.
/// </summary>
internal sealed class ZmqWakeup : IDisposable
{
    private static long _counter;
    private readonly object _gate = new();
    private readonly ZmqSocket _writer;
    private int _pending;
    private bool _disposed;

    public ZmqWakeup(ZmqContext context)
    {
        string address = $"inproc://robotics-wakeup-{Interlocked.Increment(ref _counter)}";
        Reader = new ZmqSocket(context, LibZmq.Pair);
        Reader.Bind(address);
        _writer = new ZmqSocket(context, LibZmq.Pair);
        _writer.Connect(address);
    }

    /// <summary>Polled (and drained) by the transport thread.</summary>
    public ZmqSocket Reader { get; }

    public void Raise()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1)
            return;
        lock (_gate)
        {
            if (!_disposed)
                _writer.TrySend([]);
        }
    }

    public void Drain()
    {
        Interlocked.Exchange(ref _pending, 0);
        while (Reader.TryReceive(0) is not null)
        {
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _writer.Dispose();
        }

        Reader.Dispose();
    }
}
