namespace Parley.Server.Contacts;

/// <summary>One side's view of a contact relation (each account has its own row per peer).</summary>
public enum ContactState
{
    /// <summary>This account asked the peer and waits for an answer.</summary>
    Outgoing = 1,

    /// <summary>The peer asked this account, which has not answered yet.</summary>
    Incoming = 2,

    /// <summary>Contacts: may exchange envelopes and see each other's presence (if the peer's row agrees).</summary>
    Accepted = 3,

    /// <summary>This account blocked the peer: nothing from the peer reaches it.</summary>
    Blocked = 4,
}

/// <summary>A row of an account's contact list.</summary>
/// <param name="PeerId">The other account.</param>
/// <param name="PeerName">The other account's username.</param>
/// <param name="State">This account's side of the relation.</param>
/// <param name="Note">The note of a pending request (incoming or outgoing), if any.</param>
/// <param name="UpdatedMs">When the row last changed, Unix milliseconds.</param>
public sealed record ContactEntry(long PeerId, string PeerName, ContactState State, string? Note, long UpdatedMs);

/// <summary>A mutual contact (both rows Accepted) as the relay and presence use it.</summary>
/// <param name="Id">The contact's account id.</param>
/// <param name="Name">The contact's username.</param>
public readonly record struct ContactRef(long Id, string Name);
