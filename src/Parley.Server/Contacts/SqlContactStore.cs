using System.Data.Common;
using Parley.Server.Storage;

namespace Parley.Server.Contacts;

/// <summary><see cref="IContactStore"/> on the shared <see cref="IDatabase"/> (same SQL on SQLite and PostgreSQL).</summary>
public sealed class SqlContactStore : IContactStore
{
    private const string Columns = "peer_id, peer_name, state, note, updated_ms";
    private readonly IDatabase _database;

    /// <summary>Creates the store.</summary>
    public SqlContactStore(IDatabase database) => _database = database;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContactEntry>> ListAsync(long ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand($"SELECT {Columns} FROM contacts WHERE owner_id = @o ORDER BY peer_name")
            .With("o", ownerId);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContactRef>> ListMutualAsync(long ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            "SELECT c.peer_id, c.peer_name FROM contacts c JOIN contacts r ON r.owner_id = c.peer_id AND r.peer_id = c.owner_id " +
            "WHERE c.owner_id = @o AND c.state = @a AND r.state = @a")
            .With("o", ownerId).With("a", (int)ContactState.Accepted);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var contacts = new List<ContactRef>();
        while (await reader.ReadAsync(cancellationToken))
        {
            contacts.Add(new ContactRef(reader.GetInt64Value(0), reader.GetString(1)));
        }

        return contacts;
    }

    /// <inheritdoc />
    public async Task<ContactEntry?> GetAsync(long ownerId, long peerId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand($"SELECT {Columns} FROM contacts WHERE owner_id = @o AND peer_id = @p")
            .With("o", ownerId).With("p", peerId);
        var rows = await ReadEntriesAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task ApplyAsync(IReadOnlyList<ContactChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, cancellationToken);
        foreach (var change in changes)
        {
            await using var command = change.State is null
                ? connection.CreateCommand("DELETE FROM contacts WHERE owner_id = @o AND peer_id = @p", transaction)
                    .With("o", change.OwnerId).With("p", change.PeerId)
                : connection.CreateCommand(
                    "INSERT INTO contacts (owner_id, peer_id, peer_name, state, note, updated_ms) VALUES (@o, @p, @n, @s, @note, @t) " +
                    "ON CONFLICT (owner_id, peer_id) DO UPDATE SET peer_name = @n, state = @s, note = @note, updated_ms = @t", transaction)
                    .With("o", change.OwnerId).With("p", change.PeerId).With("n", change.PeerName)
                    .With("s", (int)change.State.Value).With("note", change.Note).With("t", change.UpdatedMs);
            await command.ExecuteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteAccountAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, cancellationToken);
        await using var command = connection.CreateCommand("DELETE FROM contacts WHERE owner_id = @a OR peer_id = @a", transaction)
            .With("a", accountId);
        await command.ExecuteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<ContactEntry>> ReadEntriesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ContactEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ContactEntry(reader.GetInt64Value(0), reader.GetString(1), (ContactState)reader.GetInt64Value(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64Value(4)));
        }

        return rows;
    }
}
