using Parley.Crypto.Auth;
using Parley.Server.Accounts;

namespace Parley.Server.Contacts;

/// <summary>Finds accounts by username for the contact feature.</summary>
public interface IAccountLookup
{
    /// <summary>The account with this username (normalized first), or null.</summary>
    Task<ContactRef?> FindAsync(string username, CancellationToken cancellationToken);
}

/// <summary><see cref="IAccountLookup"/> over the server's account store.</summary>
public sealed class AccountStoreLookup : IAccountLookup
{
    private readonly IAccountStore _accounts;

    /// <summary>Creates the lookup.</summary>
    public AccountStoreLookup(IAccountStore accounts) => _accounts = accounts;

    /// <inheritdoc />
    public async Task<ContactRef?> FindAsync(string username, CancellationToken cancellationToken)
    {
        if (!Usernames.TryNormalize(username, out var normalized))
        {
            return null;
        }

        var id = await _accounts.FindIdByUsernameAsync(normalized, cancellationToken);
        return id is { } found ? new ContactRef(found.Value, normalized) : null;
    }
}
