using Parley.Server.Accounts;

namespace Parley.Server.Files;

/// <summary>Deletes every blob (and unfinished upload) of an account when the account is deleted.</summary>
public sealed class FileAccountDeletionListener(FileService files) : IAccountDeletionListener
{
    /// <inheritdoc />
    public Task OnAccountDeletingAsync(AccountId account, CancellationToken cancellationToken) =>
        files.DeleteAccountFilesAsync(account.ToString(), cancellationToken);
}
