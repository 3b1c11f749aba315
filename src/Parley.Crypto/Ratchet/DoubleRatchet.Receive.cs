using System.Security.Cryptography;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Ratchet;

/// <content>Receiving: chain walks, the DH ratchet step and the AEAD, all committed only on success.</content>
public sealed partial class DoubleRatchet
{
    private const int KeyAndNonceLength = Aead.KeySize + Aead.NonceSize;

    private RatchetError DecryptInCurrentChain(RatchetHeader header, ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> ciphertext,
        out byte[]? plaintext)
    {
        plaintext = null;
        ChainKey? current = _receivingChain;
        if (current is null)
        {
            return RatchetError.InvalidMessage;
        }

        if (header.MessageNumber < current.Index)
        {
            return RatchetError.DuplicateMessage;
        }

        if (header.MessageNumber - current.Index > RatchetLimits.MaxForwardJump)
        {
            return RatchetError.TooManySkipped;
        }

        using var pending = new SkippedMessageKeys.Pending();
        ChainKey atMessage = Walk(current, header.MessageNumber, _remoteRatchetKey!, pending);
        try
        {
            using MessageKey key = atMessage.MessageKey();
            if (!TryOpen(key, authenticated, ciphertext, out plaintext))
            {
                return RatchetError.InvalidMessage;
            }

            pending.CommitTo(_skipped);
            _receivingChain = atMessage.Next();
            current.Dispose();
            return RatchetError.None;
        }
        finally
        {
            if (!ReferenceEquals(atMessage, current))
            {
                atMessage.Dispose();
            }
        }
    }

    private RatchetError DecryptWithRatchetStep(RatchetHeader header, ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> ciphertext,
        out byte[]? plaintext)
    {
        plaintext = null;
        ChainKey? current = _receivingChain;
        if (current is not null && header.PreviousChainLength < current.Index)
        {
            return RatchetError.InvalidMessage;
        }

        if (header.MessageNumber > RatchetLimits.MaxForwardJump ||
            (current is not null && header.PreviousChainLength - current.Index > RatchetLimits.MaxForwardJump))
        {
            return RatchetError.TooManySkipped;
        }

        Span<byte> dh = stackalloc byte[32];
        if (!_sendingRatchetKey.TryAgree(header.RatchetKey, dh))
        {
            return RatchetError.InvalidMessage;
        }

        using var pending = new SkippedMessageKeys.Pending();
        byte[] remoteKey = header.RatchetKey.ToArray();
        ChainKey? oldChainEnd = current is null ? null : Walk(current, header.PreviousChainLength, _remoteRatchetKey!, pending);
        (RootKey intermediateRoot, ChainKey receiving) = _root.Advance(dh);
        CryptographicOperations.ZeroMemory(dh);
        ChainKey atMessage = Walk(receiving, header.MessageNumber, remoteKey, pending);
        RatchetKeyPair? newSendingKey = null;
        RootKey? newRoot = null;
        ChainKey? sending = null;
        bool committed = false;
        try
        {
            using (MessageKey key = atMessage.MessageKey())
            {
                if (!TryOpen(key, authenticated, ciphertext, out plaintext))
                {
                    return RatchetError.InvalidMessage;
                }
            }

            // Authenticated: only now the sending half of the step, so a forged header costs one DH, not three.
            newSendingKey = RatchetKeyPair.Generate();
            if (!newSendingKey.TryAgree(header.RatchetKey, dh))
            {
                CryptographicOperations.ZeroMemory(plaintext);
                plaintext = null;
                return RatchetError.InvalidMessage;
            }

            (newRoot, sending) = intermediateRoot.Advance(dh);
            CryptographicOperations.ZeroMemory(dh);
            pending.CommitTo(_skipped);
            RememberPreviousRemoteKey();
            _remoteRatchetKey = remoteKey;
            (_root, RootKey oldRoot) = (newRoot, _root);
            oldRoot.Dispose();
            _receivingChain = atMessage.Next();
            current?.Dispose();
            _previousSendingLength = _sendingChain?.Index ?? 0;
            _sendingChain?.Dispose();
            _sendingChain = sending;
            (_sendingRatchetKey, RatchetKeyPair oldKey) = (newSendingKey, _sendingRatchetKey);
            oldKey.Dispose();
            committed = true;
            return RatchetError.None;
        }
        finally
        {
            intermediateRoot.Dispose();
            if (oldChainEnd is not null && !ReferenceEquals(oldChainEnd, current))
            {
                oldChainEnd.Dispose();
            }

            if (!ReferenceEquals(atMessage, receiving))
            {
                atMessage.Dispose();
            }

            receiving.Dispose();
            if (!committed)
            {
                newRoot?.Dispose();
                sending?.Dispose();
                newSendingKey?.Dispose();
            }
        }
    }

    private void RememberPreviousRemoteKey()
    {
        if (_remoteRatchetKey is null)
        {
            return;
        }

        _previousRemoteKeys.Add(_remoteRatchetKey);
        if (_previousRemoteKeys.Count > RatchetLimits.PreviousReceivingKeysKept)
        {
            _previousRemoteKeys.RemoveAt(0);
        }
    }

    /// <summary>
    /// Steps from <paramref name="start"/> to the chain key for message <paramref name="target"/>,
    /// collecting the skipped message keys (only the newest the cap allows). Never disposes <paramref name="start"/>.
    /// </summary>
    private static ChainKey Walk(ChainKey start, uint target, byte[] ratchetKey, SkippedMessageKeys.Pending pending)
    {
        ChainKey current = start;
        while (current.Index < target)
        {
            if (target - current.Index <= RatchetLimits.MaxSkippedMessageKeys)
            {
                pending.Add(new SkippedMessageKeys.Entry(ratchetKey, current.MessageKey()));
            }

            ChainKey next = current.Next();
            if (!ReferenceEquals(current, start))
            {
                current.Dispose();
            }

            current = next;
        }

        return current;
    }

    private void Seal(MessageKey key, ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        Span<byte> material = stackalloc byte[KeyAndNonceLength];
        key.Expand(material);
        byte[] ad = AssociatedData(authenticated);
        Aead.Seal(_algorithm, material[..Aead.KeySize], material[Aead.KeySize..], plaintext, ad, output);
        CryptographicOperations.ZeroMemory(material);
    }

    private bool TryOpen(MessageKey key, ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> ciphertext, out byte[]? plaintext)
    {
        Span<byte> material = stackalloc byte[KeyAndNonceLength];
        key.Expand(material);
        byte[] ad = AssociatedData(authenticated);
        byte[] output = new byte[ciphertext.Length - Aead.TagSize];
        bool ok = Aead.TryOpen(_algorithm, material[..Aead.KeySize], material[Aead.KeySize..], ciphertext, ad, output);
        CryptographicOperations.ZeroMemory(material);
        plaintext = ok ? output : null;
        return ok;
    }

    private byte[] AssociatedData(ReadOnlySpan<byte> authenticated)
    {
        byte[] ad = new byte[_associatedData.Length + authenticated.Length];
        _associatedData.CopyTo(ad, 0);
        authenticated.CopyTo(ad.AsSpan(_associatedData.Length));
        return ad;
    }
}
