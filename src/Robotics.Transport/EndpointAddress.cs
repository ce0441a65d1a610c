using System.Net;
using System.Text.RegularExpressions;

namespace Robotics.Transport;

/// <summary>Parsing of tcp:// endpoints, for the loopback-only rule.</summary>
public static partial class EndpointAddress
{
    [GeneratedRegex("^tcp://(\\[[^\\]]+\\]|[^:/]+):(\\d+|\\*)$")]
    private static partial Regex Tcp();

    public static bool TryParseTcp(string endpoint, out string host, out string port)
    {
        var m = Tcp().Match(endpoint ?? "");
        host = m.Success ? m.Groups[1].Value.Trim('[', ']') : "";
        port = m.Success ? m.Groups[2].Value : "";
        return m.Success;
    }

    public static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    public static bool IsRandomPort(string port) => port is "*" or "0";
}
