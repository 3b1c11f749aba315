using Parley.Client.Accounts;
using Parley.Client.Calls;
using Parley.Client.Contacts;
using Parley.Client.Conversations;
using Parley.Client.Errors;
using Parley.Client.Identity;
using Parley.Client.Presence;
using Parley.Client.Profiles;
using Parley.Client.Relay;
using Parley.Client.Session;
using Parley.Client.Storage;
using Parley.Client.Transfers;
using Parley.Client.Transport;

namespace Parley.Client;

/// <summary>
/// A logged-in profile: its encrypted store, its one <see cref="RelayLink"/> to the server, and the
/// feature services that are policies over them — <see cref="Accounts"/>, <see cref="Contacts"/>,
/// <see cref="Identity"/>, <see cref="Keys"/>, <see cref="Conversations"/>, <see cref="Presence"/>,
/// <see cref="Transfers"/> <see cref="Calls"/> (groups and devices join here as further services). A command
/// opens one (<see cref="Resume"/>, <see cref="LoginAsync"/>, <see cref="RegisterAsync"/>), uses it and
/// disposes it; the link then connects once, when a service first needs the server. A daemon keeps
/// one per profile, calls <see cref="RelayLink.Start"/> on its <see cref="Link"/> and subscribes to
/// <see cref="Events"/>. Services serialise their store work themselves, so they may be called concurrently.
/// </summary>
public sealed class ParleyClient : IAsyncDisposable
{
    private readonly StoreKey _storeKey;
    private readonly Outbox _outbox;
    private int _disposed;
    private bool _lost;

    private ParleyClient(ProfileContext context, StoreKey storeKey, Uri server, ServerFingerprint pin)
    {
        Context = context;
        _storeKey = storeKey;
        Server = server;
        ServerFingerprint = pin;
        Keys = new KeyDirectory(context);
        Identity = new IdentityService(context, Keys);
        Contacts = new ContactService(context, Identity);
        var outbox = _outbox = new Outbox(context);
        var receipts = new Receipts(context);
        Calls = new CallService(context);
        var inbox = new Inbox(context, outbox, receipts, Contacts, Identity, Keys, Calls);
        var backoff = new ReconnectBackoff(context.Options.ReconnectFirstDelay, context.Options.ReconnectMaxDelay);
        Link = new RelayLink(new PinnedRelayConnector(context.Transport, context.RequireToken, context.Options.Trace, Keys.CheckIdentityAsync), inbox, context.Options.RequestTimeout, backoff, context.Time);
        Link.StateChanged += OnLinkStateChanged;
        Conversations = new ConversationService(context, Link, outbox, inbox, receipts, Contacts, Keys);
        Presence = new PresenceService(context, Link);
        Transfers = new TransferService(context, Conversations);
        Calls.Attach(Link, Conversations);
        Sessions = new SessionService(context, Link, outbox, Contacts);
        Accounts = new AccountService(this, context, storeKey);
    }

    /// <summary>The logged-in user.</summary>
    public UserName User => Context.Profile.User;

    /// <summary>The server's base address.</summary>
    public Uri Server { get; }

    /// <summary>The pinned certificate fingerprint of the server.</summary>
    public ServerFingerprint ServerFingerprint { get; }

    /// <summary>The local store (for tools and tests that need direct access; take care, services hold it by turns).</summary>
    public ClientStore Store => Context.Store;

    /// <summary>The profile's one relay connection.</summary>
    public RelayLink Link { get; }

    /// <summary>Everything that happens to this profile, as it happens.</summary>
    public ClientEvents Events => Context.Events;

    /// <summary>Logout, password change and account deletion.</summary>
    public AccountService Accounts { get; }

    /// <summary>Contact requests, the contact list, blocking.</summary>
    public ContactService Contacts { get; }

    /// <summary>Contacts' identity keys: safety numbers, verification, key changes.</summary>
    public IdentityService Identity { get; }

    /// <summary>Our keys on the server's directory, and contacts' bundles.</summary>
    public KeyDirectory Keys { get; }

    /// <summary>Sending, history, typing, receiving.</summary>
    public ConversationService Conversations { get; }

    /// <summary>Who is online; the profile's status.</summary>
    public PresenceService Presence { get; }

    /// <summary>Encrypted file upload and download.</summary>
    public TransferService Transfers { get; }

    /// <summary>1:1 calls: the state machine, encrypted signalling, call history, TURN credentials.</summary>
    public CallService Calls { get; }

    /// <summary>The secure session with each contact: end it (<c>parley disconnect</c>).</summary>
    public SessionService Sessions { get; }

    internal ProfileContext Context { get; }

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
    public static Task<ParleyClient> RegisterAsync(
        ParleyHome home, UserName user, Uri server, string password, ServerTrustPolicy trust, ClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(options);
        return ProfileSetup.RegisterAsync(home, user, server, password, trust, options, cancellationToken);
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
    /// <param name="replaceIdentity">
    /// When the home already has the profile: publish its identity again in place of the one another
    /// installation put on the server (otherwise such a login fails with <see cref="ClientErrorKind.IdentityReplaced"/>).
    /// </param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The logged-in client.</returns>
    public static Task<ParleyClient> LoginAsync(
        ParleyHome home, UserName user, Uri server, string password, ServerTrustPolicy trust, ClientOptions options, bool replaceIdentity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trust);
        return ProfileSetup.LoginAsync(home, user, server, password, trust, options, replaceIdentity, cancellationToken);
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

    /// <summary>Closes the link (waiting for a frame in progress to be stored), then the store; wipes the store key.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Link.StateChanged -= OnLinkStateChanged;
        await Calls.DisposeAsync().ConfigureAwait(false); // hangs up a call in progress while the link still runs
        await Link.DisposeAsync().ConfigureAwait(false);
        await Context.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false); // let store work in progress finish
        _outbox.Dispose();
        Context.Dispose();
        _storeKey.Dispose();
    }

    internal static ParleyClient Open(ParleyHome home, Profile profile, StoreKey key, ClientOptions options)
    {
        ClientStore? store = null;
        try
        {
            var settings = profile.ReadSettings();
            store = ClientStore.Open(profile.DatabasePath, key);
            var context = new ProfileContext(home, profile, settings, store, options);
            return new ParleyClient(context, key, settings.Server, context.Transport.Pin);
        }
        catch
        {
            store?.Dispose();
            key.Dispose();
            throw;
        }
    }

    private void OnLinkStateChanged(RelayLinkState state)
    {
        if (state == RelayLinkState.Disconnected && Link.IsPersistent && !_lost)
        {
            _lost = true;
            Context.Events.Emit(new ClientEvent { Kind = ClientEventKind.ConnectionLost, Peer = string.Empty });
        }
        else if (state == RelayLinkState.Connected && _lost)
        {
            _lost = false;
            Context.Events.Emit(new ClientEvent { Kind = ClientEventKind.ConnectionRestored, Peer = string.Empty });
        }
    }
}
