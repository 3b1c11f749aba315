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
    [JsonInclude]
    public byte[]? IdentityKey { get; set; }

    /// <summary>A different identity key seen after pinning, waiting for <c>parley trust</c>.</summary>
    [JsonInclude]
    public byte[]? ChangedIdentityKey { get; set; }

    /// <summary>Whether the user compared safety numbers and confirmed them for the pinned key.</summary>
    public bool Verified { get; set; }

    /// <summary>The note attached to a friend request, if any.</summary>
    public string? Note { get; set; }

    /// <summary>Whether the identity key changed and is not yet trusted again.</summary>
    [JsonIgnore]
    public bool KeyChanged => ChangedIdentityKey is not null;
}

/// <summary>Source-generated JSON metadata for sealed contact records.</summary>
[JsonSerializable(typeof(Contact))]
internal sealed partial class ContactJsonContext : JsonSerializerContext;
