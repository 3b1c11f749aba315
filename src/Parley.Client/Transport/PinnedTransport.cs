using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Parley.Client.Errors;

namespace Parley.Client.Transport;

/// <summary>
/// HTTPS and WebSocket connections to one server whose certificate is pinned by fingerprint. The
/// usual CA checks are replaced by the pin: the server's certificate is self-signed, and trust was
/// decided on first use (or given up front). Any other certificate is refused, and the refusal is
/// reported as <see cref="ClientErrorKind.CertificateChanged"/> rather than as a network failure.
/// </summary>
public sealed class PinnedTransport : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly Diagnostics.TracingHandler? _tracing;
    private volatile bool _mismatchSeen;

    /// <summary>Creates a transport to <paramref name="server"/> that accepts only <paramref name="pin"/>.</summary>
    /// <param name="server">The server's base address (https).</param>
    /// <param name="pin">The pinned fingerprint.</param>
    /// <param name="timeout">The timeout for each HTTP request and for connecting.</param>
    /// <param name="trace">Prints every request (<c>--debug</c>), or null.</param>
    public PinnedTransport(Uri server, ServerFingerprint pin, TimeSpan timeout, Diagnostics.ProtocolTrace? trace = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        Pin = pin;
        _handler = new SocketsHttpHandler
        {
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                RemoteCertificateValidationCallback = Validate,
            },
        };
        _tracing = trace is null ? null : new Diagnostics.TracingHandler(trace, _handler);
        Http = new HttpClient(_tracing ?? (HttpMessageHandler)_handler, disposeHandler: false) { BaseAddress = server, Timeout = timeout };
    }

    /// <summary>The server's base address.</summary>
    public Uri Server { get; }

    /// <summary>The pinned fingerprint.</summary>
    public ServerFingerprint Pin { get; }

    /// <summary>An HTTP client bound to the server and the pin.</summary>
    public HttpClient Http { get; }

    /// <summary>Connects a WebSocket to <paramref name="path"/> over the same pinned TLS settings.</summary>
    /// <param name="path">The path, e.g. <c>/v1/ws</c>.</param>
    /// <param name="bearerToken">The session token sent as <c>Authorization: Bearer</c>.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The open socket.</returns>
    public async Task<ClientWebSocket> ConnectWebSocketAsync(string path, string bearerToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(bearerToken);
        var builder = new UriBuilder(new Uri(Server, path)) { Scheme = Server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" };
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + bearerToken);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            using var invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
            await socket.ConnectAsync(builder.Uri, invoker, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw status == System.Net.HttpStatusCode.Unauthorized ? new ParleyClientException(ClientErrorKind.NotLoggedIn, e) : Translate(e);
        }
    }

    /// <summary>Maps a network exception to the client error users should see.</summary>
    /// <param name="e">The exception from HTTP or WebSocket code.</param>
    /// <returns>The typed error.</returns>
    public ParleyClientException Translate(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is ParleyClientException typed)
        {
            return typed;
        }

        return new ParleyClientException(_mismatchSeen ? ClientErrorKind.CertificateChanged : ClientErrorKind.ServerUnreachable, e);
    }

    /// <summary>
    /// Connects once to learn the certificate a server presents, without trusting it or sending any
    /// request: used on first contact to show the fingerprint or compare it with <c>--trust-server</c>.
    /// </summary>
    /// <param name="server">The server's base address.</param>
    /// <param name="timeout">Connect and handshake timeout.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The fingerprint of the presented certificate.</returns>
    public static async Task<ServerFingerprint> ProbeAsync(Uri server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.Scheme != Uri.UriSchemeHttps)
        {
            throw new ParleyClientException(ClientErrorKind.InvalidInput);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        ServerFingerprint? seen = null;
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(server.Host, server.Port, cts.Token).ConfigureAwait(false);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = server.Host,
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    seen = cert is null ? null : ServerFingerprint.Of(cert);
                    return cert is not null;
                },
            };
            await tls.AuthenticateAsClientAsync(options, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or OperationCanceledException)
        {
            throw new ParleyClientException(ClientErrorKind.ServerUnreachable, e);
        }

        return seen ?? throw new ParleyClientException(ClientErrorKind.ServerUnreachable);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Http.Dispose();
        _tracing?.Dispose();
        _handler.Dispose();
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not null && ServerFingerprint.Of(certificate) == Pin)
        {
            return true;
        }

        _mismatchSeen = true;
        return false;
    }
}
