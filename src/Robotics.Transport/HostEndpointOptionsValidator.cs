using Microsoft.Extensions.Options;
using Robotics.Transport.Security;

namespace Robotics.Transport;

/// <summary>Start-up checks: loopback binding unless allowed, sane limits, no secured mode without allowlists, no unusable keys.</summary>
public sealed class HostEndpointOptionsValidator : IValidateOptions<HostEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, HostEndpointOptions o)
    {
        var errors = new List<string>();
        if (!EndpointAddress.TryParseTcp(o.Bind, out string host, out _))
            errors.Add($"Transport:Bind '{o.Bind}' must look like tcp://127.0.0.1:5555 (IPv6: tcp://[::1]:5555)");
        else if (!o.AllowNonLoopback && !EndpointAddress.IsLoopback(host))
            errors.Add($"Transport:Bind '{o.Bind}' is not a loopback address; set Transport:AllowNonLoopback=true (and use CurveZMQ keys) to expose the host");
        if (o.MaxMessageBytes is < 1024 or > 1 << 29)
            errors.Add($"Transport:MaxMessageBytes {o.MaxMessageBytes} must be in [1024, 2^29]");
        if (o.HelloMaxBytes < 256 || o.HelloMaxBytes > o.MaxMessageBytes)
            errors.Add($"Transport:HelloMaxBytes {o.HelloMaxBytes} must be in [256, MaxMessageBytes]");
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
        foreach (var (key, dir) in new[] { ("RobotKeyDirectory", o.RobotKeyDirectory), ("OperatorKeyDirectory", o.OperatorKeyDirectory) })
        {
            if (dir is not null && !Directory.Exists(dir))
                errors.Add($"Transport:{key} '{dir}' does not exist");
        }

        if (o.CurveEnabled && !o.HasAllowlist)
            errors.Add("Transport: CurveZMQ is on but no client is allowed; add RobotKeys / OperatorKeys or RobotKeyDirectory / OperatorKeyDirectory");
        if (!o.CurveEnabled && o.HasAllowlist)
            errors.Add("Transport: an allowlist needs CurveZMQ; set ServerKeyFile or ServerSecretKey");
        foreach (var (list, keys) in new[] { ("RobotKeys", o.RobotKeys), ("OperatorKeys", o.OperatorKeys) })
        {
            for (int i = 0; i < keys.Count; i++)
            {
                if (CurveKeys.Problem(keys[i]) is { } problem)
                    errors.Add($"Transport:{list}[{i}] '{keys[i]}' {problem}");
            }
        }

        foreach (string key in o.RobotKeys.Intersect(o.OperatorKeys, StringComparer.Ordinal))
            errors.Add($"Transport: key '{key}' is on both RobotKeys and OperatorKeys; a key has one role");
        if (o.AllowNonLoopback && !o.CurveEnabled)
            errors.Add("Transport: a non-loopback bind needs CurveZMQ keys (ServerKeyFile + allowlists)");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
