namespace Parley.Client.Calls;

/// <summary>
/// The last <see cref="CallLimits.MaxRememberedCallIds"/> call ids this device placed or was offered,
/// oldest forgotten first, so a replayed or repeated offer never rings twice. An offer older than
/// <see cref="CallLimits.OfferTtl"/> is never rung anyway, so the bound only has to cover that window.
/// </summary>
internal sealed class RecentCallIds
{
    private readonly Queue<CallId> order = new();
    private readonly HashSet<CallId> ids = [];

    /// <summary>Adds <paramref name="id"/>; false when it was already remembered.</summary>
    public bool Add(CallId id)
    {
        if (!ids.Add(id))
        {
            return false;
        }
        order.Enqueue(id);
        if (order.Count > CallLimits.MaxRememberedCallIds)
        {
            ids.Remove(order.Dequeue());
        }
        return true;
    }
}
