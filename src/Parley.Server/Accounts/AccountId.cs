using System.Globalization;

namespace Parley.Server.Accounts;

/// <summary>An account's database id: stable for the account's life and never reused after deletion.</summary>
/// <param name="Value">The numeric id.</param>
public readonly record struct AccountId(long Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses the decimal form produced by <see cref="ToString"/>.</summary>
    public static bool TryParse(string? text, out AccountId id)
    {
        var ok = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0;
        id = ok ? new AccountId(value) : default;
        return ok;
    }
}
