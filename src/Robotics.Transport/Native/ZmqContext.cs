namespace Robotics.Transport.Native;

/// <summary>
/// One libzmq context per endpoint: the ZAP handler is per context (inproc://zeromq.zap.01), so two hosts in one
/// process (tests, a bench) each keep their own allowlist.
/// </summary>
internal sealed class ZmqContext : IDisposable
{
    private IntPtr _handle;

    public ZmqContext()
    {
        LibZmqInfo.EnsureLoaded();
        _handle = LibZmq.CtxNew();
        if (_handle == IntPtr.Zero)
            throw new ZmqException($"zmq_ctx_new failed: {LibZmq.LastError()}");
    }

    public IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(ZmqContext));

    /// <summary>Terminates the context; every socket must be closed first (all use linger 0, so this does not block).</summary>
    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle == IntPtr.Zero)
            return;
        while (LibZmq.CtxTerm(handle) != 0 && LibZmq.Errno() == LibZmq.EIntr)
        {
        }
    }
}
