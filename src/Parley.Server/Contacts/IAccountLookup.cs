using Parley.Server.Storage;

namespace Parley.Server.Contacts;

/// <summary>Finds accounts by username for the contact feature (read-only view of the accounts table).</summary>
public interface IAccountLookup
{
    /// <summary>The account with this (normalized) username, or null.</summary>
    Task<ContactRef?> FindAsync(string username, CancellationToken cancellationToken);
}

/// <summary><see cref="IAccountLookup"/> reading the server's <c>accounts</c> table.</summary>
public sealed class SqlAccountLookup : IAccountLookup
{
    private const int MaxUsernameLength = 64;
    private readonly IDatabase _database;

    /// <summary>Creates the lookup.</summary>
    public SqlAccountLookup(IDatabase database) => _database = database;

    /// <inheritdoc />
    public async Task<ContactRef?> FindAsync(string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (username.Length is 0 or > MaxUsernameLength)
        {
            return null;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand("SELECT id, username FROM accounts WHERE username = @u")
            .With("u", username.ToLowerInvariant());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new ContactRef(reader.GetInt64Value(0), reader.GetString(1)) : null;
    }
}
