using Parley.Crypto.Attachments;
using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;
using Parley.Crypto.Ratchet;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Ratchet;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Infrastructure;

/// <summary>
/// Every decoder of Parley.Crypto that takes untrusted bytes, each with valid encodings to start
/// mutating from: the key/bundle/header parsers of <see cref="Parsers"/>, the ratchet header and state,
/// the session record, the message envelopes, the attachment header, and a whole receive
/// (<c>SessionDecrypt</c>: Bob, holding a session with Alice, decrypts the input against a snapshot of
/// his stores that no input can change, so every run starts from the same state). Shared by the
/// seeded mutation tests (attacks.md row 32) and the coverage-guided fuzz targets (tests/Parley.Fuzz).
/// </summary>
public static class Decoders
{
    /// <summary>Decoder name to (decoder, valid encodings; the first is the canonical one).</summary>
    public static IReadOnlyDictionary<string, (Parsers.Parse Parse, IReadOnlyList<byte[]> Valid)> All { get; } = Build();

    private static Dictionary<string, (Parsers.Parse, IReadOnlyList<byte[]>)> Build()
    {
        var all = Parsers.All.ToDictionary(p => p.Key, p => (p.Value.Parse, (IReadOnlyList<byte[]>)[p.Value.Valid]), StringComparer.Ordinal);

        // Kept alive for the process: SessionDecrypt reads Bob's keys on every run.
        var alice = new SessionParty("alice");
        var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        var preKeyMessage = alice.Send(bob, "hello").ToArray();
        bob.Receive(alice, preKeyMessage);
        var message = bob.Send(alice, "reply").ToArray();
        alice.Receive(bob, message);
        var next = alice.Send(bob, "next").ToArray();
        var later = alice.Send(bob, "later").ToArray();
        alice.StartSessionWith(bob); // a second state, so the record encodes a list
        var record = alice.SessionBytes(bob)!;
        var secondPreKeyMessage = alice.Send(bob, "new session").ToArray();

        using var pair = new RatchetPair();
        RatchetPair.Receive(pair.Bob, RatchetPair.Send(pair.Alice, "a"));
        _ = RatchetPair.Send(pair.Bob, "skipped");
        RatchetPair.Receive(pair.Alice, RatchetPair.Send(pair.Bob, "b")); // leaves one skipped key in the state
        var ratchetMessage = RatchetPair.Send(pair.Alice, "c");

        var attachmentHeader = new byte[AttachmentFormat.HeaderLength];
        AttachmentFormat.WriteHeader(attachmentHeader, AeadAlgorithm.Aes256Gcm, AttachmentFormat.DefaultChunkSize);

        all["RatchetHeader"] = (i => RatchetHeader.TryParse(i, out _), [ratchetMessage[RatchetPair.Prefix.Length..][..RatchetHeader.Length]]);
        all["DoubleRatchetState"] = (i => DisposeAfter(DoubleRatchet.TryDeserialize(i, out var s), s), [pair.Alice.Serialize(), pair.Bob.Serialize()]);
        all["SessionRecord"] = (i => DisposeAfter(SessionRecord.TryParse(i, out var r), r), [record, bob.SessionBytes(alice)!]);
        all["PreKeyMessageEnvelope"] = (i => MessageFormat.TryParse(i, out var e) && e.InitialHeader is not null, [preKeyMessage]);
        all["PreKeyMessageSender"] = (i => MessageFormat.TryReadPreKeySender(i, out _, out _), [preKeyMessage]);
        all["RatchetMessageEnvelope"] = (i => MessageFormat.TryParse(i, out _), [message]);
        all["AttachmentHeader"] = (i => AttachmentFormat.TryReadHeader(i, out _, out _), [attachmentHeader]);

        var snapshot = new FrozenStores(bob, alice.AccountId);
        all["SessionDecrypt"] = (snapshot.TryDecrypt, [next, later, secondPreKeyMessage, preKeyMessage]);
        return all;
    }

    private static bool DisposeAfter(bool parsed, IDisposable? value)
    {
        value?.Dispose();
        return parsed;
    }

    /// <summary>A receiver's stores as they are now, read-only: whatever a decryption writes is dropped.</summary>
    private sealed class FrozenStores(SessionParty owner, string remote) : IIdentityStore, IPreKeyStore, ISessionStore
    {
        private readonly byte[]? _session = owner.Sessions.LoadSession(remote);

        public string LocalAccountId => owner.Identities.LocalAccountId;

        public bool TryDecrypt(ReadOnlySpan<byte> input)
        {
            using var cipher = new SessionCipher(this, this, this, remote);
            return cipher.TryDecrypt(input, out _, out _);
        }

        public IdentityKeyPair GetIdentityKeyPair() => owner.Identities.GetIdentityKeyPair();

        public IdentityKey? GetRemoteIdentity(string accountId) => owner.Identities.GetRemoteIdentity(accountId);

        public void SaveRemoteIdentity(string accountId, IdentityKey identityKey)
        {
        }

        public SignedPreKeyRecord? GetSignedPreKey(SignedPreKeyId id) => owner.PreKeys.GetSignedPreKey(id);

        public OneTimePreKeyRecord? GetOneTimePreKey(PreKeyId id) => owner.PreKeys.GetOneTimePreKey(id);

        public void RemoveOneTimePreKey(PreKeyId id)
        {
        }

        public KemPreKeyRecord? GetKemPreKey(KemPreKeyId id) => owner.PreKeys.GetKemPreKey(id);

        public void RemoveKemPreKey(KemPreKeyId id)
        {
        }

        public bool IsBaseKeyUsed(ReadOnlySpan<byte> baseKey) => owner.PreKeys.IsBaseKeyUsed(baseKey);

        public void MarkBaseKeyUsed(ReadOnlySpan<byte> baseKey)
        {
        }

        public byte[]? LoadSession(string remoteAccountId) => remoteAccountId == remote ? _session?.ToArray() : null; // a copy: the cipher wipes what it loaded

        public void StoreSession(string remoteAccountId, byte[] record)
        {
        }
    }
}
