using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.EndToEnd.Tests.Infrastructure;
using Parley.Wire;

namespace Parley.EndToEnd.Tests.Malicious;

/// <summary>A real server, the malicious relay in front of it, and users whose clients pin the relay.</summary>
internal sealed class EvilWorld : IAsyncDisposable
{
    private EvilWorld(World world, MaliciousRelay relay)
    {
        World = world;
        Relay = relay;
    }

    public World World { get; }

    public MaliciousRelay Relay { get; }

    public static async Task<EvilWorld> StartAsync()
    {
        var world = await World.StartAsync();
        try
        {
            return new EvilWorld(world, await MaliciousRelay.StartAsync(world.Server));
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registered users, all behind the relay.</summary>
    public async Task<User[]> UsersAsync(params string[] names)
    {
        var users = names.Select(n => World.NewUserVia(n, Relay.Url, Relay.Fingerprint)).ToArray();
        foreach (var user in users)
        {
            await user.RegisterAsync(() => "proxy:\n" + Relay.Diagnostics + "\nserver:\n" + World.Server.Output);
        }

        return users;
    }

    /// <summary>Message frames the client of <paramref name="user"/> sent (Send frames, any recipient).</summary>
    public IReadOnlyList<Send> SendsBy(Func<RelayedClientFrame, bool> filter) =>
        Relay.FromClients.Where(filter).Select(f => f.Frame?.Send).OfType<Send>().ToList();

    /// <summary>Deliveries the server made, in order.</summary>
    public IReadOnlyList<Deliver> Deliveries(string sender) =>
        Relay.FromServer.Select(f => f.Frame?.Deliver).OfType<Deliver>().Where(d => d.Sender == sender).ToList();

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        await World.DisposeAsync();
    }

    /// <summary>Events of one type in a receive result.</summary>
    public static IReadOnlyList<JsonElement> OfType(IEnumerable<JsonElement> events, string type) =>
        events.Where(e => e.TryGetProperty("type", out var t) && t.GetString() == type).ToList();

    /// <summary>A fresh random 16-byte message id.</summary>
    public static ByteString NewMessageId() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16));

    /// <summary>A frame's bytes.</summary>
    public static byte[] Bytes(ServerFrame frame) => frame.ToByteArray();

    /// <summary>
    /// A complete, correctly self-signed bundle that claims to be <paramref name="accountId"/>'s but
    /// carries an identity key the attacker made: what a key-directory MITM serves.
    /// </summary>
    public static byte[] ForgedBundleJson(string accountId)
    {
        using var identity = IdentityKeyPair.Generate();
        using var signed = SignedPreKeyRecord.Generate(identity, new SignedPreKeyId(1), DateTimeOffset.UtcNow);
        using var oneTime = OneTimePreKeyRecord.Generate(new PreKeyId(1));
        using var kem = KemPreKeyRecord.Generate(identity, new KemPreKeyId(1), isLastResort: true);
        var bundle = new PreKeyBundle(accountId, identity.PublicKey, signed.PublicPreKey, oneTime.PublicPreKey, kem.PublicPreKey, SignedSuiteList.Create(identity, CipherSuites.All));
        return JsonSerializer.SerializeToUtf8Bytes(new { bundle = Convert.ToBase64String(bundle.Serialize()) });
    }
}
