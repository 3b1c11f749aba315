using Parley.Client.Api;
using Parley.Client.Transport;

namespace Parley.Client.Relay;

/// <summary>
/// Opens the relay socket over the profile's pinned TLS transport with its session token, after a
/// check that must pass first (the account's identity is still ours).
/// </summary>
internal sealed class PinnedRelayConnector : IRelayConnector
{
    private readonly PinnedTransport _transport;
    private readonly Func<string> _token;
    private readonly Diagnostics.ProtocolTrace? _trace;
    private readonly Func<CancellationToken, Task> _beforeConnect;

    public PinnedRelayConnector(PinnedTransport transport, Func<string> token, Diagnostics.ProtocolTrace? trace, Func<CancellationToken, Task> beforeConnect)
    {
        _transport = transport;
        _token = token;
        _trace = trace;
        _beforeConnect = beforeConnect;
    }

    public async Task<RelayConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        await _beforeConnect(cancellationToken).ConfigureAwait(false);
        var socket = await _transport.ConnectWebSocketAsync(Routes.RelaySocket, _token(), cancellationToken).ConfigureAwait(false);
        return new RelayConnection(socket, _trace);
    }
}
