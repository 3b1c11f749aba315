using Parley.Client.Messaging;
using Parley.Client.Storage;

namespace Parley.Client.Tests.Storage;

/// <summary>Paging a conversation backwards by a stable cursor (what the web app does on scroll).</summary>
public sealed class HistoryPageTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StoreKey _key = StoreKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Pages_walk_back_to_the_start_and_the_last_page_has_no_cursor()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        for (var i = 0; i < 7; i++)
        {
            store.TryAddIncoming(Message("bob", "b" + i, i));
            store.TryAddIncoming(Message("carol", "c" + i, i));
        }

        var texts = new List<string>();
        MessageId? cursor = null;
        var pages = 0;
        do
        {
            var page = store.HistoryPage("bob", 3, cursor)!;
            Assert.InRange(page.Messages.Count, 1, 3);
            texts.InsertRange(0, page.Messages.Select(m => m.Text));
            cursor = page.Older;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => "b" + i), texts);
    }

    [Fact]
    public void A_cursor_stays_valid_while_new_messages_arrive()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        for (var i = 0; i < 6; i++)
        {
            store.TryAddIncoming(Message("bob", "b" + i, i));
        }

        var newest = store.HistoryPage("bob", 2, null)!;
        Assert.Equal(["b4", "b5"], newest.Messages.Select(m => m.Text));
        store.TryAddIncoming(Message("bob", "b6", 6));
        store.TryAddIncoming(Message("bob", "b7", 7));
        var older = store.HistoryPage("bob", 2, newest.Older)!;
        Assert.Equal(["b2", "b3"], older.Messages.Select(m => m.Text));
    }

    [Fact]
    public void A_cursor_of_another_conversation_or_an_unknown_id_gives_no_page()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        var carols = Message("carol", "c", 0);
        store.TryAddIncoming(carols);
        store.TryAddIncoming(Message("bob", "b", 0));
        Assert.Null(store.HistoryPage("bob", 10, carols.Id));
        Assert.Null(store.HistoryPage("bob", 10, MessageId.New()));
        Assert.False(store.HasMessage("bob", carols.Id));
        Assert.True(store.HasMessage("carol", carols.Id));
    }

    [Fact]
    public void The_page_size_is_capped_at_the_limit_and_refused_one_past_it()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        store.TryAddIncoming(Message("bob", "b", 0));
        var page = store.HistoryPage("bob", ClientStore.MaxHistoryLimit, null)!;
        Assert.Single(page.Messages);
        Assert.Null(page.Older);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.HistoryPage("bob", ClientStore.MaxHistoryLimit + 1, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.HistoryPage("bob", 0, null));
    }

    private static StoredMessage Message(string peer, string text, int minute) => new()
    {
        Id = MessageId.New(),
        Peer = peer,
        Direction = MessageDirection.Incoming,
        State = DeliveryState.Delivered,
        Text = text,
        SentAt = DateTimeOffset.UnixEpoch.AddMinutes(minute),
    };
}
