using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Wire;

namespace Parley.Server.Relay;

/// <summary>Pushes a <see cref="PreKeyStock"/> frame to the owner's socket on this node, if connected (ephemeral).</summary>
public sealed class RelayPreKeyStock(ConnectionRegistry registry) : IPreKeyStockListener
{
    /// <inheritdoc />
    public void OnStockLow(AccountId owner, int oneTimePreKeys, int kemPreKeys, int lowWater)
    {
        if (registry.TryGet(owner.Value, out var connection))
        {
            connection.Enqueue(new ServerFrame
            {
                PrekeyStock = new PreKeyStock
                {
                    OneTimePrekeys = (uint)Math.Max(0, oneTimePreKeys),
                    KemPrekeys = (uint)Math.Max(0, kemPreKeys),
                    LowWater = (uint)Math.Max(0, lowWater),
                },
            });
        }
    }
}
