namespace Parley.Daemon.Api;

/// <summary>
/// Everything a <c>parley</c> command can do, one method per command. Two implementations: in this
/// process over the local store (no daemon running), or over the daemon's Unix socket. The CLI
/// prints the same results either way, so its output and exit codes do not depend on the daemon.
/// </summary>
public interface IParleyApi : IAsyncDisposable
{
    /// <summary><c>register</c>.</summary>
    Task<AccountResult> RegisterAsync(AccountParams p, CancellationToken ct);

    /// <summary><c>login</c>.</summary>
    Task<AccountResult> LoginAsync(AccountParams p, CancellationToken ct);

    /// <summary><c>logout</c>.</summary>
    Task<AccountResult> LogoutAsync(ProfileParams p, CancellationToken ct);

    /// <summary><c>whoami</c>.</summary>
    Task<AccountResult> WhoAmIAsync(ProfileParams p, CancellationToken ct);

    /// <summary><c>account.delete</c>.</summary>
    Task<AccountResult> DeleteAccountAsync(AccountDeleteParams p, CancellationToken ct);

    /// <summary><c>account.password</c>.</summary>
    Task<AccountResult> ChangePasswordAsync(AccountPasswordParams p, CancellationToken ct);

    /// <summary><c>contacts.list</c>.</summary>
    Task<ContactListResult> ListContactsAsync(ProfileParams p, CancellationToken ct);

    /// <summary><c>contacts.request</c>.</summary>
    Task<ContactActionResult> RequestContactAsync(ContactRequestParams p, CancellationToken ct);

    /// <summary><c>contacts.accept|decline|remove</c>, <c>block</c>, <c>unblock</c> (<paramref name="method"/> is the API method name).</summary>
    Task<ContactActionResult> ContactActionAsync(string method, UserParams p, CancellationToken ct);

    /// <summary><c>send</c>.</summary>
    Task<SentResult> SendAsync(SendParams p, CancellationToken ct);

    /// <summary><c>receive</c>: each message and event goes to <paramref name="onEvent"/> as it comes.</summary>
    Task<ReceiveResult> ReceiveAsync(ReceiveParams p, Action<EventView> onEvent, CancellationToken ct);

    /// <summary><c>history</c>.</summary>
    Task<HistoryResult> HistoryAsync(HistoryParams p, CancellationToken ct);

    /// <summary><c>verify</c>.</summary>
    Task<VerifyResult> VerifyAsync(VerifyParams p, CancellationToken ct);

    /// <summary><c>trust</c>.</summary>
    Task<TrustResult> TrustAsync(UserParams p, CancellationToken ct);

    /// <summary><c>disconnect</c>: ends the secure session with a contact; the next message starts a new one.</summary>
    /// <param name="p">The contact.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>Whether a session was ended.</returns>
    Task<DisconnectResult> DisconnectAsync(UserParams p, CancellationToken ct);

    /// <summary><c>status</c>.</summary>
    Task<StatusResult> StatusAsync(ProfileParams p, CancellationToken ct);

    /// <summary><c>online</c>.</summary>
    Task<OnlineResult> OnlineAsync(ProfileParams p, CancellationToken ct);

    /// <summary><c>files.send</c>; progress goes to <paramref name="onEvent"/> as <c>transfer</c> events.</summary>
    Task<SentResult> SendFileAsync(FileSendParams p, Action<EventView>? onEvent, CancellationToken ct);

    /// <summary><c>files.get</c>; progress goes to <paramref name="onEvent"/> as <c>transfer</c> events.</summary>
    Task<FileGetResult> GetFileAsync(FileGetParams p, Action<EventView>? onEvent, CancellationToken ct);
}
