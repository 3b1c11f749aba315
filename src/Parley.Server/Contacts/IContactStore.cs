namespace Parley.Server.Contacts;

/// <summary>
/// The contact relation: one row per (owner, peer). Changes that touch both parties' rows happen in
/// one transaction. Implementations: SQLite and PostgreSQL through the shared storage infrastructure.
/// </summary>
public interface IContactStore
{
    /// <summary>Every row owned by <paramref name="ownerId"/>.</summary>
    Task<IReadOnlyList<ContactEntry>> ListAsync(long ownerId, CancellationToken cancellationToken);

    /// <summary>The contacts whose rows on both sides are Accepted.</summary>
    Task<IReadOnlyList<ContactRef>> ListMutualAsync(long ownerId, CancellationToken cancellationToken);

    /// <summary>The owner's row for a peer, or null.</summary>
    Task<ContactEntry?> GetAsync(long ownerId, long peerId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies row changes atomically: for each change, a null state deletes the row, otherwise the row
    /// is inserted or replaced.
    /// </summary>
    Task ApplyAsync(IReadOnlyList<ContactChange> changes, CancellationToken cancellationToken);

    /// <summary>Deletes every row owned by or naming the account.</summary>
    Task DeleteAccountAsync(long accountId, CancellationToken cancellationToken);
}

/// <summary>One row write of <see cref="IContactStore.ApplyAsync"/>.</summary>
/// <param name="OwnerId">Row owner.</param>
/// <param name="PeerId">Row peer.</param>
/// <param name="PeerName">Peer's username (stored so lists need no join).</param>
/// <param name="State">New state, or null to delete the row.</param>
/// <param name="Note">Request note, if any.</param>
/// <param name="UpdatedMs">Change time, Unix milliseconds.</param>
public sealed record ContactChange(long OwnerId, long PeerId, string PeerName, ContactState? State, string? Note, long UpdatedMs);
