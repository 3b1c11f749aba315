using System.Globalization;
using System.Security.Claims;

namespace Parley.Server.Relay;

/// <summary>Reads the account id and username that the server's bearer authentication put in the principal.</summary>
public static class RelayIdentity
{
    /// <summary>Gets the authenticated account; false if the principal lacks either claim.</summary>
    public static bool TryGet(ClaimsPrincipal user, out long accountId, out string username)
    {
        ArgumentNullException.ThrowIfNull(user);
        username = user.FindFirstValue(ClaimTypes.Name) ?? string.Empty;
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (username.Length == 0 || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out accountId))
        {
            accountId = 0;
            return false;
        }

        return true;
    }
}
