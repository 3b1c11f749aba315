using Parley.Server.Accounts;

namespace Parley.Server.Keys;

/// <summary>
/// Told when a bundle fetch left an account with fewer one-time prekeys than
/// <see cref="KeyOptions.LowPreKeyThreshold"/> of either kind, so the owner's client can refill them
/// (the relay pushes a <c>PreKeyStock</c> frame to it; a cluster forwards the event to the owner's node).
/// </summary>
public interface IPreKeyStockListener
{
    /// <summary>The account's stock after the fetch.</summary>
    void OnStockLow(AccountId owner, int oneTimePreKeys, int kemPreKeys, int lowWater);
}
