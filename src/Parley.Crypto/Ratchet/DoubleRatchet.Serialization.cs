using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Ratchet;

/// <content>
/// Versioned, length-checked state serialization (docs/PROTOCOL.md section 5.6). The bytes hold
/// secrets: store them only in the encrypted local store.
/// </content>
public sealed partial class DoubleRatchet
{
    /// <summary>Version byte of the serialized state.</summary>
    public const byte StateVersion = 1;

    private const byte HasRemoteKey = 1, HasSendingChain = 2, HasReceivingChain = 4;
    private const int SkippedEntryLength = 32 + 4 + MessageKey.Length;

    /// <summary>Serializes the complete state (secret bytes: keep them encrypted at rest).</summary>
    public byte[] Serialize()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var writer = new StateWriter();
        writer.Byte(StateVersion);
        writer.Byte((byte)_algorithm);
        writer.Byte((byte)((_remoteRatchetKey is null ? 0 : HasRemoteKey) |
                           (_sendingChain is null ? 0 : HasSendingChain) |
                           (_receivingChain is null ? 0 : HasReceivingChain)));
        writer.Bytes(_root.Span);
        writer.Bytes(_sendingRatchetKey.PrivateKey);
        writer.Bytes(_sendingRatchetKey.PublicKey);
        writer.UInt32(_previousSendingLength);
        if (_remoteRatchetKey is not null) writer.Bytes(_remoteRatchetKey);
        if (_sendingChain is not null) writer.Chain(_sendingChain);
        if (_receivingChain is not null) writer.Chain(_receivingChain);
        writer.UInt16((ushort)_associatedData.Length);
        writer.Bytes(_associatedData);
        writer.Byte((byte)_previousRemoteKeys.Count);
        foreach (byte[] key in _previousRemoteKeys) writer.Bytes(key);
        writer.UInt16((ushort)_skipped.Count);
        foreach (SkippedMessageKeys.Entry entry in _skipped.Entries)
        {
            writer.Bytes(entry.RatchetKey);
            writer.UInt32(entry.Key.Index);
            writer.Bytes(entry.Key.Span);
        }

        return writer.ToArray();
    }

    /// <summary>Parses serialized state from untrusted bytes. Never throws; false on any malformation.</summary>
    /// <param name="bytes">Bytes written by <see cref="Serialize"/>.</param>
    /// <param name="state">The restored state, owned by the caller.</param>
    public static bool TryDeserialize(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out DoubleRatchet? state)
    {
        state = null;
        var reader = new StateReader(bytes);
        if (!reader.Byte(out byte version) || version != StateVersion ||
            !reader.Byte(out byte algorithm) || algorithm is not ((byte)AeadAlgorithm.ChaCha20Poly1305 or (byte)AeadAlgorithm.Aes256Gcm) ||
            !reader.Byte(out byte flags) || (flags & ~(HasRemoteKey | HasSendingChain | HasReceivingChain)) != 0 ||
            !reader.Bytes(RootKey.Length, out ReadOnlySpan<byte> root) ||
            !reader.Bytes(32, out ReadOnlySpan<byte> privateKey) ||
            !reader.Bytes(32, out ReadOnlySpan<byte> publicKey) ||
            !reader.UInt32(out uint previousSendingLength))
        {
            return false;
        }

        ReadOnlySpan<byte> remote = default, sendingKey = default, receivingKey = default;
        uint sendingIndex = 0, receivingIndex = 0;
        if (((flags & HasRemoteKey) != 0 && !reader.Bytes(32, out remote)) ||
            ((flags & HasSendingChain) != 0 && !reader.Chain(out sendingKey, out sendingIndex)) ||
            ((flags & HasReceivingChain) != 0 && !reader.Chain(out receivingKey, out receivingIndex)) ||
            ((flags & HasReceivingChain) != 0 && (flags & HasRemoteKey) == 0) ||
            !reader.UInt16(out ushort adLength) || adLength > RatchetLimits.MaxAssociatedDataLength ||
            !reader.Bytes(adLength, out ReadOnlySpan<byte> ad) ||
            !reader.Byte(out byte previousCount) || previousCount > RatchetLimits.PreviousReceivingKeysKept ||
            !reader.Bytes(previousCount * 32, out ReadOnlySpan<byte> previousKeys) ||
            !reader.UInt16(out ushort skippedCount) || skippedCount > RatchetLimits.MaxSkippedMessageKeys ||
            !reader.Bytes(skippedCount * SkippedEntryLength, out ReadOnlySpan<byte> skipped) ||
            !reader.AtEnd)
        {
            return false;
        }

        var result = new DoubleRatchet((AeadAlgorithm)algorithm, ad, RootKey.FromBytes(root), RatchetKeyPair.FromStored(publicKey, privateKey))
        {
            _previousSendingLength = previousSendingLength,
            _remoteRatchetKey = (flags & HasRemoteKey) != 0 ? remote.ToArray() : null,
            _sendingChain = (flags & HasSendingChain) != 0 ? new ChainKey(sendingKey.ToArray(), sendingIndex) : null,
            _receivingChain = (flags & HasReceivingChain) != 0 ? new ChainKey(receivingKey.ToArray(), receivingIndex) : null,
        };
        for (int i = 0; i < previousCount; i++)
        {
            result._previousRemoteKeys.Add(previousKeys.Slice(i * 32, 32).ToArray());
        }

        var entries = new List<SkippedMessageKeys.Entry>(skippedCount);
        for (int i = 0; i < skippedCount; i++)
        {
            ReadOnlySpan<byte> entry = skipped.Slice(i * SkippedEntryLength, SkippedEntryLength);
            uint index = BinaryPrimitives.ReadUInt32BigEndian(entry[32..]);
            entries.Add(new SkippedMessageKeys.Entry(entry[..32].ToArray(), new MessageKey(entry[36..].ToArray(), index)));
        }

        result._skipped.AddRange(entries);
        state = result;
        return true;
    }
}
