using Parley.Client.Api;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Client.Session;
using Parley.Client.Storage;
using Parley.Client.Transport;

namespace Parley.Client;

/// <summary>
/// A logged-in profile: the encrypted store, the pinned connection to its server, and the key
/// stores the session layer works on. The command line and (later) the web UI drive everything
/// through this class. Create one with <see cref="RegisterAsync"/>, <see cref="LoginAsync"/> or
/// <see cref="Resume"/>; dispose it when the command ends (the store key stays cached until
/// <see cref="LogoutAsync"/>).
/// </summary>
public sealed partial class ParleyClient : IAsyncDisposable, IDisposable
{
    private const string AuthSpace = "auth";
    private const string TokenName = "token";

    private readonly ParleyHome _home;
    private readonly Profile _profile;
    private readonly StoreKey _storeKey;
    private readonly ClientStore _store;
    private readonly ClientKeyStores _keys;
    private readonly PinnedTransport _transport;
    private readonly ServerApi _api;
    private readonly ClientOptions _options;
    private bool _disposed;

    private ParleyClient(ParleyHome home, Profile profile, ProfileSettings settings, StoreKey storeKey, ClientStore store, ClientOptions options)
    {
        _home = home;
        _profile = profile;
        _storeKey = storeKey;
        _store = store;
        _options = options;
        if (!ServerFingerprint.TryParse(settings.ServerFingerprint, out var pin))
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
        }

        ServerFingerprint = pin;
        Server = settings.Server;
        _keys = new ClientKeyStores(store, profile.User.Value);
        _transport = new PinnedTransport(settings.Server, pin, options.RequestTimeout);
        var token = store.GetSecret(AuthSpace, TokenName);
        _api = new ServerApi(_transport, token is null ? null : System.Text.Encoding.UTF8.GetString(token));
    }

    /// <summary>The logged-in user.</summary>
    public UserName User => _profile.User;

    /// <summary>The server's base address.</summary>
    public Uri Server { get; }

    /// <summary>The pinned certificate fingerprint of the server.</summary>
    public ServerFingerprint ServerFingerprint { get; }

    /// <summary>The local store (for tools that need direct access, e.g. file transfers).</summary>
    public ClientStore Store => _store;

    /// <summary>
    /// Opens the logged-in profile <paramref name="user"/> (or the current profile) using the store
    /// key cached at login. No password and no network.
    /// </summary>
    /// <param name="home">The installation.</param>
    /// <param name="user">A profile name, or null for the current profile.</param>
    /// <param name="options">Client options.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ParleyClientException">With <see cref="ClientErrorKind.NotLoggedIn"/> when the profile is logged out.</exception>
    public static ParleyClient Resume(ParleyHome home, string? user, ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(options);
        var profile = home.RequireProfile(user);
        var key = options.KeyCache.TryLoad(profile) ?? throw new ParleyClientException(ClientErrorKind.NotLoggedIn);
        return Open(home, profile, key, options);
    }

    /// <summary>Revokes the server session (best effort when the server is unreachable) and forgets the unlocked key.</summary>
    /// <param name="cancellationToken">Cancels the revocation request.</param>
    /// <returns>A task that completes when logged out.</returns>
    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            if (_api.Token is not null)
            {
                await _api.SendAsync(HttpMethod.Post, Routes.Logout, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ParleyClientException e) when (e.Kind is ClientErrorKind.ServerUnreachable or ClientErrorKind.NotLoggedIn)
        {
            // The local logout must still happen: the token is deleted below, and it expires on the server.
        }

        _store.RemoveSecret(AuthSpace, TokenName);
        _api.Token = null;
        _options.KeyCache.Forget(_profile);
        _home.ClearCurrentProfile(_profile.User);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _keys.Dispose();
        _store.Dispose();
        _transport.Dispose();
        _storeKey.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static ParleyClient Open(ParleyHome home, Profile profile, StoreKey key, ClientOptions options)
    {
        ClientStore? store = null;
        try
        {
            var settings = profile.ReadSettings();
            store = ClientStore.Open(profile.DatabasePath, key);
            return new ParleyClient(home, profile, settings, key, store, options);
        }
        catch
        {
            store?.Dispose();
            key.Dispose();
            throw;
        }
    }

    private string RequireToken() => _api.Token ?? throw new ParleyClientException(ClientErrorKind.NotLoggedIn);
}
