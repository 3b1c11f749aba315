using BenchmarkDotNet.Attributes;
using Parley.Client.Messaging;
using Parley.Client.Storage;

namespace Parley.Benchmarks;

/// <summary>
/// The client's encrypted store: what one received message costs to seal and commit (SQLite in WAL
/// mode, synchronous FULL — one fsync per commit, as the CLI runs it), reading a page of history,
/// and a session-record round trip (seal, upsert, read, open).
/// </summary>
[MemoryDiagnoser]
public class ClientStoreBenchmarks
{
    private string _dir = string.Empty;
    private StoreKey _key = null!;
    private ClientStore _store = null!;
    private string _text = string.Empty;
    private byte[] _session = [];

    [Params(64, 4096)]
    public int TextLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "parley-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _key = StoreKey.Generate();
        _store = ClientStore.Create(Path.Combine(_dir, "store.db"), _key);
        _text = new string('x', TextLength);
        _session = new byte[2048];
        for (var i = 0; i < 200; i++)
        {
            StoreIncoming();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _key.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public bool StoreIncoming() => _store.TryAddIncoming(new StoredMessage
    {
        Id = MessageId.New(),
        Peer = "bob",
        Direction = MessageDirection.Incoming,
        State = DeliveryState.Delivered,
        Text = _text,
        SentAt = DateTimeOffset.UnixEpoch,
    });

    [Benchmark]
    public int History50() => _store.History("bob", 50).Count;

    [Benchmark]
    public int SessionRecordRoundTrip()
    {
        _store.PutSecret("session", "bob", _session);
        return _store.GetSecret("session", "bob")!.Length;
    }
}
