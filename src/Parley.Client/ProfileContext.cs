using Parley.Client.Api;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Client.Session;
using Parley.Client.Storage;
using Parley.Client.Transport;

namespace Parley.Client;

/// <summary>
/// What every feature service of one profile shares: the store and its key stores, the pinned
/// transport and REST API, the options and clock, the event hub — and the gate. The store is one
/// SQLite connection, and session state must change in the same transaction as the message it
/// protects, so every piece of store work (the link's inbox and any service call) runs while
/// holding <see cref="Gate"/>. Public service methods take it; methods named <c>…Locked</c> expect it held.
/// </summary>
internal sealed class ProfileContext : IDisposable
{
    private const string AuthSpace = "auth";
    private const string TokenName = "token";

    public ProfileContext(ParleyHome home, Profile profile, ProfileSettings settings, ClientStore store, ClientOptions options)
    {
        Home = home;
        Profile = profile;
        Store = store;
        Options = options;
        if (!ServerFingerprint.TryParse(settings.ServerFingerprint, out var pin))
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
        }

        Keys = new ClientKeyStores(store, profile.User.Value);
        Transport = new PinnedTransport(settings.Server, pin, options.RequestTimeout, options.Trace);
        var token = store.GetSecret(AuthSpace, TokenName);
        Api = new ServerApi(Transport, token is null ? null : System.Text.Encoding.UTF8.GetString(token));
    }

    public ParleyHome Home { get; }

    public Profile Profile { get; }

    /// <summary>Our own (normalized) user name, which is also our account id.</summary>
    public string User => Profile.User.Value;

    public ClientStore Store { get; }

    public ClientKeyStores Keys { get; }

    public PinnedTransport Transport { get; }

    public ServerApi Api { get; }

    public ClientOptions Options { get; }

    public TimeProvider Time => Options.Time;

    public ClientEvents Events { get; } = new();

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public string RequireToken() => Api.Token ?? throw new ParleyClientException(ClientErrorKind.NotLoggedIn);

    /// <summary>Stores the session token (sealed) and uses it from now on.</summary>
    public void SaveToken(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        Store.PutSecret(AuthSpace, TokenName, System.Text.Encoding.UTF8.GetBytes(token));
        Api.Token = token;
    }

    /// <summary>Forgets the session token locally.</summary>
    public void ForgetToken()
    {
        Store.RemoveSecret(AuthSpace, TokenName);
        Api.Token = null;
    }

    /// <summary>Runs <paramref name="action"/> holding the gate.</summary>
    public async Task LockedAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Runs <paramref name="action"/> holding the gate and returns its result.</summary>
    public async Task<T> LockedAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Runs synchronous store work holding the gate.</summary>
    public async Task<T> Locked<T>(Func<T> action, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return action();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Runs synchronous store work holding the gate.</summary>
    public async Task Locked(Action action, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            action();
        }
        finally
        {
            Gate.Release();
        }
    }

    public void Dispose()
    {
        Keys.Dispose();
        Store.Dispose();
        Transport.Dispose();
        Gate.Dispose();
    }
}
