using System.Security.Cryptography;
using Org.BouncyCastle.Security;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Agreement;

/// <summary>
/// X3DH extended with one ML-KEM-1024 encapsulation, in the shape of Signal's PQXDH (PROTOCOL.md
/// section 4). Pure functions: no I/O, no stored state. The caller deletes used one-time prekeys
/// only after the first message has decrypted.
/// </summary>
public static class HybridAgreement
{
    /// <summary>
    /// Starts a session with the owner of <paramref name="theirs"/> using the first suite of
    /// <paramref name="preference"/> that their signed list contains.
    /// </summary>
    /// <param name="ours">The initiator's identity.</param>
    /// <param name="ourAccountId">The initiator's normalized account id.</param>
    /// <param name="theirs">The responder's bundle, as fetched from the server.</param>
    /// <param name="preference">The initiator's suites, most preferred first.</param>
    /// <exception cref="AgreementException">The bundle does not verify, no suite is shared, or a key is unacceptable.</exception>
    public static AgreementResult Initiate(IdentityKeyPair ours, string ourAccountId, PreKeyBundle theirs, IReadOnlyList<CipherSuite> preference)
    {
        ArgumentNullException.ThrowIfNull(theirs);
        var suite = CipherSuites.Negotiate(preference, theirs.Suites) ?? throw new AgreementException(AgreementFailure.UnsupportedSuite);
        return Initiate(ours, ourAccountId, theirs, suite);
    }

    /// <summary>Starts a session with the owner of <paramref name="theirs"/> using <paramref name="suite"/>.</summary>
    /// <param name="ours">The initiator's identity.</param>
    /// <param name="ourAccountId">The initiator's normalized account id.</param>
    /// <param name="theirs">The responder's bundle, as fetched from the server.</param>
    /// <param name="suite">A known suite that the responder's signed list contains.</param>
    /// <exception cref="AgreementException">The bundle does not verify, the suite is not allowed, or a key is unacceptable.</exception>
    public static AgreementResult Initiate(IdentityKeyPair ours, string ourAccountId, PreKeyBundle theirs, CipherSuite suite)
    {
        using var ephemeral = X25519KeyPair.Generate();
        return Initiate(ours, ourAccountId, theirs, suite, ephemeral, MlKem1024.Random);
    }

    /// <summary>The initiator with its ephemeral key and KEM randomness given (known-answer tests only).</summary>
    internal static AgreementResult Initiate(
        IdentityKeyPair ours,
        string ourAccountId,
        PreKeyBundle theirs,
        CipherSuite suite,
        X25519KeyPair ephemeral,
        SecureRandom kemRandom)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(theirs);
        var associatedData = AgreementKdf.AssociatedData(ourAccountId, ours.PublicKey, theirs.AccountId, theirs.IdentityKey);
        if (!theirs.Verify())
        {
            throw new AgreementException(AgreementFailure.InvalidBundle);
        }

        if (!CipherSuites.IsKnown(suite) || !theirs.Suites.Contains(suite))
        {
            throw new AgreementException(AgreementFailure.UnsupportedSuite);
        }

