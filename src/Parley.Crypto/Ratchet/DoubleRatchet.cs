using System.Security.Cryptography;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Ratchet;

/// <summary>
/// One party's Double Ratchet state (Signal's specification) for one session, with a fixed AEAD.
/// Encryption advances the sending chain; decryption works on new objects and commits them only
/// after the message authenticates, so a forged or replayed message leaves the state unchanged.
/// </summary>
/// <remarks>
/// The Parley.Crypto.Ratchet namespace owns the ratchet state machine and its byte formats (header,
/// state). It knows nothing about identities, prekeys, stores or the message envelope: the session
/// layer passes the associated data and an authenticated prefix in. Not thread-safe.
/// </remarks>
public sealed partial class DoubleRatchet : IDisposable
{
    private readonly AeadAlgorithm _algorithm;
    private readonly byte[] _associatedData;
    private readonly List<byte[]> _previousRemoteKeys = [];
    private readonly SkippedMessageKeys _skipped = new();
    private RootKey _root;
    private RatchetKeyPair _sendingRatchetKey;
    private byte[]? _remoteRatchetKey;
    private ChainKey? _sendingChain;
    private ChainKey? _receivingChain;
    private uint _previousSendingLength;
    private bool _disposed;

    private DoubleRatchet(AeadAlgorithm algorithm, ReadOnlySpan<byte> associatedData, RootKey root, RatchetKeyPair sendingRatchetKey)
    {
        if (algorithm is not (AeadAlgorithm.ChaCha20Poly1305 or AeadAlgorithm.Aes256Gcm))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm));
        }

        if (associatedData.Length > RatchetLimits.MaxAssociatedDataLength)
        {
            throw new ArgumentException("The associated data is too long.", nameof(associatedData));
        }

        _algorithm = algorithm;
        _associatedData = associatedData.ToArray();
        _root = root;
        _sendingRatchetKey = sendingRatchetKey;
    }

    /// <summary>The AEAD fixed for this session.</summary>
    public AeadAlgorithm Algorithm => _algorithm;

    /// <summary>False for a responder until it has received its first message.</summary>
    public bool CanEncrypt => _sendingChain is not null;

    /// <summary>Our current ratchet public key (sent in every header).</summary>
    public ReadOnlySpan<byte> SendingRatchetKey => _sendingRatchetKey.PublicKey;

    internal ChainKey? SendingChain => _sendingChain;

    internal ChainKey? ReceivingChain => _receivingChain;

    internal SkippedMessageKeys Skipped => _skipped;

    /// <summary>
    /// Starts the initiator's ratchet: a fresh ratchet key pair, one DH step against the responder's
    /// signed prekey, ready to send.
    /// </summary>
    /// <param name="sharedSecret">The agreement's 32-byte secret; copied.</param>
    /// <param name="algorithm">The session's AEAD.</param>
    /// <param name="remoteRatchetKey">The responder's signed prekey public key.</param>
    /// <param name="associatedData">The agreement's associated data (both identities and account ids).</param>
    /// <exception cref="CryptoException">The remote key is not acceptable (e.g. low order).</exception>
    public static DoubleRatchet CreateInitiator(RootKey sharedSecret, AeadAlgorithm algorithm, ReadOnlySpan<byte> remoteRatchetKey,
        ReadOnlySpan<byte> associatedData)
    {
        ArgumentNullException.ThrowIfNull(sharedSecret);
        RatchetKeyPair ours = RatchetKeyPair.Generate();
        Span<byte> dh = stackalloc byte[32];
        if (!ours.TryAgree(remoteRatchetKey, dh))
        {
            ours.Dispose();
            throw new CryptoException("The remote ratchet key is not acceptable.");
        }

        (RootKey root, ChainKey sending) = sharedSecret.Advance(dh);
        CryptographicOperations.ZeroMemory(dh);
        return new DoubleRatchet(algorithm, associatedData, root, ours)
        {
            _remoteRatchetKey = remoteRatchetKey.ToArray(),
            _sendingChain = sending,
        };
    }

    /// <summary>Starts the responder's ratchet with its signed prekey as the first ratchet key pair.</summary>
    /// <param name="sharedSecret">The agreement's 32-byte secret; copied.</param>
    /// <param name="algorithm">The session's AEAD.</param>
    /// <param name="ourRatchetKey">Our signed prekey pair; copied, so the caller keeps ownership.</param>
    /// <param name="associatedData">The agreement's associated data.</param>
    public static DoubleRatchet CreateResponder(RootKey sharedSecret, AeadAlgorithm algorithm, X25519KeyPair ourRatchetKey,
        ReadOnlySpan<byte> associatedData)
    {
        ArgumentNullException.ThrowIfNull(sharedSecret);
        ArgumentNullException.ThrowIfNull(ourRatchetKey);
        return new DoubleRatchet(algorithm, associatedData, RootKey.FromBytes(sharedSecret.Span), RatchetKeyPair.CopyOf(ourRatchetKey));
    }

    /// <summary>
    /// Encrypts a message: returns <paramref name="prefix"/> || header (40 bytes) || AEAD ciphertext.
    /// The AEAD's associated data is the session's associated data || prefix || header, so the
    /// caller's envelope fields (version, suite, type, agreement header) are authenticated too.
    /// </summary>
    /// <param name="prefix">Envelope bytes preceding the header.</param>
    /// <param name="plaintext">The message.</param>
    /// <exception cref="InvalidOperationException">The responder has not received a message yet.</exception>
    public byte[] Encrypt(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ChainKey chain = _sendingChain ?? throw new InvalidOperationException("This side cannot send before it has received a message.");
        if (chain.Index == uint.MaxValue)
        {
            throw new InvalidOperationException("The sending chain is exhausted.");
        }

        int bodyOffset = prefix.Length + RatchetHeader.Length;
        byte[] message = new byte[bodyOffset + plaintext.Length + Aead.TagSize];
        prefix.CopyTo(message);
        new RatchetHeader(_sendingRatchetKey.PublicKey, _previousSendingLength, chain.Index).WriteTo(message.AsSpan(prefix.Length));
        using (MessageKey key = chain.MessageKey())
        {
            Seal(key, message.AsSpan(0, bodyOffset), plaintext, message.AsSpan(bodyOffset));
        }

        _sendingChain = chain.Next();
        chain.Dispose();
        return message;
    }

    /// <summary>
    /// Authenticates and decrypts a message produced by <see cref="Encrypt"/>. On any failure the
    /// state is left exactly as it was and <paramref name="plaintext"/> is null.
    /// </summary>
    /// <param name="message">The untrusted message: prefix || header || ciphertext.</param>
    /// <param name="prefixLength">Length of the envelope prefix before the header.</param>
    /// <param name="plaintext">The plaintext when the result is <see cref="RatchetError.None"/>.</param>
    public RatchetError TryDecrypt(ReadOnlySpan<byte> message, int prefixLength, out byte[]? plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        plaintext = null;
        if (prefixLength < 0 || prefixLength > message.Length ||
            message.Length - prefixLength < RatchetHeader.Length + Aead.TagSize ||
            !RatchetHeader.TryParse(message[prefixLength..], out RatchetHeader header))
        {
            return RatchetError.InvalidMessage;
        }

        // Encrypt never uses uint.MaxValue, so a receiving chain index can never wrap around.
        if (header.MessageNumber == uint.MaxValue)
        {
            return RatchetError.TooManySkipped;
        }

        ReadOnlySpan<byte> authenticated = message[..(prefixLength + RatchetHeader.Length)];
        ReadOnlySpan<byte> ciphertext = message[(prefixLength + RatchetHeader.Length)..];
        int skippedIndex = _skipped.IndexOf(header.RatchetKey, header.MessageNumber);
        if (skippedIndex >= 0)
        {
            if (!TryOpen(_skipped.Entries[skippedIndex].Key, authenticated, ciphertext, out plaintext))
            {
                return RatchetError.InvalidMessage;
            }

            _skipped.RemoveAt(skippedIndex);
            return RatchetError.None;
        }

        if (_remoteRatchetKey is not null && header.RatchetKey.SequenceEqual(_remoteRatchetKey))
        {
            return DecryptInCurrentChain(header, authenticated, ciphertext, out plaintext);
        }

        foreach (byte[] previous in _previousRemoteKeys)
        {
            if (header.RatchetKey.SequenceEqual(previous))
            {
                return RatchetError.DuplicateMessage;
            }
        }

        return DecryptWithRatchetStep(header, authenticated, ciphertext, out plaintext);
    }

    /// <summary>Wipes every key in the state.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _root.Dispose();
        _sendingRatchetKey.Dispose();
        _sendingChain?.Dispose();
        _receivingChain?.Dispose();
        _skipped.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => nameof(DoubleRatchet);
}
