using Parley.Client.Api;
using Parley.Client.Errors;

namespace Parley.Client.Accounts;

/// <summary>The account of a logged-in profile: logging out and deleting it.</summary>
public sealed class AccountService
{
    private readonly ParleyClient _client;
    private readonly ProfileContext _context;

    internal AccountService(ParleyClient client, ProfileContext context)
    {
        _client = client;
        _context = context;
    }

    /// <summary>Revokes the server session (best effort when the server is unreachable) and forgets the unlocked key.</summary>
    /// <param name="cancellationToken">Cancels the revocation request.</param>
    /// <returns>A task that completes when logged out.</returns>
    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_context.Api.Token is not null)
            {
                await _context.Api.SendAsync(HttpMethod.Post, Routes.Logout, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ParleyClientException e) when (e.Kind is ClientErrorKind.ServerUnreachable or ClientErrorKind.NotLoggedIn)
        {
            // The local logout must still happen: the token is deleted below, and it expires on the server.
        }

        await _context.Locked(_context.ForgetToken, cancellationToken).ConfigureAwait(false);
        _context.Options.KeyCache.Forget(_context.Profile);
        _context.Home.ClearCurrentProfile(_context.Profile.User);
    }

    /// <summary>
    /// Deletes the account on the server (after proving the password again), then this profile's
    /// local data and unlocked key, and disposes the client. Contacts who register a new account
    /// under the same name later will see a key change.
    /// </summary>
    /// <param name="password">The account password.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the account and the profile are gone.</returns>
    public async Task DeleteAccountAsync(string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        _context.RequireToken();
        await SrpLogin.DeleteAccountAsync(_context.Api, _context.User, password, cancellationToken).ConfigureAwait(false);
        _context.Options.KeyCache.Forget(_context.Profile);
        _context.Home.ClearCurrentProfile(_context.Profile.User);
        await _client.DisposeAsync().ConfigureAwait(false);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _context.Profile.Delete();
    }
}
