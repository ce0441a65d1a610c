using System.Reflection;
using System.Runtime.InteropServices;

namespace Robotics.Transport.Native;

/// <summary>
/// The reference libzmq (Debian <c>libzmq5</c>, 4.3.x), called directly. It is used instead of NetMQ because it
/// refuses ZMTP/1.0-2.0 peers once a security mechanism is set (NetMQ falls back to unauthenticated ZMTP/1.0,
/// zeromq/netmq#1036) and it runs a ZAP handler (RFC 27), which binds authentication to each connection.
/// </summary>
internal static unsafe partial class LibZmq
{
    private const string Library = "libzmq";

    // Socket types, options and flags from zmq.h (4.3).
    public const int Pair = 0, Rep = 4, Dealer = 5, Router = 6;
    public const int RoutingId = 5, Linger = 17, ReconnectIvl = 18, ReconnectIvlMax = 21, MaxMsgSize = 22,
        SndHwm = 23, RcvHwm = 24, LastEndpoint = 32, RouterMandatory = 33, Ipv6 = 42, CurveServer = 47,
        CurvePublicKey = 48, CurveSecretKey = 49, CurveServerKey = 50, ZapDomain = 55, HandshakeIvl = 66,
        HeartbeatIvl = 75, HeartbeatTtl = 76, HeartbeatTimeout = 77;
    public const int DontWait = 1, SndMore = 2;
    public const short PollIn = 1;
    public const int EAgain = 11, EIntr = 4, EHostUnreach = 113, ETerm = 156384712 + 53;

    static LibZmq() => NativeLibrary.SetDllImportResolver(typeof(LibZmq).Assembly, Resolve);

    /// <summary>Debian ships only the versioned name without the -dev package; try it before the plain one.</summary>
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
            return IntPtr.Zero;
        string[] candidates = OperatingSystem.IsWindows() ? ["libzmq.dll", "libzmq"]
            : OperatingSystem.IsMacOS() ? ["libzmq.5.dylib", "libzmq.dylib"]
            : ["libzmq.so.5", "libzmq.so"];
        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle))
                return handle;
        }

        return IntPtr.Zero;
    }

    /// <summary>zmq_msg_t: 64 opaque bytes, pointer-aligned.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    public struct Msg
    {
        private readonly long _first;
    }

    /// <summary>zmq_pollitem_t on POSIX: socket pointer, fd, events, revents.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollItem
    {
        public IntPtr Socket;
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Library, EntryPoint = "zmq_version")]
    public static partial void Version(out int major, out int minor, out int patch);

    [LibraryImport(Library, EntryPoint = "zmq_has", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Has(string capability);

    [LibraryImport(Library, EntryPoint = "zmq_errno")]
    public static partial int Errno();

    [LibraryImport(Library, EntryPoint = "zmq_strerror")]
    public static partial IntPtr StrError(int errnum);

    [LibraryImport(Library, EntryPoint = "zmq_ctx_new")]
    public static partial IntPtr CtxNew();

    [LibraryImport(Library, EntryPoint = "zmq_ctx_term")]
    public static partial int CtxTerm(IntPtr context);

    [LibraryImport(Library, EntryPoint = "zmq_socket")]
    public static partial IntPtr Socket(IntPtr context, int type);

    [LibraryImport(Library, EntryPoint = "zmq_close")]
    public static partial int Close(IntPtr socket);

    [LibraryImport(Library, EntryPoint = "zmq_setsockopt")]
    public static partial int SetSockOpt(IntPtr socket, int option, void* value, nuint length);

    [LibraryImport(Library, EntryPoint = "zmq_getsockopt")]
    public static partial int GetSockOpt(IntPtr socket, int option, void* value, ref nuint length);

    [LibraryImport(Library, EntryPoint = "zmq_bind", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Bind(IntPtr socket, string endpoint);

    [LibraryImport(Library, EntryPoint = "zmq_connect", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Connect(IntPtr socket, string endpoint);

    [LibraryImport(Library, EntryPoint = "zmq_send")]
    public static partial int Send(IntPtr socket, void* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "zmq_msg_init")]
    public static partial int MsgInit(Msg* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_recv")]
    public static partial int MsgRecv(Msg* message, IntPtr socket, int flags);

    [LibraryImport(Library, EntryPoint = "zmq_msg_close")]
    public static partial int MsgClose(Msg* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_data")]
    public static partial void* MsgData(Msg* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_size")]
    public static partial nuint MsgSize(Msg* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_more")]
    public static partial int MsgMore(Msg* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_gets", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr MsgGets(Msg* message, string property);

    [LibraryImport(Library, EntryPoint = "zmq_poll")]
    public static partial int Poll(PollItem* items, int count, long timeoutMs);

    [LibraryImport(Library, EntryPoint = "zmq_curve_keypair")]
    public static partial int CurveKeypair(byte* z85Public, byte* z85Secret);

    [LibraryImport(Library, EntryPoint = "zmq_curve_public")]
    public static partial int CurvePublic(byte* z85Public, byte* z85Secret);

    [LibraryImport(Library, EntryPoint = "zmq_z85_decode")]
    public static partial byte* Z85Decode(byte* destination, byte* z85);

    [LibraryImport(Library, EntryPoint = "zmq_z85_encode")]
    public static partial byte* Z85Encode(byte* destination, byte* data, nuint size);

    public static string LastError()
    {
        int errno = Errno();
        return $"{Marshal.PtrToStringUTF8(StrError(errno))} (errno {errno})";
    }
}
