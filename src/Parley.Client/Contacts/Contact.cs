using System.Text.Json.Serialization;

namespace Parley.Client.Contacts;

/// <summary>Where a contact relation stands, as last seen from the server or changed locally.</summary>
public enum ContactState
{
    /// <summary>We sent a request that is not answered yet.</summary>
    RequestSent,

    /// <summary>They sent us a request that we have not answered.</summary>
    RequestReceived,

    /// <summary>Both sides agreed; messages may flow.</summary>
    Accepted,

    /// <summary>Not a contact (declined or removed), kept for its pinned identity key.</summary>
    None,
}

/// <summary>
/// What the client knows about another user: the relation, whether we blocked them, and the
/// identity key pinned on first use. A key seen later that differs is held in
/// <see cref="ChangedIdentityKey"/> and blocks sending until the user trusts it.
/// </summary>
public sealed class Contact
{
    /// <summary>The contact's user name.</summary>
    public required string UserName { get; init; }

    /// <summary>The relation.</summary>
    public ContactState State { get; set; }

    /// <summary>Whether we blocked this user.</summary>
    public bool BlockedByMe { get; set; }

    /// <summary>The identity key pinned on first use (the serialized public identity), or null before any.</summary>
    public byte[]? IdentityKey { get; set; }

    /// <summary>
    /// A different identity key seen after pinning, waiting for <c>parley trust</c>; empty when a
    /// message arrived under an unknown key that the server's directory did not show.
    /// </summary>
    public byte[]? ChangedIdentityKey { get; set; }

    /// <summary>Whether the user compared safety numbers and confirmed them for the pinned key.</summary>
    public bool Verified { get; set; }

    /// <summary>The note attached to a friend request, if any.</summary>
    public string? Note { get; set; }

    /// <summary>Whether the identity key changed and is not yet trusted again.</summary>
    public bool KeyChanged => ChangedIdentityKey is not null;
}

/// <summary>
/// The sealed JSON form of a <see cref="Contact"/>: keys as base64 strings, so "no key" (null) and
/// "unknown changed key" (empty) stay distinct through serialization.
/// </summary>
internal sealed class ContactRecord
{
    public required string UserName { get; init; }

    public ContactState State { get; init; }

    public bool BlockedByMe { get; init; }

    public string? IdentityKey { get; init; }

    public string? ChangedIdentityKey { get; init; }

    public bool Verified { get; init; }

    public string? Note { get; init; }

    public static ContactRecord From(Contact c) => new()
    {
        UserName = c.UserName,
        State = c.State,
        BlockedByMe = c.BlockedByMe,
        IdentityKey = c.IdentityKey is null ? null : Convert.ToBase64String(c.IdentityKey),
        ChangedIdentityKey = c.ChangedIdentityKey is null ? null : Convert.ToBase64String(c.ChangedIdentityKey),
        Verified = c.Verified,
        Note = c.Note,
    };

    public Contact ToContact() => new()
    {
        UserName = UserName,
        State = State,
        BlockedByMe = BlockedByMe,
        IdentityKey = IdentityKey is null ? null : Convert.FromBase64String(IdentityKey),
        ChangedIdentityKey = ChangedIdentityKey is null ? null : Convert.FromBase64String(ChangedIdentityKey),
        Verified = Verified,
        Note = Note,
    };
}

/// <summary>Source-generated JSON metadata for sealed contact records.</summary>
[JsonSerializable(typeof(ContactRecord))]
internal sealed partial class ContactJsonContext : JsonSerializerContext;
