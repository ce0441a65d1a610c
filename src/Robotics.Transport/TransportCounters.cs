namespace Robotics.Transport;

/// <summary>What the transport refused or dropped; read from any thread.</summary>
public sealed class TransportCounters
{
    private long _received, _sent, _malformed, _unauthorized, _oversized, _sendDropped;

    public long Received => Interlocked.Read(ref _received);
    public long Sent => Interlocked.Read(ref _sent);
    public long Malformed => Interlocked.Read(ref _malformed);
    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    /// <summary>Frames over the size allowed at that point (before hello: HelloMaxBytes), dropped without being copied or decoded.</summary>
    public long Oversized => Interlocked.Read(ref _oversized);

    /// <summary>Sends refused because the high-water mark was reached (the newest message is dropped, never queued unbounded).</summary>
    public long SendDropped => Interlocked.Read(ref _sendDropped);

    internal void AddReceived() => Interlocked.Increment(ref _received);
    internal void AddSent() => Interlocked.Increment(ref _sent);
    internal void AddMalformed() => Interlocked.Increment(ref _malformed);
    internal void AddUnauthorized() => Interlocked.Increment(ref _unauthorized);
    internal void AddOversized() => Interlocked.Increment(ref _oversized);
    internal void AddSendDropped() => Interlocked.Increment(ref _sendDropped);

    public override string ToString() => $"received {Received}, sent {Sent}, malformed {Malformed}, unauthorized {Unauthorized}, oversized {Oversized}, send drops {SendDropped}";
}
