using System.Security.Cryptography;
using Parley.Client.Storage;

namespace Parley.Client.Contacts;

/// <summary>What pinning made of an identity key seen for a contact.</summary>
public enum IdentityObservation
{
    /// <summary>No key was pinned yet; this one is now (trust on first use).</summary>
    FirstUse,

    /// <summary>The key is the pinned one.</summary>
    Unchanged,

    /// <summary>The key differs from the pinned one; it is recorded and sending is blocked.</summary>
    Changed,
}

/// <summary>
/// Trust on first use for contacts' identity keys: the first key seen is pinned; a different key
/// later is held aside as "changed" (clearing any verification) until the user trusts it.
/// </summary>
public static class IdentityPins
{
    /// <summary>Compares <paramref name="serializedIdentity"/> with the pin for <paramref name="user"/> and records the outcome.</summary>
    /// <param name="store">The profile's store.</param>
    /// <param name="user">The contact.</param>
    /// <param name="serializedIdentity">The identity key as received (serialized public form).</param>
    /// <returns>What happened.</returns>
    public static IdentityObservation Observe(ClientStore store, string user, ReadOnlySpan<byte> serializedIdentity)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(user);
        var contact = store.GetContact(user) ?? new Contact { UserName = user, State = ContactState.None };
        if (contact.IdentityKey is null)
        {
            contact.IdentityKey = serializedIdentity.ToArray();
            store.PutContact(contact);
            return IdentityObservation.FirstUse;
        }

        if (CryptographicOperations.FixedTimeEquals(contact.IdentityKey, serializedIdentity))
        {
            return contact.KeyChanged ? IdentityObservation.Changed : IdentityObservation.Unchanged;
        }

        contact.ChangedIdentityKey = serializedIdentity.ToArray();
        contact.Verified = false;
        store.PutContact(contact);
        return IdentityObservation.Changed;
    }

    /// <summary>Accepts a changed key: it becomes the pin, unverified.</summary>
    /// <param name="store">The profile's store.</param>
    /// <param name="user">The contact.</param>
    /// <returns>Whether there was a changed key to accept.</returns>
    public static bool TrustChanged(ClientStore store, string user)
    {
        ArgumentNullException.ThrowIfNull(store);
        var contact = store.GetContact(user);
        if (contact?.ChangedIdentityKey is null)
        {
            return false;
        }

        // An empty "changed" key means a message came under an unknown key the server did not show
        // us: forget the pin so the next key seen is pinned afresh (and must be verified again).
        contact.IdentityKey = contact.ChangedIdentityKey.Length == 0 ? null : contact.ChangedIdentityKey;
        contact.ChangedIdentityKey = null;
        contact.Verified = false;
        store.PutContact(contact);
        return true;
    }

    /// <summary>Marks the pinned key as verified (safety numbers compared).</summary>
    /// <param name="store">The profile's store.</param>
    /// <param name="user">The contact.</param>
    /// <returns>Whether a pinned key existed to verify.</returns>
    public static bool MarkVerified(ClientStore store, string user)
    {
        ArgumentNullException.ThrowIfNull(store);
        var contact = store.GetContact(user);
        if (contact?.IdentityKey is null || contact.KeyChanged)
        {
            return false;
        }

        contact.Verified = true;
        store.PutContact(contact);
        return true;
    }
}
