using System.Text;
using Microsoft.Data.Sqlite;
using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Storage;

namespace Parley.Client.Tests.Storage;

public sealed class ClientStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StoreKey _key = StoreKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Secrets_round_trip_and_survive_reopening()
    {
        using (var store = ClientStore.Create(_dir.File("s.db"), _key))
        {
            store.PutSecret("session", "bob", [1, 2, 3]);
        }

        using var reopened = ClientStore.Open(_dir.File("s.db"), _key);
        Assert.Equal([1, 2, 3], reopened.GetSecret("session", "bob"));
        Assert.Null(reopened.GetSecret("session", "carol"));
        Assert.Equal(1, reopened.CountSecrets("session"));
        Assert.True(reopened.RemoveSecret("session", "bob"));
        Assert.Null(reopened.GetSecret("session", "bob"));
    }

    [Fact]
    public void The_store_and_its_wal_and_shm_files_are_created_0600_and_an_old_0644_store_is_narrowed()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes
        }

        const UnixFileMode privateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var path = _dir.File("modes.db");
        using (var store = ClientStore.Create(path, _key))
        {
            store.PutSecret("session", "bob", [1, 2, 3]);
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                Assert.True(File.Exists(file), file);
                Assert.Equal(privateFile, File.GetUnixFileMode(file));
            }
        }

        File.SetUnixFileMode(path, privateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using (ClientStore.Open(path, _key))
        {
            Assert.Equal(privateFile, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Opening_with_another_key_is_refused()
    {
        using (ClientStore.Create(_dir.File("s.db"), _key))
        {
        }

        using var other = StoreKey.Generate();
        var e = Assert.Throws<ParleyClientException>(() => ClientStore.Open(_dir.File("s.db"), other));
        Assert.Equal(ClientErrorKind.StoreCorrupt, e.Kind);
    }

    [Fact]
    public void No_plaintext_or_contact_name_reaches_the_database_file()
    {
        const string canary = "CANARY-7f3a-the-eagle-lands-at-midnight";
        const string peer = "zebediah_the_contact";
        using (var store = ClientStore.Create(_dir.File("s.db"), _key))
        {
            store.PutContact(new Contact { UserName = peer, State = ContactState.Accepted, IdentityKey = Encoding.UTF8.GetBytes(canary + "-key") });
            store.AddOutgoing(Outgoing(peer, canary), Encoding.UTF8.GetBytes(canary + "-frame"));
            store.TryAddIncoming(Incoming(peer, canary + "-reply"));
            store.PutSecret("token", "server", Encoding.UTF8.GetBytes(canary + "-token"));
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(_dir.Path))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(canary)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(peer)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(_key.Bytes[..16]));
        }
    }

    [Fact]
    public void Contacts_keep_null_and_empty_keys_apart()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        store.PutContact(new Contact { UserName = "bob" });
        store.PutContact(new Contact { UserName = "carol", IdentityKey = [1, 2], ChangedIdentityKey = [] });

        var bob = store.GetContact("bob")!;
        Assert.Null(bob.IdentityKey);
        Assert.False(bob.KeyChanged);
        var carol = store.GetContact("carol")!;
        Assert.Equal([1, 2], carol.IdentityKey);
        Assert.True(carol.KeyChanged);
        Assert.Empty(carol.ChangedIdentityKey!);
        Assert.Null(store.GetContact("dave"));
        Assert.Equal(["bob", "carol"], store.ListContacts().Select(c => c.UserName));
    }

    [Fact]
    public void A_sealed_value_moved_to_another_row_does_not_open()
    {
        using (var store = ClientStore.Create(_dir.File("s.db"), _key))
        {
            store.TryAddIncoming(Incoming("bob", "first"));
            store.TryAddIncoming(Incoming("bob", "second"));
        }

        using (var raw = new SqliteConnection("Data Source=" + _dir.File("s.db") + ";Pooling=False"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = "UPDATE messages SET body = (SELECT body FROM messages WHERE seq = 1) WHERE seq = 2";
            cmd.ExecuteNonQuery();
        }

        using var reopened = ClientStore.Open(_dir.File("s.db"), _key);
        var e = Assert.Throws<ParleyClientException>(() => reopened.History("bob", 10));
        Assert.Equal(ClientErrorKind.StoreCorrupt, e.Kind);
    }

    [Fact]
    public void A_flipped_bit_in_a_sealed_value_is_detected()
    {
        using (var store = ClientStore.Create(_dir.File("s.db"), _key))
        {
            store.PutSecret("session", "bob", new byte[64]);
        }

        using (var raw = new SqliteConnection("Data Source=" + _dir.File("s.db") + ";Pooling=False"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = "SELECT value FROM blobs WHERE ns = 'session'";
            var value = (byte[])cmd.ExecuteScalar()!;
            value[20] ^= 0x01;
            using var update = raw.CreateCommand();
            update.CommandText = "UPDATE blobs SET value = $v WHERE ns = 'session'";
            update.Parameters.AddWithValue("$v", value);
            update.ExecuteNonQuery();
        }

        using var reopened = ClientStore.Open(_dir.File("s.db"), _key);
        Assert.Equal(ClientErrorKind.StoreCorrupt, Assert.Throws<ParleyClientException>(() => reopened.GetSecret("session", "bob")).Kind);
    }

    [Fact]
    public void An_incoming_message_is_stored_once_and_shown_once()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        var message = Incoming("bob", "hello");
        Assert.True(store.TryAddIncoming(message));
        Assert.False(store.TryAddIncoming(message));
        Assert.True(store.HasMessage(message.Id));

        var shown = store.TakeUnshownIncoming();
        Assert.Single(shown);
        Assert.Equal("hello", shown[0].Text);
        Assert.Empty(store.TakeUnshownIncoming());
    }

    [Fact]
    public void The_outbox_keeps_frames_until_acknowledged()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        var first = Outgoing("bob", "one");
        var second = Outgoing("bob", "two");
        store.AddOutgoing(first, [1]);
        store.AddOutgoing(second, [2]);

        Assert.Equal([first.Id, second.Id], store.PendingOutbox().Select(p => p.Id));
        store.MarkAcknowledged(first.Id);
        var pending = Assert.Single(store.PendingOutbox());
        Assert.Equal(second.Id, pending.Id);
        Assert.Equal([2], pending.Payload);
        Assert.Equal(DeliveryState.Sent, store.GetMessage(first.Id)!.State);
    }

    [Fact]
    public void Delivery_states_only_move_forward()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        var message = Outgoing("bob", "x");
        store.AddOutgoing(message, [0]);
        Assert.True(store.AdvanceState(message.Id, DeliveryState.Read));
        Assert.False(store.AdvanceState(message.Id, DeliveryState.Delivered));
        Assert.Equal(DeliveryState.Read, store.GetMessage(message.Id)!.State);
    }

    [Fact]
    public void History_returns_the_last_messages_of_one_peer_in_order()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        for (var i = 0; i < 5; i++)
        {
            store.TryAddIncoming(Incoming("bob", "b" + i));
            store.TryAddIncoming(Incoming("carol", "c" + i));
        }

        Assert.Equal(["b2", "b3", "b4"], store.History("bob", 3).Select(m => m.Text));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.History("bob", ClientStore.MaxHistoryLimit + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.History("bob", 0));
    }

    [Fact]
    public void A_failed_transaction_changes_nothing()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        Assert.Throws<InvalidOperationException>(() => store.InTransaction(() =>
        {
            store.PutSecret("session", "bob", [9]);
            throw new InvalidOperationException("boom");
        }));
        Assert.Null(store.GetSecret("session", "bob"));
    }

    private static StoredMessage Incoming(string peer, string text) => new()
    {
        Id = MessageId.New(),
        Peer = peer,
        Direction = MessageDirection.Incoming,
        State = DeliveryState.Delivered,
        Text = text,
        SentAt = DateTimeOffset.UnixEpoch,
    };

    private static StoredMessage Outgoing(string peer, string text) => new()
    {
        Id = MessageId.New(),
        Peer = peer,
        Direction = MessageDirection.Outgoing,
        State = DeliveryState.Pending,
        Text = text,
        SentAt = DateTimeOffset.UnixEpoch,
    };
}
