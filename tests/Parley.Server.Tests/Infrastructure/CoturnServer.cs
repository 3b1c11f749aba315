using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A private coturn (Debian's <c>/usr/bin/turnserver</c>) on 127.0.0.1: time-limited credentials
/// (<c>use-auth-secret</c>) under a random shared secret, TCP and UDP on a free port, relay ports on
/// 127.0.0.1 only, loopback peers allowed (the tests' peers are local), no TLS, DTLS or CLI, its
/// database and pid file in a temporary directory. Ready once its TCP listener is open.
/// </summary>
public sealed class CoturnServer : IAsyncDisposable
{
    /// <summary>Where Debian's coturn package installs the server.</summary>
    public const string Executable = "/usr/bin/turnserver";

    /// <summary>The realm the server announces.</summary>
    public const string Realm = "parley.test";

    private readonly ExternalProcess process;
    private readonly TempDirectory directory;

    private CoturnServer(ExternalProcess process, TempDirectory directory, int port, string secret)
    {
        this.process = process;
        this.directory = directory;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        Secret = secret;
    }

    /// <summary>The listening address (TCP and UDP).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The shared secret (coturn's <c>static-auth-secret</c>).</summary>
    public string Secret { get; }

    /// <summary>A TURN URI for this server, as the Parley server hands them out.</summary>
    public string Uri => $"turn:127.0.0.1:{EndPoint.Port}?transport=tcp";

    /// <summary>Everything coturn printed (for failure messages).</summary>
    public string Output => process.Output;

    /// <summary>Starts coturn with a fresh random secret.</summary>
    public static async Task<CoturnServer> StartAsync()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var port = FreePort.Next();
        var minRelayPort = RandomNumberGenerator.GetInt32(49152, 64900);
        var directory = new TempDirectory();
        string[] args =
        [
            "-n", "--verbose", "--log-file=stdout", "--simple-log",
            "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
            "--listening-port=" + port.ToString(CultureInfo.InvariantCulture),
            "--min-port=" + minRelayPort.ToString(CultureInfo.InvariantCulture),
            "--max-port=" + (minRelayPort + 99).ToString(CultureInfo.InvariantCulture),
            "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=" + Realm,
            "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers", "--no-software-attribute",
            "--pidfile=" + Path.Combine(directory.Path, "turnserver.pid"),
            "--userdb=" + Path.Combine(directory.Path, "turndb"),
        ];
        var listening = $"TCP listener opened on : 127.0.0.1:{port}";
        try
        {
            var process = await ExternalProcess.StartAsync(Executable, args, line => line.Contains(listening, StringComparison.Ordinal),
                directory.Path);
            return new CoturnServer(process, directory, port, secret);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        directory.Dispose();
    }
}
