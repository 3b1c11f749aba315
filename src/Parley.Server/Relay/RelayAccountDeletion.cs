using Parley.Server.Accounts;
using Parley.Server.Contacts;

namespace Parley.Server.Relay;

/// <summary>
/// When an account is deleted: its socket is closed, its queue and every message it sent that is
/// still queued are deleted, and it leaves every contact list. Idempotent.
/// </summary>
public sealed class RelayAccountDeletion : IAccountDeletionListener
{
    private readonly GroupCommitWriter _writer;
    private readonly ContactService _contacts;
    private readonly ConnectionRegistry _registry;

    /// <summary>Creates the listener.</summary>
    public RelayAccountDeletion(GroupCommitWriter writer, ContactService contacts, ConnectionRegistry registry)
    {
        _writer = writer;
        _contacts = contacts;
        _registry = registry;
    }

    /// <inheritdoc />
    public async Task OnAccountDeletingAsync(AccountId account, CancellationToken cancellationToken)
    {
        if (_registry.TryGet(account.Value, out var connection))
        {
            connection.Terminate(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, "session ended");
        }

        await _writer.MaintainAsync((store, ct) => store.DeleteAccountAsync(account.Value, ct)).WaitAsync(cancellationToken);
        await _contacts.DeleteAccountAsync(account.Value, cancellationToken);
    }
}
