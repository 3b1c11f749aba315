using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Parley.Server.Throttling;

/// <summary>
/// The cluster's <see cref="IThrottleStore"/> (issue 13): every counter and lease lives in Redis, and
/// each operation is one Lua script, so it is atomic across every node — an attacker who spreads
/// logins, bundle fetches or contact requests over the nodes meets one limit, not one per node.
/// </summary>
/// <remarks>
/// Time is the node's <see cref="TimeProvider"/> (passed to each script as milliseconds), so the
/// semantics are exactly those of <see cref="MemoryThrottleStore"/>; nodes' clocks differ by far less
/// than any window. Each key is stored as the HMAC-SHA256 of its name under a key the nodes derive
/// from their shared server secret, so Redis holds no usernames, client addresses or requester–target
/// pairs, only opaque digests; every node computes the same digest for the same counter. A counter is a hash <c>{v, e}</c> (value, expiry in ms); a lease set is a sorted
/// set scored by each lease's expiry. Redis's own key expiry (window or longest lease) only reclaims
/// memory. When Redis cannot be reached an operation throws <see cref="ThrottleStoreUnavailableException"/>
/// (fail closed: no login, registration or fetch goes unthrottled because the shared state is away;
/// the client is answered 503 with Retry-After).
/// </remarks>
public sealed class RedisThrottleStore : IThrottleStore
{
    /// <summary>Prefix of every key this store writes, so its keys are recognisable in a shared Redis.</summary>
    public const string DefaultKeyPrefix = "parley:throttle:";

    private const string ReadCounter = """
        local function live(key, now)
          local e = tonumber(redis.call('HGET', key, 'e') or '0')
          if e > now then return tonumber(redis.call('HGET', key, 'v') or '0'), e end
          return 0, 0
        end
        """;

    private const string ReserveScript = ReadCounter + """

        local now = tonumber(ARGV[1])
        for i = 1, #KEYS do
          local limit = tonumber(ARGV[2 * i])
          local window = tonumber(ARGV[2 * i + 1])
          local v, e = live(KEYS[i], now)
          if e > 0 and v >= limit then return {i - 1, e - now} end
          if limit <= 0 then return {i - 1, window} end
        end
        for i = 1, #KEYS do
          local window = tonumber(ARGV[2 * i + 1])
          local v = live(KEYS[i], now)
          redis.call('HSET', KEYS[i], 'v', v + 1, 'e', now + window)
          redis.call('PEXPIRE', KEYS[i], math.max(window, 1))
        end
        return {-1, 0}
        """;

    private const string AddScript = ReadCounter + """

        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[3])
        local v = live(KEYS[1], now) + tonumber(ARGV[2])
        if v < 0 then v = 0 end
        redis.call('HSET', KEYS[1], 'v', v, 'e', now + window)
        redis.call('PEXPIRE', KEYS[1], math.max(window, 1))
        return v
        """;

    private const string GetScript = ReadCounter + """

        return live(KEYS[1], tonumber(ARGV[1]))
        """;

    private const string AcquireLeaseScript = """
        local now = tonumber(ARGV[1])
        local limit = tonumber(ARGV[3])
        local life = tonumber(ARGV[4])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if not redis.call('ZSCORE', KEYS[1], ARGV[2]) and redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
        redis.call('ZADD', KEYS[1], now + life, ARGV[2])
        local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        redis.call('PEXPIRE', KEYS[1], math.max(tonumber(last[2]) - now, 1))
        return 1
        """;

    /// <summary>Length in bytes of the key that names counters in Redis.</summary>
    public const int KeyMacLength = 32;

    private readonly Func<IDatabase?> _database;
    private readonly TimeProvider _time;
    private readonly byte[] _keyMac;
    private readonly string _prefix;

    /// <summary>A store on the Redis database <paramref name="database"/> returns (null while not connected yet).</summary>
    /// <param name="database">The Redis database; the connection is the caller's (the node's cluster link).</param>
    /// <param name="time">The clock.</param>
    /// <param name="keyMac">The <see cref="KeyMacLength"/>-byte key that turns counter names into Redis keys; the same on every node.</param>
    /// <param name="keyPrefix">Prefix of every key.</param>
    public RedisThrottleStore(Func<IDatabase?> database, TimeProvider time, byte[] keyMac, string keyPrefix = DefaultKeyPrefix)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(keyMac);
        ArgumentOutOfRangeException.ThrowIfNotEqual(keyMac.Length, KeyMacLength, nameof(keyMac));
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        _database = database;
        _time = time;
        _keyMac = keyMac;
        _prefix = keyPrefix;
    }

    /// <inheritdoc />
    public async ValueTask<ThrottleResult> TryReserveAsync(IReadOnlyList<ThrottleCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        if (charges.Count == 0)
        {
            return ThrottleResult.Allow;
        }

        var keys = new RedisKey[charges.Count];
        var args = new RedisValue[1 + (2 * charges.Count)];
        args[0] = Now();
        for (var i = 0; i < charges.Count; i++)
        {
            keys[i] = Key(charges[i].Key);
            args[1 + (2 * i)] = charges[i].Limit;
            args[2 + (2 * i)] = Milliseconds(charges[i].Window);
        }

        var answer = (RedisResult[])(await EvaluateAsync(ReserveScript, keys, args, cancellationToken).ConfigureAwait(false))!;
        var index = (int)answer[0];
        return index < 0 ? ThrottleResult.Allow : new ThrottleResult(false, index, TimeSpan.FromMilliseconds((long)answer[1]));
    }

    /// <inheritdoc />
    public async ValueTask<long> AddAsync(string key, long delta, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (long)await EvaluateAsync(AddScript, [Key(key)], [Now(), delta, Milliseconds(window)], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<long> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (long)await EvaluateAsync(GetScript, [Key(key)], [Now()], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ResetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await CallAsync(database => database.KeyDeleteAsync(Key(key)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryAcquireLeaseAsync(string key, string leaseId, int limit, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(leaseId);
        var result = await EvaluateAsync(AcquireLeaseScript, [Key(key)], [Now(), leaseId, limit, Milliseconds(lifetime)], cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseLeaseAsync(string key, string leaseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(leaseId);
        await CallAsync(database => database.SortedSetRemoveAsync(Key(key), leaseId), cancellationToken).ConfigureAwait(false);
    }

    private Task<RedisResult> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] args, CancellationToken cancellationToken) =>
        CallAsync(database => database.ScriptEvaluateAsync(script, keys, args), cancellationToken);

    /// <summary>One Redis call; an unreachable, failing or timed-out Redis becomes <see cref="ThrottleStoreUnavailableException"/>.</summary>
    private async Task<T> CallAsync<T>(Func<IDatabase, Task<T>> call, CancellationToken cancellationToken)
    {
        var database = _database() ?? throw new ThrottleStoreUnavailableException();
        try
        {
            return await call(database).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw new ThrottleStoreUnavailableException(exception);
        }
    }

    private RedisKey Key(string key) =>
        _prefix + Base64Url.EncodeToString(HMACSHA256.HashData(_keyMac, Encoding.UTF8.GetBytes(key)));

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static long Milliseconds(TimeSpan span) => (long)span.TotalMilliseconds;
}
