using Parley.Client.Api;
using Parley.Client.Errors;
using Parley.Client.Identity;
using Parley.Client.Profiles;
using Parley.Client.Storage;
using Parley.Client.Transport;

namespace Parley.Client.Accounts;

/// <summary>Registration and login: server trust, SRP, the local profile and its keys.</summary>
internal static class ProfileSetup
{
    public static async Task<ParleyClient> RegisterAsync(
        ParleyHome home, UserName user, Uri server, string password, ServerTrustPolicy trust, ClientOptions options, CancellationToken cancellationToken)
    {
        var profile = home.GetProfile(user);
        if (profile.Exists)
        {
            throw new ParleyClientException(ClientErrorKind.ProfileExists);
        }

        var pin = await EstablishTrustAsync(server, trust, options, cancellationToken).ConfigureAwait(false);
        using (var transport = new PinnedTransport(server, pin, options.RequestTimeout, options.Trace))
        {
            await SrpLogin.RegisterAsync(new ServerApi(transport, null), user.Value, password, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await CreateProfileAsync(home, profile, server, pin, password, options, login: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ParleyClientException or IOException or UnauthorizedAccessException)
        {
            // The local profile is gone (CreateProfileAsync deletes it); take the half-made account off
            // the server too, so that 'register' can simply be run again.
            await TryDeleteAccountAsync(server, pin, user, password, options, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Best effort: deletes an account whose registration did not complete (a failure here leaves the first error standing).</summary>
    private static async Task TryDeleteAccountAsync(
        Uri server, ServerFingerprint pin, UserName user, string password, ClientOptions options, CancellationToken cancellationToken)
    {
        try
        {
            using var transport = new PinnedTransport(server, pin, options.RequestTimeout, options.Trace);
            var (token, _) = await SrpLogin.LoginAsync(new ServerApi(transport, null), user.Value, password, null, cancellationToken).ConfigureAwait(false);
            await SrpLogin.DeleteAccountAsync(new ServerApi(transport, token), user.Value, password, cancellationToken).ConfigureAwait(false);
        }
        catch (ParleyClientException)
        {
            // Unreachable or refused: nothing more can be done from here.
        }
    }

    public static async Task<ParleyClient> LoginAsync(
        ParleyHome home, UserName user, Uri server, string password, ServerTrustPolicy trust, ClientOptions options, bool replaceIdentity, CancellationToken cancellationToken)
    {
        var profile = home.GetProfile(user);
        if (!profile.Exists)
        {
            var firstPin = await EstablishTrustAsync(server, trust, options, cancellationToken).ConfigureAwait(false);
            return await CreateProfileAsync(home, profile, server, firstPin, password, options, login: true, cancellationToken).ConfigureAwait(false);
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
        using (var transport = new PinnedTransport(settings.Server, pin, options.RequestTimeout, options.Trace))
        {
            (token, var cookie) = await SrpLogin.LoginAsync(new ServerApi(transport, null), user.Value, password, profile.ReadDeviceCookie(), cancellationToken)
                .ConfigureAwait(false);
            profile.WriteDeviceCookie(cookie);
        }

        var key = KeyFile.Unwrap(File.ReadAllBytes(profile.KeyFilePath), password);
        var client = ParleyClient.Open(home, profile, key, options);
        try
        {
            client.Context.SaveToken(token);
            options.KeyCache.Save(profile, key);
            home.SetCurrentProfile(user);
            if (replaceIdentity)
            {
                await client.Keys.ReclaimIdentityAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await client.Keys.ReplenishPreKeysAsync(cancellationToken).ConfigureAwait(false); // IdentityReplaced when another home replaced it
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Probes the server's certificate and decides whether to pin it.</summary>
    public static async Task<ServerFingerprint> EstablishTrustAsync(Uri server, ServerTrustPolicy trust, ClientOptions options, CancellationToken cancellationToken)
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

    private static async Task<ParleyClient> CreateProfileAsync(
        ParleyHome home, Profile profile, Uri server, ServerFingerprint pin, string password, ClientOptions options, bool login, CancellationToken cancellationToken)
    {
        string token;
        string? cookie;
        using (var transport = new PinnedTransport(server, pin, options.RequestTimeout, options.Trace))
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
            client = ParleyClient.Open(home, profile, key, options);
            client.Context.SaveToken(token);
            await client.Keys.PublishAsync(keys, replace: login, cancellationToken).ConfigureAwait(false);
            options.KeyCache.Save(profile, key);
            home.SetCurrentProfile(profile.User);
            return client;
        }
        catch
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            profile.Delete();
            throw;
        }
    }

    private static LocalKeys.PublicKeys CreateStoreWithIdentity(Profile profile, StoreKey key, ClientOptions options)
    {
        using var store = ClientStore.Create(profile.DatabasePath, key);
        LocalKeys.PublicKeys keys = null!;
        store.InTransaction(() => keys = LocalKeys.CreateIdentity(store, options.OneTimePreKeyBatch, options.Time.GetUtcNow()));
        return keys;
    }

    private static bool SameServer(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) &&
        a.Port == b.Port;
}
