using Parley.Client;
using Parley.Client.Profiles;
using Parley.Daemon.Api;
using Parley.Daemon.Profiles;

namespace Parley.Daemon.Local;

/// <summary>
/// The API in the command's own process, for when no daemon runs: each call opens the profile's
/// store with the cached key, does its work (connecting to the server when it needs to) and closes
/// it again — what every <c>parley</c> command did before the daemon existed.
/// </summary>
public sealed class LocalApi : IParleyApi
{
    private readonly ParleyHome _home;
    private readonly ClientOptions _options;

    /// <summary>Creates the API over <paramref name="home"/>.</summary>
    /// <param name="home">The installation.</param>
    /// <param name="options">Client options.</param>
    public LocalApi(ParleyHome home, ClientOptions options)
    {
        _home = home;
        _options = options;
    }

    /// <inheritdoc />
    public async Task<AccountResult> RegisterAsync(AccountParams p, CancellationToken ct)
    {
        await using var client = await AccountOperations.OpenAsync(_home, _options, p, register: true, ct).ConfigureAwait(false);
        return AccountOperations.LoggedIn(client);
    }

    /// <inheritdoc />
    public async Task<AccountResult> LoginAsync(AccountParams p, CancellationToken ct)
    {
        await using var client = await AccountOperations.OpenAsync(_home, _options, p, register: false, ct).ConfigureAwait(false);
        return AccountOperations.LoggedIn(client);
    }

    /// <inheritdoc />
    public async Task<AccountResult> LogoutAsync(ProfileParams p, CancellationToken ct)
    {
        await using var client = Open(p);
        await client.Accounts.LogoutAsync(ct).ConfigureAwait(false);
        return new AccountResult { User = client.User.Value, LoggedIn = false };
    }

    /// <inheritdoc />
    public Task<AccountResult> WhoAmIAsync(ProfileParams p, CancellationToken ct) => With(p, ops => Task.FromResult(ops.WhoAmI()));

    /// <inheritdoc />
    public async Task<AccountResult> DeleteAccountAsync(AccountDeleteParams p, CancellationToken ct)
    {
        var client = Open(p);
        var name = client.User.Value;
        try
        {
            await client.Accounts.DeleteAccountAsync(p.Password, ct).ConfigureAwait(false);
        }
        finally
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        return new AccountResult { User = name, Deleted = true };
    }

    /// <inheritdoc />
    public async Task<AccountResult> ChangePasswordAsync(AccountPasswordParams p, CancellationToken ct)
    {
        await using var client = Open(p);
        await AccountOperations.ChangePasswordAsync(client, p, ct).ConfigureAwait(false);
        return new AccountResult { User = client.User.Value, PasswordChanged = true };
    }

    /// <inheritdoc />
    public Task<ContactListResult> ListContactsAsync(ProfileParams p, CancellationToken ct) => With(p, ops => ops.ListContactsAsync(ct));

    /// <inheritdoc />
    public Task<ContactActionResult> RequestContactAsync(ContactRequestParams p, CancellationToken ct) => With(p, ops => ops.RequestContactAsync(p, ct));

    /// <inheritdoc />
    public Task<ContactActionResult> ContactActionAsync(string method, UserParams p, CancellationToken ct) => With(p, ops => ops.ContactActionAsync(method, p, ct));

    /// <inheritdoc />
    public Task<SentResult> SendAsync(SendParams p, CancellationToken ct) => WithMessaging(p, m => m.SendAsync(p, ct));

    /// <inheritdoc />
    public Task<ReceiveResult> ReceiveAsync(ReceiveParams p, Action<EventView> onEvent, CancellationToken ct) => WithMessaging(p, m => m.ReceiveAsync(p, onEvent, ct));

    /// <inheritdoc />
    public Task<HistoryResult> HistoryAsync(HistoryParams p, CancellationToken ct) => With(p, ops => ops.HistoryAsync(p, ct));

    /// <inheritdoc />
    public Task<VerifyResult> VerifyAsync(VerifyParams p, CancellationToken ct) => With(p, ops => ops.VerifyAsync(p, ct));

    /// <inheritdoc />
    public Task<TrustResult> TrustAsync(UserParams p, CancellationToken ct) => With(p, ops => ops.TrustAsync(p, ct));

    /// <inheritdoc />
    public Task<DisconnectResult> DisconnectAsync(UserParams p, CancellationToken ct) => With(p, ops => ops.DisconnectAsync(p, ct));

    /// <inheritdoc />
    public Task<StatusResult> StatusAsync(ProfileParams p, CancellationToken ct) => With(p, ops => ops.StatusAsync(ct));

    /// <inheritdoc />
    public Task<OnlineResult> OnlineAsync(ProfileParams p, CancellationToken ct) => With(p, ops => ops.OnlineAsync(ct));

    /// <inheritdoc />
    public Task<SentResult> SendFileAsync(FileSendParams p, Action<EventView>? onEvent, CancellationToken ct) => With(p, ops => ops.SendFileAsync(p, onEvent, ct));

    /// <inheritdoc />
    public Task<FileGetResult> GetFileAsync(FileGetParams p, Action<EventView>? onEvent, CancellationToken ct) => With(p, ops => ops.GetFileAsync(p, onEvent, ct));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ParleyClient Open(ProfileParams p) => ParleyClient.Resume(_home, p.Profile, _options);

    private async Task<T> With<T>(ProfileParams p, Func<ProfileOperations, Task<T>> action)
    {
        await using var client = Open(p);
        return await action(new ProfileOperations(client)).ConfigureAwait(false);
    }

    private async Task<T> WithMessaging<T>(ProfileParams p, Func<MessagingOperations, Task<T>> action)
    {
        await using var client = Open(p);
        return await action(new MessagingOperations(client, null)).ConfigureAwait(false);
    }
}
