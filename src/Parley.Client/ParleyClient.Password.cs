using Parley.Client.Api;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Client.Storage;

namespace Parley.Client;

/// <summary>Changing the account password: the server's verifier and the local key file together.</summary>
public sealed partial class ParleyClient
{
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
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireToken();

        // A wrong current password is found locally, without spending one of the server's login attempts.
        KeyFile.Unwrap(File.ReadAllBytes(_profile.KeyFilePath), currentPassword).Dispose();

        // The new key file is computed before the server changes anything; written only after it did.
        var wrapped = KeyFile.Wrap(_storeKey, newPassword, _options.StoreKdf);
        var token = await SrpLogin.ChangePasswordAsync(_api, User.Value, currentPassword, newPassword, cancellationToken).ConfigureAwait(false);
        FileModes.WritePrivateFileAtomically(_profile.KeyFilePath, wrapped);
        SaveToken(token);
    }
}
