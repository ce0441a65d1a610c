using System.Runtime.InteropServices;
using System.Text;

namespace Robotics.Transport.Native;

/// <summary>
/// A libzmq socket. Not thread-safe, like libzmq's own: each endpoint creates, uses and closes its sockets on its
/// one transport thread. Sends never block (<c>ZMQ_DONTWAIT</c>): a full queue or a vanished peer returns false.
/// </summary>
internal sealed unsafe class ZmqSocket : IDisposable
{
    private IntPtr _handle;

    public ZmqSocket(ZmqContext context, int type)
    {
        _handle = LibZmq.Socket(context.Handle, type);
        if (_handle == IntPtr.Zero)
            throw new ZmqException($"zmq_socket({type}) failed: {LibZmq.LastError()}");
        Set(LibZmq.Linger, 0);
    }

    public IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(ZmqSocket));

    public void Set(int option, int value) => SetRaw(option, &value, sizeof(int));

    public void Set(int option, long value) => SetRaw(option, &value, sizeof(long));

    public void Set(int option, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
            SetRaw(option, p, value.Length);
    }

    public void Set(int option, string value) => Set(option, Encoding.ASCII.GetBytes(value));

    private void SetRaw(int option, void* value, int length)
    {
        if (LibZmq.SetSockOpt(Handle, option, value, (nuint)length) != 0)
            throw new ZmqException($"zmq_setsockopt({option}) failed: {LibZmq.LastError()}");
    }

    public string GetString(int option)
    {
        byte* buffer = stackalloc byte[512];
        nuint length = 512;
        if (LibZmq.GetSockOpt(Handle, option, buffer, ref length) != 0)
            throw new ZmqException($"zmq_getsockopt({option}) failed: {LibZmq.LastError()}");
        return Encoding.ASCII.GetString(buffer, (int)length).TrimEnd('\0');
    }

    public void Bind(string endpoint)
    {
        if (LibZmq.Bind(Handle, endpoint) != 0)
            throw new ZmqException($"cannot bind {endpoint}: {LibZmq.LastError()}");
    }

    public void Connect(string endpoint)
    {
        if (LibZmq.Connect(Handle, endpoint) != 0)
            throw new ZmqException($"cannot connect to {endpoint}: {LibZmq.LastError()}");
    }

    /// <summary>Sends one frame without blocking; false when the queue is full or (ROUTER) the peer is gone.</summary>
    public bool TrySend(ReadOnlySpan<byte> frame, bool more = false)
    {
        fixed (byte* p = frame)
        {
            while (true)
            {
                if (LibZmq.Send(Handle, p, (nuint)frame.Length, LibZmq.DontWait | (more ? LibZmq.SndMore : 0)) >= 0)
                    return true;
                int errno = LibZmq.Errno();
                if (errno == LibZmq.EIntr)
                    continue;
                if (errno is LibZmq.EAgain or LibZmq.EHostUnreach or LibZmq.ETerm)
                    return false;
                throw new ZmqException($"zmq_send failed: {LibZmq.LastError()}");
            }
        }
    }

    /// <summary>
    /// Receives one frame without blocking (null when none is waiting). Frames longer than
    /// <paramref name="maxCopyBytes"/> are not copied (their <see cref="ZmqFrame.Data"/> is null).
    /// </summary>
    public ZmqFrame? TryReceive(long maxCopyBytes, bool readProperties = false)
    {
        LibZmq.Msg message;
        LibZmq.MsgInit(&message);
        try
        {
            while (LibZmq.MsgRecv(&message, Handle, LibZmq.DontWait) < 0)
            {
                int errno = LibZmq.Errno();
                if (errno == LibZmq.EIntr)
                    continue;
                if (errno is LibZmq.EAgain or LibZmq.ETerm)
                    return null;
                throw new ZmqException($"zmq_msg_recv failed: {LibZmq.LastError()}");
            }

            long size = (long)LibZmq.MsgSize(&message);
            byte[]? data = null;
            if (size <= maxCopyBytes)
            {
                data = new byte[size];
                new ReadOnlySpan<byte>(LibZmq.MsgData(&message), (int)size).CopyTo(data);
            }

            bool more = LibZmq.MsgMore(&message) != 0;
            return readProperties
                ? new ZmqFrame(data, size, more, Property(&message, "User-Id"), Property(&message, ZapMetadata.Connection), Property(&message, ZapMetadata.Role))
                : new ZmqFrame(data, size, more, null, null, null);
        }
        finally
        {
            LibZmq.MsgClose(&message);
        }
    }

    /// <summary>Reads and discards the rest of a multipart message.</summary>
    public void SkipRest(ZmqFrame frame)
    {
        while (frame.More && TryReceive(0) is { } next)
            frame = next;
    }

    private static string? Property(LibZmq.Msg* message, string name)
    {
        IntPtr value = LibZmq.MsgGets(message, name);
        return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
    }

    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle != IntPtr.Zero)
            LibZmq.Close(handle);
    }
}
