using Parley.Crypto.Agreement;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Ratchet;

namespace Parley.Crypto.Session;

/// <content>The responder's side: a PreKey message starts (or continues) a session.</content>
public sealed partial class SessionCipher
{
    private SessionError DecryptPreKeyMessage(ReadOnlySpan<byte> message, MessageFormat.Envelope envelope, out byte[]? plaintext)
    {
        plaintext = null;
        InitialMessageHeader header = envelope.InitialHeader!;
        if (!string.Equals(header.InitiatorAccountId, _remoteAccountId, StringComparison.Ordinal))
        {
            return SessionError.InvalidMessage;
        }

        // A later message of a session we already built from this header: ordinary ratchet decryption,
        // which also recognises replays of the first message as duplicates.
        SessionRecord? existing = LoadRecord();
        SessionState[] sameBaseKey = existing is null ? [] : [.. existing.States.Where(s => header.EphemeralKey.SequenceEqual(s.BaseKey))];
        if (sameBaseKey.Length > 0)
        {
            return DecryptWithRecord(existing!, sameBaseKey, message, envelope, out plaintext);
        }

        if (_preKeys.IsBaseKeyUsed(header.EphemeralKey))
        {
            return SessionError.DuplicateMessage;
        }

        if (_identities.GetTrust(_remoteAccountId, header.InitiatorIdentity) == IdentityTrust.Changed)
        {
            return SessionError.UntrustedIdentity;
        }

        SignedPreKeyRecord? signed = _preKeys.GetSignedPreKey(header.SignedPreKeyId);
        OneTimePreKeyRecord? oneTime = header.OneTimePreKeyId is { } id ? _preKeys.GetOneTimePreKey(id) : null;
        KemPreKeyRecord? kem = _preKeys.GetKemPreKey(header.KemPreKeyId);
        if (signed is null || kem is null || (header.OneTimePreKeyId is not null && oneTime is null))
        {
            return SessionError.UnknownPreKey;
        }

        return Respond(message, envelope, header, signed, oneTime, kem, out plaintext);
    }

    private SessionError Respond(ReadOnlySpan<byte> message, MessageFormat.Envelope envelope, InitialMessageHeader header,
        SignedPreKeyRecord signed, OneTimePreKeyRecord? oneTime, KemPreKeyRecord kem, out byte[]? plaintext)
    {
        plaintext = null;
        AgreementResult agreement;
        try
        {
            agreement = HybridAgreement.Respond(_identities.GetIdentityKeyPair(), _identities.LocalAccountId, signed, oneTime, kem, header);
        }
        catch (AgreementException)
        {
            return SessionError.InvalidMessage;
        }

        SessionState state;
        using (agreement)
        using (RootKey root = RootKey.FromBytes(agreement.RootKey))
        {
            state = new SessionState(header.Suite, header.InitiatorIdentity, header.EphemeralKey.ToArray(), null,
                DoubleRatchet.CreateResponder(root, CipherSuites.AeadOf(header.Suite), signed.KeyPair, agreement.AssociatedData));
        }

        RatchetError result = state.Ratchet.TryDecrypt(message, envelope.PrefixLength, out plaintext);
        if (result != RatchetError.None)
        {
            state.Dispose();
            return Map(result);
        }

        // Authenticated: only now consume the one-time keys, remember the base key and trust the identity.
        if (oneTime is not null)
        {
            _preKeys.RemoveOneTimePreKey(oneTime.Id);
        }

        if (!kem.IsLastResort)
        {
            _preKeys.RemoveKemPreKey(kem.Id);
        }

        _preKeys.MarkBaseKeyUsed(header.EphemeralKey);
        if (_identities.GetRemoteIdentity(_remoteAccountId) is null)
        {
            _identities.SaveRemoteIdentity(_remoteAccountId, header.InitiatorIdentity);
        }

        // The new session becomes current; the earlier ones stay for messages still in flight.
        SessionRecord? record = LoadRecord();
        InvalidateCache();
        if (record is null)
        {
            record = SessionRecord.Create(state);
        }
        else
        {
            record.Promote(state);
        }

        Commit(record);
        return SessionError.None;
    }
}
