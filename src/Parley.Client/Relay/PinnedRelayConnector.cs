using Parley.Client.Api;
using Parley.Client.Transport;

namespace Parley.Client.Relay;

/// <summary>Opens the relay socket over the profile's pinned TLS transport with its session token.</summary>
internal sealed class PinnedRelayConnector : IRelayConnector
{
    private readonly PinnedTransport _transport;
    private readonly Func<string> _token;

    public PinnedRelayConnector(PinnedTransport transport, Func<string> token)
    {
        _transport = transport;
        _token = token;
    }

    public async Task<RelayConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = await _transport.ConnectWebSocketAsync(Routes.RelaySocket, _token(), cancellationToken).ConfigureAwait(false);
        return new RelayConnection(socket);
    }
}
