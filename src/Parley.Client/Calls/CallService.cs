using Parley.Client.Errors;
using Parley.Wire.Rest;

namespace Parley.Client.Calls;

/// <summary>
/// The server side of calls for this profile: TURN relay credentials. (The calls themselves run in
/// <see cref="CallStateMachine"/>; their signalling travels as encrypted messages.)
/// </summary>
public sealed class CallService
{
    private readonly ProfileContext _context;

    internal CallService(ProfileContext context) => _context = context;

    /// <summary>
    /// Fetches fresh TURN credentials (one per call attempt) and checks them with
    /// <see cref="TurnCredentialCheck"/>. Fails with <see cref="ClientErrorKind.CallsNotConfigured"/>
    /// when the server has no relay, <see cref="ClientErrorKind.ProtocolViolation"/> for an answer
    /// that does not pass the check.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The credentials and the relay URIs.</returns>
    public async Task<TurnCredentials> GetTurnCredentialsAsync(CancellationToken cancellationToken)
    {
        _context.RequireToken();
        var credentials = await _context.Api.GetAsync<TurnCredentials>(CallRoutes.TurnCredentials, cancellationToken).ConfigureAwait(false);
        if (!TurnCredentialCheck.IsValid(credentials, _context.Time.GetUtcNow()))
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }
        return credentials;
    }
}
