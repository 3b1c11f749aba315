using Parley.Crypto.Agreement;
using Parley.Crypto.Bundles;
using Parley.Crypto.Ratchet;

namespace Parley.Crypto.Session;

/// <summary>
/// Starts sessions as the initiator: verifies a contact's prekey bundle, checks the contact's
/// identity against the trusted one (TOFU), negotiates the suite from the bundle's signed list,
/// runs the hybrid agreement and stores a session whose messages carry the agreement header until
/// the contact answers.
/// </summary>
/// <remarks>
/// The Parley.Crypto.Session namespace is what the client SDK uses: it owns the message envelope,
/// the session record and the store interfaces, and combines agreement and ratchet. It does no I/O;
/// every byte in or out goes through the stores.
/// </remarks>
public sealed class SessionBuilder
{
    private readonly IIdentityStore _identities;
    private readonly ISessionStore _sessions;
    private readonly string _remoteAccountId;

    /// <summary>Creates a builder for sessions with <paramref name="remoteAccountId"/>.</summary>
    /// <param name="identities">Our identity and trusted contacts.</param>
    /// <param name="sessions">Where the new session is stored.</param>
    /// <param name="remoteAccountId">The contact's account id (normalized username).</param>
    public SessionBuilder(IIdentityStore identities, ISessionStore sessions, string remoteAccountId)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentException.ThrowIfNullOrEmpty(remoteAccountId);
        _identities = identities;
        _sessions = sessions;
        _remoteAccountId = remoteAccountId;
    }

    /// <summary>Our suites, most preferred first: ChaCha20-Poly1305 (suite 1), then AES-256-GCM (suite 2).</summary>
    public static IReadOnlyList<CipherSuite> DefaultPreference => CipherSuites.All;

    /// <summary>
    /// Verifies <paramref name="bundle"/> and stores a new session with its owner, replacing any
    /// earlier one. On failure nothing is stored and the error says why.
    /// </summary>
    /// <param name="bundle">The contact's bundle as fetched from the server.</param>
    /// <param name="error">Why the bundle was refused, or <see cref="SessionError.None"/>.</param>
    /// <param name="preference">Our suites, most preferred first; null for <see cref="DefaultPreference"/>.</param>
    /// <returns>True when a session was stored.</returns>
    public bool TryProcessBundle(PreKeyBundle bundle, out SessionError error, IReadOnlyList<CipherSuite>? preference = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        // Every signature of the bundle is verified by HybridAgreement.Initiate below (once, not twice).
        if (!string.Equals(bundle.AccountId, _remoteAccountId, StringComparison.Ordinal))
        {
            error = SessionError.InvalidPreKeyBundle;
            return false;
        }

        if (_identities.GetTrust(_remoteAccountId, bundle.IdentityKey) == IdentityTrust.Changed)
        {
            error = SessionError.UntrustedIdentity;
            return false;
        }

        CipherSuite? suite = CipherSuites.Negotiate(preference ?? DefaultPreference, bundle.Suites);
        if (suite is null)
        {
            error = SessionError.NoCommonCipherSuite;
            return false;
        }

        AgreementResult agreement;
        try
        {
            agreement = HybridAgreement.Initiate(_identities.GetIdentityKeyPair(), _identities.LocalAccountId, bundle, suite.Value);
        }
        catch (AgreementException e)
        {
            error = e.Failure == AgreementFailure.UnsupportedSuite ? SessionError.NoCommonCipherSuite : SessionError.InvalidPreKeyBundle;
            return false;
        }

        SessionState state;
        using (agreement)
        using (RootKey root = RootKey.FromBytes(agreement.RootKey))
        {
            state = new SessionState(suite.Value, bundle.IdentityKey, agreement.Header.EphemeralKey.ToArray(), agreement.Header.Serialize(),
                DoubleRatchet.CreateInitiator(root, CipherSuites.AeadOf(suite.Value), agreement.SignedPreKeyPublic, agreement.AssociatedData));
        }

        // The new session becomes current; earlier ones stay so messages still in flight decrypt.
        byte[]? existing = _sessions.LoadSession(_remoteAccountId);
        SessionRecord? record = null;
        if (existing is not null && SessionRecord.TryParse(existing, out record))
        {
            record.Promote(state);
        }

        using (record ??= SessionRecord.Create(state))
        {
            _sessions.StoreSession(_remoteAccountId, record.Serialize());
        }

        if (_identities.GetRemoteIdentity(_remoteAccountId) is null)
        {
            _identities.SaveRemoteIdentity(_remoteAccountId, bundle.IdentityKey);
        }

        error = SessionError.None;
        return true;
    }
}