        var hasOneTime = theirs.OneTimePreKey is not null;
        var dh = new byte[AgreementKdf.DhSize * (hasOneTime ? 4 : 3)];
        var kemSecret = new byte[MlKem1024.SharedSecretSize];
        try
        {
            var ok = ours.AgreementKeyPair.TryAgree(theirs.SignedPreKey.PublicKey, Slot(dh, 0)) &&
                     ephemeral.TryAgree(theirs.IdentityKey.AgreementKey, Slot(dh, 1)) &&
                     ephemeral.TryAgree(theirs.SignedPreKey.PublicKey, Slot(dh, 2)) &&
                     (!hasOneTime || ephemeral.TryAgree(theirs.OneTimePreKey!.PublicKey, Slot(dh, 3)));
            if (!ok || !MlKem1024.TryEncapsulate(theirs.KemPreKey.PublicKey, out var ciphertext, kemSecret, kemRandom))
            {
                throw new AgreementException(AgreementFailure.InvalidPublicKey);
            }

            var header = new InitialMessageHeader(suite, ourAccountId, ours.PublicKey, ephemeral.PublicKey.ToArray(),
                theirs.SignedPreKey.Id, theirs.OneTimePreKey?.Id, theirs.KemPreKey.Id, ciphertext);
            var rootKey = AgreementKdf.DeriveRootKey(dh, kemSecret, suite, associatedData, header,
                theirs.SignedPreKey.PublicKey, hasOneTime ? theirs.OneTimePreKey!.PublicKey : [], theirs.KemPreKey.PublicKey);
            return new AgreementResult(rootKey, associatedData, theirs.SignedPreKey.PublicKey.ToArray(),
                theirs.IdentityKey, theirs.AccountId, header);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dh);
            CryptographicOperations.ZeroMemory(kemSecret);
        }
    }

    /// <summary>
    /// Completes a session from the first message's header, with the responder's private prekeys
    /// named by it. Refuses (typed, nothing derived) on any mismatch.
    /// </summary>
    /// <param name="ours">The responder's identity.</param>
    /// <param name="ourAccountId">The responder's normalized account id.</param>
    /// <param name="signedPreKey">The signed prekey named by <see cref="InitialMessageHeader.SignedPreKeyId"/>.</param>
    /// <param name="oneTimePreKey">The one-time prekey named by the header, or null if it names none.</param>
    /// <param name="kemPreKey">The KEM prekey named by <see cref="InitialMessageHeader.KemPreKeyId"/>.</param>
    /// <param name="header">The parsed header of the first message.</param>
    /// <param name="supportedSuites">Suites the responder accepts; null means every known suite.</param>
    /// <exception cref="AgreementException">The prekeys do not match, the suite is not accepted, or a key is unacceptable.</exception>
    public static AgreementResult Respond(
        IdentityKeyPair ours,
        string ourAccountId,
        SignedPreKeyRecord signedPreKey,
        OneTimePreKeyRecord? oneTimePreKey,
        KemPreKeyRecord kemPreKey,
        InitialMessageHeader header,
        IReadOnlyCollection<CipherSuite>? supportedSuites = null)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(signedPreKey);
        ArgumentNullException.ThrowIfNull(kemPreKey);
        ArgumentNullException.ThrowIfNull(header);
        var associatedData = AgreementKdf.AssociatedData(header.InitiatorAccountId, header.InitiatorIdentity, ourAccountId, ours.PublicKey);
        if (header.SignedPreKeyId != signedPreKey.Id || header.KemPreKeyId != kemPreKey.Id ||
            header.OneTimePreKeyId != oneTimePreKey?.Id)
        {
            throw new AgreementException(AgreementFailure.PreKeyMismatch);
        }

        if (!CipherSuites.IsKnown(header.Suite) || (supportedSuites is not null && !supportedSuites.Contains(header.Suite)))
        {
            throw new AgreementException(AgreementFailure.UnsupportedSuite);
        }

        var hasOneTime = oneTimePreKey is not null;
        var dh = new byte[AgreementKdf.DhSize * (hasOneTime ? 4 : 3)];
        var kemSecret = new byte[MlKem1024.SharedSecretSize];
        try
        {
            var ok = signedPreKey.KeyPair.TryAgree(header.InitiatorIdentity.AgreementKey, Slot(dh, 0)) &&
                     ours.AgreementKeyPair.TryAgree(header.EphemeralKey, Slot(dh, 1)) &&
                     signedPreKey.KeyPair.TryAgree(header.EphemeralKey, Slot(dh, 2)) &&
                     (!hasOneTime || oneTimePreKey!.KeyPair.TryAgree(header.EphemeralKey, Slot(dh, 3)));
            if (!ok)
            {
                throw new AgreementException(AgreementFailure.InvalidPublicKey);
            }

            if (!kemPreKey.KeyPair.TryDecapsulate(header.KemCiphertext, kemSecret))
            {
                throw new AgreementException(AgreementFailure.InvalidKemCiphertext);
            }

            var signedPublic = signedPreKey.PublicPreKey.PublicKey;
            var rootKey = AgreementKdf.DeriveRootKey(dh, kemSecret, header.Suite, associatedData, header, signedPublic,
                hasOneTime ? oneTimePreKey!.PublicPreKey.PublicKey : [], kemPreKey.PublicPreKey.PublicKey);
            return new AgreementResult(rootKey, associatedData, signedPublic.ToArray(), header.InitiatorIdentity,
                header.InitiatorAccountId, header);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dh);
            CryptographicOperations.ZeroMemory(kemSecret);
        }
    }

    private static Span<byte> Slot(byte[] dh, int index) => dh.AsSpan(index * AgreementKdf.DhSize, AgreementKdf.DhSize);
}
