using CsCheck;
using Parley.Client.Messaging;
using Parley.Client.Storage;

namespace Parley.Client.Tests.Properties;

/// <summary>Whatever order and however often deliveries arrive, each message is stored once and shown once.</summary>
public sealed class InboxProperties : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StoreKey _key = StoreKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Redelivered_and_interleaved_messages_are_shown_exactly_once()
    {
        var ids = Enumerable.Range(0, 12).Select(_ => MessageId.New()).ToArray();

        // A schedule: deliveries of message indexes (with repeats), and "show" points in between.
        var schedule = Gen.Int[0, ids.Length].Array[1, 60];
        var run = 0;
        schedule.Sample(steps =>
        {
            using var store = ClientStore.Create(_dir.File($"p{Interlocked.Increment(ref run)}.db"), _key);
            var shown = new List<MessageId>();
            foreach (var step in steps)
            {
                if (step == ids.Length)
                {
                    shown.AddRange(store.TakeUnshownIncoming().Select(m => m.Id));
                    continue;
                }

                if (!store.HasMessage(ids[step]))
                {
                    Assert.True(store.TryAddIncoming(Message(ids[step], step)));
                }
                else
                {
                    Assert.False(store.TryAddIncoming(Message(ids[step], step)));
                }
            }

            shown.AddRange(store.TakeUnshownIncoming().Select(m => m.Id));
            var delivered = steps.Where(s => s < ids.Length).Select(s => ids[s]).Distinct().ToList();
            Assert.Equal(delivered.Count, shown.Count);
            Assert.Equal(delivered.OrderBy(i => i.Value), shown.OrderBy(i => i.Value));
        }, iter: 40);
    }

    private static StoredMessage Message(MessageId id, int n) => new()
    {
        Id = id,
        Peer = n % 2 == 0 ? "bob" : "carol",
        Direction = MessageDirection.Incoming,
        State = DeliveryState.Delivered,
        Text = "m" + n,
        SentAt = DateTimeOffset.UnixEpoch,
    };
}
