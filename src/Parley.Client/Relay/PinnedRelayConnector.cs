using Parley.Client.Api;
using Parley.Client.Transport;

namespace Parley.Client.Relay;

/// <summary>Opens the relay socket over the profile's pinned TLS transport with its session token.</summary>
internal sealed class PinnedRelayConnector : IRelayConnector
{
    private readonly PinnedTransport _transport;
    private readonly Func<string> _token;
    private readonly Diagnostics.ProtocolTrace? _trace;

    public PinnedRelayConnector(PinnedTransport transport, Func<string> token, Diagnostics.ProtocolTrace? trace)
    {
        _transport = transport;
        _token = token;
        _trace = trace;
    }

    public async Task<RelayConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = await _transport.ConnectWebSocketAsync(Routes.RelaySocket, _token(), cancellationToken).ConfigureAwait(false);
        return new RelayConnection(socket, _trace);
    }
}
