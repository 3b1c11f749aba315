using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Server.Contacts;
using Parley.Server.Presence;
using Parley.Server.Relay;
using StackExchange.Redis;

namespace Parley.Server.Cluster;

/// <summary>
/// The relay's cluster edges on Redis pub/sub. After a commit: one doorbell message listing the
/// accounts (not connected here) that got mail and the first sequence of it. On registration: "account
/// X connected" so other nodes close X's older socket, plus an expiring "online" key. Presence and
/// contact-cache invalidations are broadcast the same way. Publishing is fire-and-forget: Redis being
/// down loses doorbells, never mail — PostgreSQL holds the mail and <see cref="ClusterSweeper"/>
/// re-checks every connection's queue.
/// </summary>
public sealed partial class RedisRelayCluster : IRelayCluster, IAsyncDisposable
{
    private const string DeleteIfOwnedScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private readonly byte[] _tag = RandomNumberGenerator.GetBytes(ClusterMessages.TagBytes);
    private readonly ClusterOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILogger<RedisRelayCluster> _logger;
    private ConnectionMultiplexer? _redis;
    private ConnectionRegistry _registry = null!;
    private CatchUpScheduler _catchUp = null!;
    private PresenceService _presence = null!;
    private ContactGraph _contacts = null!;

    /// <summary>Creates the cluster link; <see cref="StartAsync"/> connects it.</summary>
    public RedisRelayCluster(IOptions<ClusterOptions> options, IServiceProvider services, ILogger<RedisRelayCluster> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _services = services;
        _logger = logger;
    }

    /// <summary>Raised after Redis came back from an outage (doorbells may have been lost meanwhile).</summary>
    public event Action? Restored;

    /// <summary>This node's tag value for online keys.</summary>
    internal RedisValue NodeValue => _tag;

    /// <summary>The Redis database (null before start).</summary>
    internal IDatabase? Database => _redis?.GetDatabase();

