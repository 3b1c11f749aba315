using System.Collections.Immutable;

namespace Parley.Client;

/// <summary>
/// The event stream of one profile: messages, receipts, typing, presence, contact changes, key
/// changes and connection state, as the link's inbox produces them. Subscribers are called in
/// order of subscription, synchronously, on the link's reading loop (while the profile's store is
/// held): they must be quick and must not call back into the client — queue the event and return.
/// </summary>
public sealed class ClientEvents
{
    private ImmutableArray<Action<ClientEvent>> _subscribers = [];

    /// <summary>Subscribes <paramref name="handler"/> until the returned handle is disposed.</summary>
    /// <param name="handler">Called for every event.</param>
    /// <returns>Dispose to unsubscribe.</returns>
    public IDisposable Subscribe(Action<ClientEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _subscribers, static (list, h) => list.Add(h), handler);
        return new Subscription(this, handler);
    }

    /// <summary>Hands <paramref name="e"/> to every subscriber.</summary>
    internal void Emit(ClientEvent e)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber(e);
        }
    }

    private sealed class Subscription(ClientEvents owner, Action<ClientEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                ImmutableInterlocked.Update(ref owner._subscribers, static (list, h) => list.Remove(h), handler);
            }
        }
    }
}
