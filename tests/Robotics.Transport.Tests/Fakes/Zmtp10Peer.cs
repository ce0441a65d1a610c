using System.Net;
using System.Net.Sockets;

namespace Robotics.Transport.Tests.Fakes;

/// <summary>
/// Raw TCP speaking ZMTP/1.0 (an identity frame, then length-prefixed frames, no security mechanism): the framing
/// NetMQ fell back to. As a fake host it records every byte a robot sends it; as a client it records the host's answer.
/// </summary>
internal static class Zmtp10Peer
{
    public static byte[] Frame(byte[] body) => [(byte)(body.Length + 1), 0, .. body];

    /// <summary>A fake host on a free port: answers with ZMTP/1.0 framing and <paramref name="payload"/>, records what arrives.</summary>
    public static (string Endpoint, Task<byte[]> Received) FakeHost(byte[] payload, int listenMs)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = Task.Run(async () =>
        {
            var bytes = new List<byte>();
            using var cts = new CancellationTokenSource(listenMs);
            try
            {
                while (!cts.IsCancellationRequested)
                {
                    using var client = await listener.AcceptTcpClientAsync(cts.Token);
                    var stream = client.GetStream();
                    await stream.WriteAsync(Frame([]), cts.Token); // identity frame: ZMTP/1.0
                    await stream.WriteAsync(Frame(payload), cts.Token);
                    var buffer = new byte[65536];
                    int n;
                    while ((n = await stream.ReadAsync(buffer, cts.Token)) > 0)
                        bytes.AddRange(buffer.AsSpan(0, n).ToArray());
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
            }
            finally
            {
                listener.Stop();
            }

            return bytes.ToArray();
        });
        return ($"tcp://127.0.0.1:{port}", received);
    }

    /// <summary>Connects to <paramref name="endpoint"/>, speaks ZMTP/1.0 with <paramref name="payload"/> and returns every byte the host answers within the time.</summary>
    public static byte[] Client(string endpoint, byte[] payload, int listenMs)
    {
        EndpointAddress.TryParseTcp(endpoint, out string host, out string port);
        using var client = new TcpClient(host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
        var stream = client.GetStream();
        stream.Write(Frame([]));
        stream.Write(Frame(payload));
        client.ReceiveTimeout = listenMs;
        var bytes = new List<byte>();
        var buffer = new byte[65536];
        try
        {
            int n;
            while ((n = stream.Read(buffer)) > 0)
                bytes.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        catch (IOException)
        {
        }

        return bytes.ToArray();
    }
}