    /// <summary>Connects to Redis (retrying in the background if it is down), subscribes and attaches to the relay.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _registry = _services.GetRequiredService<ConnectionRegistry>();
        _catchUp = _services.GetRequiredService<CatchUpScheduler>();
        _presence = _services.GetRequiredService<PresenceService>();
        _contacts = _services.GetRequiredService<ContactGraph>();
        var configuration = ConfigurationOptions.Parse(_options.Redis);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = "parley-" + Convert.ToHexStringLower(_tag.AsSpan(0, 4));
        _redis = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken);
        _redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                _contacts.Clear();
                Restored?.Invoke();
            }
        };
        var subscriber = _redis.GetSubscriber();
        await subscriber.SubscribeAsync(RedisChannel.Literal(ClusterMessages.MailChannel), (_, v) => OnMail(v));
        await subscriber.SubscribeAsync(RedisChannel.Literal(ClusterMessages.ConnectionChannel), (_, v) => OnConnection(v));
        await subscriber.SubscribeAsync(RedisChannel.Literal(ClusterMessages.PresenceChannel), (_, v) => OnPresence(v));
        await subscriber.SubscribeAsync(RedisChannel.Literal(ClusterMessages.ContactsChannel), (_, v) => OnContacts(v));
        _services.GetRequiredService<GroupCommitWriter>().AttachCluster(this);
        _contacts.AttachCluster(this);
        LogStarted(_logger, _redis.IsConnected);
    }

    /// <inheritdoc />
    public void Committed(QueueBatch commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        Dictionary<long, long>? first = null;
        for (var i = 0; i < commit.Inserts.Count; i++)
        {
            var message = commit.Inserts[i];
            if (commit.Inserted[i] && !_registry.IsOnline(message.RecipientId))
            {
                first ??= [];
                if (!first.TryGetValue(message.RecipientId, out var known) || message.Sequence < known)
                {
                    first[message.RecipientId] = message.Sequence;
                }
            }
        }

        foreach (var delete in commit.Deletes)
        {
            if (_registry.TryGet(delete.RecipientId, out var connection))
            {
                connection.ForgetAcknowledged(delete.Key.Id);
            }
        }

        if (first is not null)
        {
            Publish(ClusterMessages.MailChannel, ClusterMessages.Mail(_tag, first));
        }
    }

    /// <inheritdoc />
    public void Connected(RelayConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.TrackAcknowledgements();
        connection.ClusterNonce = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
        Publish(ClusterMessages.ConnectionChannel, ClusterMessages.Connection(_tag, connection.AccountId, connection.ClusterNonce));
        Try(db => db.StringSet(OnlineKey(connection.AccountId), NodeValue, _options.OnlineTtl, flags: CommandFlags.FireAndForget));
    }

    /// <inheritdoc />
    public void Disconnected(RelayConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Try(db => db.ScriptEvaluate(DeleteIfOwnedScript, [OnlineKey(connection.AccountId)], [NodeValue], CommandFlags.FireAndForget));
    }

    /// <inheritdoc />
    public void PresenceChanged(long accountId, string username, bool online) =>
        Publish(ClusterMessages.PresenceChannel, ClusterMessages.Presence(_tag, accountId, username, online));

    /// <inheritdoc />
    public void ContactsChanged(long accountId) => Publish(ClusterMessages.ContactsChannel, ClusterMessages.Account(_tag, accountId));

    /// <inheritdoc />
    public async Task<IReadOnlySet<long>> OnlineAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        var online = accountIds.Where(_registry.IsOnline).ToHashSet();
        var remote = accountIds.Where(id => !online.Contains(id)).Distinct().ToArray();
        if (remote.Length == 0 || Database is not { } db)
        {
            return online;
        }

        try
        {
            var values = await db.StringGetAsync(remote.Select(OnlineKey).ToArray()).WaitAsync(cancellationToken);
            for (var i = 0; i < remote.Length; i++)
            {
                if (values[i].HasValue)
                {
                    online.Add(remote[i]);
                }
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogRedisUnavailable(_logger, exception.GetType().Name);
        }

        return online;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.CloseAsync();
            _redis.Dispose();
        }
    }

    /// <summary>The key holding the node tag of an account's connection.</summary>
    internal static RedisKey OnlineKey(long accountId) => ClusterMessages.OnlineKeyPrefix + accountId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void OnMail(RedisValue value)
    {
        if (!ClusterMessages.TrySplit(value, _tag, out var body, out _))
        {
            return;
        }

        for (var offset = 0; offset + ClusterMessages.MailEntryBytes <= body.Length; offset += ClusterMessages.MailEntryBytes)
        {
            if (_registry.TryGet(ClusterMessages.ReadInt64(body, offset), out var connection))
            {
                _catchUp.RingDoorbell(connection, ClusterMessages.ReadInt64(body, offset + 8));
            }
        }
    }

    private void OnConnection(RedisValue value)
    {
        if (!ClusterMessages.TrySplit(value, _tag, out var body, out var own) || body.Length < 16
            || !_registry.TryGet(ClusterMessages.ReadInt64(body, 0), out var connection))
        {
            return;
        }

        // Redis delivers a channel's messages in publish order to every node, so "which announcement came
        // last" is the same everywhere and needs no clocks: ours came back already, theirs is newer.
        if (own)
        {
            if (ClusterMessages.ReadInt64(body, 8) == connection.ClusterNonce)
            {
                connection.AnnouncedClusterWide = true;
            }
        }
        else if (connection.AnnouncedClusterWide && _registry.Unregister(connection))
        {
            // Unregistered first, so this socket's end announces no "offline": the account is online elsewhere.
            connection.Terminate(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "replaced");
        }
    }

    private void OnPresence(RedisValue value)
    {
        if (!ClusterMessages.TrySplit(value, _tag, out var body, out var own) || own || body.Length < 9)
        {
            return;
        }

        var account = ClusterMessages.ReadInt64(body, 0);
        var online = body[8] == 1;
        var username = System.Text.Encoding.UTF8.GetString(body[9..]);
        _ = AnnounceAsync(account, username, online);
    }

    private void OnContacts(RedisValue value)
    {
        if (ClusterMessages.TrySplit(value, _tag, out var body, out var own) && !own && body.Length >= 8)
        {
            _contacts.InvalidateLocally(ClusterMessages.ReadInt64(body, 0));
        }
    }

    private async Task AnnounceAsync(long account, string username, bool online)
    {
        try
        {
            await _presence.AnnounceLocallyAsync(account, username, online, CancellationToken.None);
        }
#pragma warning disable CA1031 // Presence is best effort; a failure must not reach the subscriber thread.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRedisUnavailable(_logger, exception.GetType().Name);
        }
    }

    private void Publish(string channel, byte[] payload) =>
        Try(db => db.Multiplexer.GetSubscriber().Publish(RedisChannel.Literal(channel), payload, CommandFlags.FireAndForget));

    private void Try(Action<IDatabase> action)
    {
        if (Database is not { } db)
        {
            return;
        }

        try
        {
            action(db);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Redis is down: the doorbell is lost, the mail is not (PostgreSQL); the sweep finds it.
            LogRedisUnavailable(_logger, exception.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Cluster link started (Redis connected: {Connected})")]
    private static partial void LogStarted(ILogger logger, bool connected);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Redis unavailable ({Reason}); relying on the sweep")]
    private static partial void LogRedisUnavailable(ILogger logger, string reason);
}
