using System.Net.WebSockets;
using System.Security.Cryptography;
using Parley.Server.Authentication;

namespace Parley.Server.Relay;

/// <summary>
/// Closes the socket opened with a revoked session (logout of that token) or, when every session of
/// an account is revoked (password change, deletion), the account's socket — with 1008 "session
/// ended". A revoked token already cannot open a new socket.
/// </summary>
public sealed class RelaySessionRevocation : ISessionRevocationListener
{
    private readonly ConnectionRegistry _registry;

    /// <summary>Creates the listener.</summary>
    public RelaySessionRevocation(ConnectionRegistry registry) => _registry = registry;

    /// <inheritdoc />
    public Task OnSessionsRevokedAsync(SessionRevocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        if (_registry.TryGet(revocation.AccountId.Value, out var connection)
            && (revocation.TokenHash is null
                || (connection.SessionTokenHash is { } hash && CryptographicOperations.FixedTimeEquals(hash, revocation.TokenHash))))
        {
            connection.Terminate(WebSocketCloseStatus.PolicyViolation, "session ended");
        }

        return Task.CompletedTask;
    }
}
