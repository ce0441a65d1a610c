namespace Robotics.Transport.Native;

/// <summary>zmq_poll over a fixed set of sockets; returns which are readable.</summary>
internal sealed unsafe class ZmqPoller(params ZmqSocket[] sockets)
{
    private readonly LibZmq.PollItem[] _items = sockets.Select(s => new LibZmq.PollItem { Socket = s.Handle, Events = LibZmq.PollIn }).ToArray();
    private readonly bool[] _readable = new bool[sockets.Length];

    /// <summary>Waits up to <paramref name="timeoutMs"/>; <see cref="Readable"/> then says which sockets have input.</summary>
    public void Wait(long timeoutMs)
    {
        fixed (LibZmq.PollItem* items = _items)
        {
            int rc = LibZmq.Poll(items, _items.Length, Math.Max(0, timeoutMs));
            if (rc < 0 && LibZmq.Errno() is not (LibZmq.EIntr or LibZmq.ETerm))
                throw new ZmqException($"zmq_poll failed: {LibZmq.LastError()}");
            for (int i = 0; i < _items.Length; i++)
                _readable[i] = rc > 0 && (items[i].Revents & LibZmq.PollIn) != 0;
        }
    }

    public bool Readable(int index) => _readable[index];
}
