using Parley.Client.Api;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Client.Storage;

namespace Parley.Client.Accounts;

/// <summary>The account of a logged-in profile: logging out, changing the password, deleting it.</summary>
public sealed class AccountService
{
    private readonly ParleyClient _client;
    private readonly ProfileContext _context;
    private readonly StoreKey _storeKey;

    internal AccountService(ParleyClient client, ProfileContext context, StoreKey storeKey)
    {
        _client = client;
        _context = context;
        _storeKey = storeKey;
    }

    /// <summary>
    /// Changes the password: proves the current one to the server (SRP), replaces the verifier there —
    /// which revokes every other session of the account — keeps this one logged in with the new
    /// token, and re-wraps the local store's key under the new password.
    /// </summary>
    /// <param name="currentPassword">The current password (checked against the local key file first).</param>
    /// <param name="newPassword">The new password (strength is the caller's policy).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when both the server and the key file use the new password.</returns>
    /// <exception cref="ParleyClientException"><see cref="ClientErrorKind.WrongPassword"/> when the current password is wrong.</exception>
    public async Task ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(currentPassword);
        ArgumentException.ThrowIfNullOrEmpty(newPassword);
        _context.RequireToken();

        // A wrong current password is found locally, without spending one of the server's login attempts.
        KeyFile.Unwrap(File.ReadAllBytes(_context.Profile.KeyFilePath), currentPassword).Dispose();

        // The new key file is computed before the server changes anything; written only after it did.
        var wrapped = KeyFile.Wrap(_storeKey, newPassword, _context.Options.StoreKdf);
        var token = await SrpLogin.ChangePasswordAsync(_context.Api, _context.User, currentPassword, newPassword, cancellationToken).ConfigureAwait(false);
        FileModes.WritePrivateFileAtomically(_context.Profile.KeyFilePath, wrapped);
        await _context.Locked(() => _context.SaveToken(token), CancellationToken.None).ConfigureAwait(false);
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
