using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;

namespace Parley.LoadGen;

/// <summary>HTTP and WebSocket connections to the server, pinning its certificate when https is used.</summary>
internal sealed class Transport
{
    private readonly LoadGenOptions _options;
    private readonly HttpMessageInvoker? _sourceBound;

    public Transport(LoadGenOptions options)
    {
        _options = options;
        if (options.Source is { } source)
        {
            // Sockets from a chosen 127.0.0.x: each source address has its own ephemeral ports, so several
            // generator processes (each capped at 20,000 descriptors) never run out of them together.
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Bind(new IPEndPoint(source, 0));
                        await socket.ConnectAsync(context.DnsEndPoint, ct);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            handler.SslOptions.RemoteCertificateValidationCallback = Validate;
            _sourceBound = new HttpMessageInvoker(handler);
        }
    }

    public HttpClient CreateHttp()
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        return new HttpClient(handler) { BaseAddress = _options.Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task<ClientWebSocket> ConnectAsync(string token, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        if (_sourceBound is null)
        {
            socket.Options.RemoteCertificateValidationCallback = Validate; // with an invoker, its handler validates
        }

        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.SetBuffer(16 * 1024, 4 * 1024);
        var scheme = _options.Url.Scheme == "https" ? "wss" : "ws";
        var uri = new Uri($"{scheme}://{_options.Url.Authority}/v1/ws");
        if (_sourceBound is null)
        {
            await socket.ConnectAsync(uri, cancellationToken);
        }
        else
        {
            await socket.ConnectAsync(uri, _sourceBound, cancellationToken);
        }

        return socket;
    }

    private bool Validate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || _options.Fingerprint is null)
        {
            return false;
        }

        var expected = _options.Fingerprint.StartsWith("SHA256", StringComparison.OrdinalIgnoreCase)
            ? _options.Fingerprint[6..]
            : _options.Fingerprint;
        var actual = SHA256.HashData(certificate.GetRawCertData());
        return CryptographicOperations.FixedTimeEquals(actual, Convert.FromHexString(expected));
    }
}
