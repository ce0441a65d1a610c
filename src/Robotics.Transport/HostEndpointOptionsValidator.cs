using System.Net;
using Microsoft.Extensions.Options;

namespace Robotics.Transport;

/// <summary>Start-up checks: loopback binding unless allowed, sane limits, and no CurveZMQ without an allowlist.</summary>
public sealed class HostEndpointOptionsValidator : IValidateOptions<HostEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, HostEndpointOptions o)
    {
        var errors = new List<string>();
        if (!EndpointAddress.TryParseTcp(o.Bind, out string host, out _))
            errors.Add($"Transport:Bind '{o.Bind}' must look like tcp://127.0.0.1:5555");
        else if (!o.AllowNonLoopback && !EndpointAddress.IsLoopback(host))
            errors.Add($"Transport:Bind '{o.Bind}' is not a loopback address; set Transport:AllowNonLoopback=true (and use CurveZMQ keys) to expose the host");
        if (o.MaxMessageBytes is < 1024 or > 1 << 30)
            errors.Add($"Transport:MaxMessageBytes {o.MaxMessageBytes} must be in [1024, 2^30]");
        if (o.SendHighWatermark is < 1 or > 100_000)
            errors.Add($"Transport:SendHighWatermark {o.SendHighWatermark} must be in [1, 100000]");
        if (o.ReceiveHighWatermark is < 1 or > 100_000)
            errors.Add($"Transport:ReceiveHighWatermark {o.ReceiveHighWatermark} must be in [1, 100000]");
        if (o.HeartbeatIntervalMs is < 10 or > 60_000)
            errors.Add($"Transport:HeartbeatIntervalMs {o.HeartbeatIntervalMs} must be in [10, 60000]");
        if (o.PeerTimeoutMs < 2 * o.HeartbeatIntervalMs)
            errors.Add($"Transport:PeerTimeoutMs {o.PeerTimeoutMs} must be at least twice HeartbeatIntervalMs ({o.HeartbeatIntervalMs})");
        if (o.ServerSecretKey is not null && o.ServerKeyFile is not null)
            errors.Add("Transport: set ServerSecretKey or ServerKeyFile, not both");
        if (o.ServerKeyFile is not null && !File.Exists(o.ServerKeyFile))
            errors.Add($"Transport:ServerKeyFile '{o.ServerKeyFile}' does not exist");
        if (o.AllowlistDirectory is not null && !Directory.Exists(o.AllowlistDirectory))
            errors.Add($"Transport:AllowlistDirectory '{o.AllowlistDirectory}' does not exist");
        if (o.CurveEnabled && o.AllowedClientKeys.Count == 0 && o.AllowlistDirectory is null)
            errors.Add("Transport: CurveZMQ is on but no client is allowed; add AllowedClientKeys or AllowlistDirectory");
        if (!o.CurveEnabled && (o.AllowedClientKeys.Count > 0 || o.AllowlistDirectory is not null))
            errors.Add("Transport: an allowlist needs CurveZMQ; set ServerKeyFile or ServerSecretKey");
        foreach (var key in o.AllowedClientKeys.Where(k => k.Length != 40))
            errors.Add($"Transport:AllowedClientKeys entry '{key}' is not a 40-character Z85 key");
        if (o.AllowNonLoopback && !o.CurveEnabled)
            errors.Add("Transport: a non-loopback bind needs CurveZMQ keys (ServerKeyFile + allowlist)");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
