using Parley.Client.Api;
using Parley.Client.Errors;
using Parley.Client.Identity;
using Parley.Client.Profiles;
using Parley.Client.Storage;
using Parley.Client.Transport;

namespace Parley.Client;

/// <summary>Registration and login: server trust, SRP, the local profile and its keys.</summary>
public sealed partial class ParleyClient
{
    /// <summary>
    /// Registers <paramref name="user"/> on <paramref name="server"/>, creates the local profile
    /// (encrypted store, identity and prekeys), publishes the public keys and logs in.
    /// </summary>
    /// <param name="home">The installation.</param>
    /// <param name="user">The user name.</param>
    /// <param name="server">The server's https address.</param>
    /// <param name="password">The password (strength is the caller's policy).</param>
    /// <param name="trust">How to decide to trust the server's certificate.</param>
    /// <param name="options">Client options.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The logged-in client.</returns>
    public static async Task<ParleyClient> RegisterAsync(
        ParleyHome home, UserName user, Uri server, string password, ServerTrustPolicy trust, ClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(options);
        var profile = home.GetProfile(user);
        if (profile.Exists)
        {
            throw new ParleyClientException(ClientErrorKind.ProfileExists);
        }

        var pin = await EstablishTrustAsync(server, trust, options, cancellationToken).ConfigureAwait(false);
        using (var transport = new PinnedTransport(server, pin, options.RequestTimeout))
        {
            await SrpLogin.RegisterAsync(new ServerApi(transport, null), user.Value, password, cancellationToken).ConfigureAwait(false);
        }

        return await CreateProfileAsync(home, profile, server, pin, password, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Logs in: proves the password to the server (SRP), then unlocks the local profile with it —
    /// or, on an installation that has no profile for this user yet, creates one with a new device
    /// identity (contacts will see a key change).
    /// </summary>
    /// <param name="home">The installation.</param>
    /// <param name="user">The user name.</param>
    /// <param name="server">The server's https address.</param>
    /// <param name="password">The password.</param>
    /// <param name="trust">How to decide to trust the server's certificate (first contact only).</param>
    /// <param name="options">Client options.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The logged-in client.</returns>
    public static async Task<ParleyClient> LoginAsync(
        ParleyHome home, UserName user, Uri server, string password, ServerTrustPolicy trust, ClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trust);
        var profile = home.GetProfile(user);
        if (!profile.Exists)
        {
            var firstPin = await EstablishTrustAsync(server, trust, options, cancellationToken).ConfigureAwait(false);
            return await CreateProfileAsync(home, profile, server, firstPin, password, options, cancellationToken, login: true).ConfigureAwait(false);
        }

        var settings = profile.ReadSettings();
        if (!ServerFingerprint.TryParse(settings.ServerFingerprint, out var pin))
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
        }

        if (!SameServer(settings.Server, server))
        {
            throw new ParleyClientException(ClientErrorKind.ProfileOnOtherServer);
        }

        if (trust.Expected is { } expected && expected != pin)
        {
            throw new ParleyClientException(ClientErrorKind.CertificateChanged);
        }

        string token;
        using (var transport = new PinnedTransport(settings.Server, pin, options.RequestTimeout))
        {
            (token, var cookie) = await SrpLogin.LoginAsync(new ServerApi(transport, null), user.Value, password, profile.ReadDeviceCookie(), cancellationToken)
                .ConfigureAwait(false);
            profile.WriteDeviceCookie(cookie);
        }

        var key = KeyFile.Unwrap(File.ReadAllBytes(profile.KeyFilePath), password);
        var client = Open(home, profile, key, options);
        try
        {
            client.SaveToken(token);
            options.KeyCache.Save(profile, client._storeKey);
            home.SetCurrentProfile(user);
            await client.ReplenishPreKeysAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<ParleyClient> CreateProfileAsync(
        ParleyHome home, Profile profile, Uri server, ServerFingerprint pin, string password, ClientOptions options, CancellationToken cancellationToken, bool login = false)
    {
        string token;
        string? cookie;
        using (var transport = new PinnedTransport(server, pin, options.RequestTimeout))
        {
            (token, cookie) = await SrpLogin.LoginAsync(new ServerApi(transport, null), profile.User.Value, password, null, cancellationToken).ConfigureAwait(false);
        }

        ParleyClient? client = null;
        try
        {
            profile.WriteSettings(new ProfileSettings { UserName = profile.User.Value, Server = server, ServerFingerprint = pin.ToString() });
            profile.WriteDeviceCookie(cookie);
            var key = StoreKey.Generate();
            FileModes.WritePrivateFileAtomically(profile.KeyFilePath, KeyFile.Wrap(key, password, options.StoreKdf));
            var keys = CreateStoreWithIdentity(profile, key, options);
            client = Open(home, profile, key, options);
            client.SaveToken(token);
            await client.PublishKeysAsync(keys, replace: login, cancellationToken).ConfigureAwait(false);
            options.KeyCache.Save(profile, client._storeKey);
            home.SetCurrentProfile(profile.User);
            return client;
        }
        catch
        {
            client?.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            profile.Delete();
            throw;
        }
    }

    private static LocalKeys.PublicKeys CreateStoreWithIdentity(Profile profile, StoreKey key, ClientOptions options)
    {
        using var store = ClientStore.Create(profile.DatabasePath, key);
        LocalKeys.PublicKeys keys = null!;
        store.InTransaction(() => keys = LocalKeys.CreateIdentity(store, options.OneTimePreKeyBatch, DateTimeOffset.UtcNow));
        return keys;
    }

    /// <summary>Connects once to learn the fingerprint of the certificate the server presents (nothing is sent or trusted).</summary>
    /// <param name="server">The server's https address.</param>
    /// <param name="options">Client options (timeout).</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The fingerprint, to show the user before trusting it.</returns>
    public static Task<ServerFingerprint> ProbeServerAsync(Uri server, ClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PinnedTransport.ProbeAsync(server, options.RequestTimeout, cancellationToken);
    }

    /// <summary>Probes the server's certificate and decides whether to pin it.</summary>
    private static async Task<ServerFingerprint> EstablishTrustAsync(Uri server, ServerTrustPolicy trust, ClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(trust);
        var seen = await PinnedTransport.ProbeAsync(server, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (trust.Expected is { } expected)
        {
            return expected == seen ? seen : throw new ParleyClientException(ClientErrorKind.CertificateChanged);
        }

        if (trust.ConfirmFirstUse is { } ask)
        {
            return ask(seen) ? seen : throw new ParleyClientException(ClientErrorKind.CertificateNotTrusted);
        }

        throw new ParleyClientException(ClientErrorKind.CertificateNotTrusted);
    }

    private static bool SameServer(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) &&
        a.Port == b.Port;

    private void SaveToken(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        _store.PutSecret(AuthSpace, TokenName, System.Text.Encoding.UTF8.GetBytes(token));
        _api.Token = token;
    }

    /// <summary>
    /// Deletes the account on the server (after proving the password again), then this profile's
    /// local data and unlocked key. Contacts who register a new account under the same name later
    /// will see a key change.
    /// </summary>
    /// <param name="password">The account password.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the account and the profile are gone.</returns>
    public async Task DeleteAccountAsync(string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireToken();
        await SrpLogin.DeleteAccountAsync(_api, User.Value, password, cancellationToken).ConfigureAwait(false);
        _options.KeyCache.Forget(_profile);
        _home.ClearCurrentProfile(_profile.User);
        Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _profile.Delete();
    }
}
