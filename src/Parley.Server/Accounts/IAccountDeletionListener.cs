namespace Parley.Server.Accounts;

/// <summary>
/// Told when an account is about to be deleted, after its sessions are revoked and before its row
/// (and, by cascade, its keys) goes. Features that keep per-account data outside the cascade — the
/// relay's queue, contacts, files on disk — register one with
/// <c>services.AddSingleton&lt;IAccountDeletionListener, …&gt;()</c> and delete it here. A listener
/// that throws stops the deletion (the user may retry); listeners must be idempotent.
/// </summary>
public interface IAccountDeletionListener
{
    /// <summary>Deletes this feature's data of the account.</summary>
    Task OnAccountDeletingAsync(AccountId account, CancellationToken cancellationToken);
}
