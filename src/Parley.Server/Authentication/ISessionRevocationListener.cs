using Parley.Server.Accounts;

namespace Parley.Server.Authentication;

/// <summary>Which sessions were just revoked.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="TokenHash">SHA-256 of the one revoked token (logout), or null when every session of the account went (password change, deletion).</param>
public sealed record SessionRevocation(AccountId AccountId, byte[]? TokenHash);

/// <summary>
/// Told after sessions are revoked, so long-lived connections opened with them can be closed: the
/// relay keeps <c>HttpContext.GetSession().TokenHash</c> of each socket and closes the matching ones.
/// Register with <c>services.AddSingleton&lt;ISessionRevocationListener, …&gt;()</c>. Listeners must not
/// throw for unknown accounts; a failing listener is logged and does not undo the revocation.
/// </summary>
public interface ISessionRevocationListener
{
    /// <summary>Reacts to a revocation.</summary>
    Task OnSessionsRevokedAsync(SessionRevocation revocation, CancellationToken cancellationToken);
}

/// <summary>Notifies every <see cref="ISessionRevocationListener"/>.</summary>
public sealed partial class SessionRevocations(IEnumerable<ISessionRevocationListener> listeners, ILogger<SessionRevocations> logger)
{
    /// <summary>Notifies all listeners; exceptions are logged, not thrown (the sessions are already gone).</summary>
    public async Task NotifyAsync(SessionRevocation revocation, CancellationToken cancellationToken)
    {
        foreach (var listener in listeners)
        {
            try
            {
                await listener.OnSessionsRevokedAsync(revocation, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A listener's failure must not turn a completed logout into an error.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogListenerFailed(logger, listener.GetType().Name, e);
            }
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "Session revocation listener {Listener} failed")]
    private static partial void LogListenerFailed(ILogger logger, string listener, Exception exception);
}
