using Parley.Crypto.Auth;
using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Keys;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Contract;

/// <summary>
/// <see cref="IAccountStore"/>, <see cref="LoginChallengeStore"/> and <see cref="IKeyStore"/> behave the
/// same on SQLite and PostgreSQL: uniqueness, invite consumption in the same transaction, credential
/// change revoking sessions, deletion cascading to sessions and keys, single-use login ids and
/// challenges, identity uniqueness, pool caps rolling back, and atomic one-time key consumption.
/// </summary>
public abstract class AccountKeyStoreContract
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    /// <summary>A fresh database of the engine under test.</summary>
    protected abstract IDatabase Database { get; }

    [Fact]
    public async Task Usernames_are_unique_and_a_failed_insert_leaves_the_invite_unused()
    {
        await TestDatabases.MigrateAsync(Database);
        var store = new SqlAccountStore(Database);
        var name = AuthFlows.NewUsername("u");
        var invite = RandomBytes();
        await store.CreateInviteAsync(invite, Now, Now.AddDays(1), CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(CreateAccountOutcome.Created, (await store.CreateAsync(name, Credentials(), Now, null, CancellationToken.None).WaitAsync(Timeout)).Outcome);
        Assert.Equal(CreateAccountOutcome.UsernameTaken, (await store.CreateAsync(name, Credentials(), Now, invite, CancellationToken.None).WaitAsync(Timeout)).Outcome);
        var (outcome, id) = await store.CreateAsync(name + "x", Credentials(), Now, invite, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(CreateAccountOutcome.Created, outcome);
        Assert.Equal(CreateAccountOutcome.InviteInvalid, (await store.CreateAsync(name + "y", Credentials(), Now, invite, CancellationToken.None).WaitAsync(Timeout)).Outcome);
        var found = await store.FindByIdAsync(id, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(name + "x", found!.Username);
        Assert.Null(await store.FindByUsernameAsync(name + "y", CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(id, await store.FindIdByUsernameAsync(name + "x", CancellationToken.None).WaitAsync(Timeout));
        Assert.Null(await store.FindIdByUsernameAsync(name + "y", CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Expired_invites_are_refused()
    {
        await TestDatabases.MigrateAsync(Database);
        var store = new SqlAccountStore(Database);
        var invite = RandomBytes();
        await store.CreateInviteAsync(invite, Now.AddDays(-2), Now.AddDays(-1), CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(CreateAccountOutcome.InviteInvalid,
            (await store.CreateAsync(AuthFlows.NewUsername("v"), Credentials(), Now, invite, CancellationToken.None).WaitAsync(Timeout)).Outcome);
    }

    [Fact]
    public async Task Changing_credentials_revokes_sessions_and_deleting_cascades()
    {
        await TestDatabases.MigrateAsync(Database);
        var accounts = new SqlAccountStore(Database);
        var sessions = new SqlSessionTokenStore(Database);
        var keys = new SqlKeyStore(Database);
        var (_, id) = await accounts.CreateAsync(AuthFlows.NewUsername("w"), Credentials(), Now, null, CancellationToken.None).WaitAsync(Timeout);
        var (_, hash) = SessionToken.Create();
        await sessions.CreateAsync(hash, id, Now, Now.AddDays(1), CancellationToken.None).WaitAsync(Timeout);
        var fresh = Credentials();
        Assert.True(await accounts.ChangeCredentialsAsync(id, fresh, CancellationToken.None).WaitAsync(Timeout));
        Assert.Null(await sessions.FindAsync(hash, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(fresh.Verifier, (await accounts.FindByIdAsync(id, CancellationToken.None).WaitAsync(Timeout))!.Credentials.Verifier);

        await sessions.CreateAsync(hash, id, Now, Now.AddDays(1), CancellationToken.None).WaitAsync(Timeout);
        await keys.SetIdentityAsync(id, [1], RandomBytes(), RandomBytes(), false, Now, CancellationToken.None).WaitAsync(Timeout);
        await keys.AddOneTimeAsync(id, OneTimeKind.X25519, [(1, [1]), (2, [2])], 10, CancellationToken.None).WaitAsync(Timeout);
        Assert.True(await accounts.DeleteAsync(id, CancellationToken.None).WaitAsync(Timeout));
        Assert.Null(await sessions.FindAsync(hash, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(new KeyCounts(0, 0, false, false, false, false), await keys.CountAsync(id, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await accounts.ChangeCredentialsAsync(id, fresh, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Login_ids_and_challenges_are_single_use()
    {
        await TestDatabases.MigrateAsync(Database);
        var store = new LoginChallengeStore(Database);
        var loginId = RandomBytes();
        await store.CreateAsync(loginId, new PendingLogin("user", null, [1, 2], [3, 4], Now.AddMinutes(1), new LoginPlan("user", "127.0.0.1", null)), CancellationToken.None).WaitAsync(Timeout);
        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TakeAsync(loginId, CancellationToken.None))).WaitAsync(Timeout);
        Assert.Single(taken, t => t is not null);
        Assert.Equal("user", taken.Single(t => t is not null)!.Username);
        var challenge = RandomBytes();
        var spent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TrySpendChallengeAsync(challenge, Now, CancellationToken.None))).WaitAsync(Timeout);
        Assert.Single(spent, s => s);
        Assert.True(await store.DeleteExpiredAsync(Now.AddMinutes(2), CancellationToken.None).WaitAsync(Timeout) >= 1);
    }

    [Fact]
    public async Task Identity_halves_are_unique_across_accounts_and_replacement_clears_prekeys()
    {
        await TestDatabases.MigrateAsync(Database);
        var accounts = new SqlAccountStore(Database);
        var keys = new SqlKeyStore(Database);
        var (_, a) = await accounts.CreateAsync(AuthFlows.NewUsername("a"), Credentials(), Now, null, CancellationToken.None).WaitAsync(Timeout);
        var (_, b) = await accounts.CreateAsync(AuthFlows.NewUsername("b"), Credentials(), Now, null, CancellationToken.None).WaitAsync(Timeout);
        byte[] signing = RandomBytes(), agreement = RandomBytes();
        Assert.Equal(IdentityOutcome.Stored, await keys.SetIdentityAsync(a, [1], signing, agreement, false, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(IdentityOutcome.Unchanged, await keys.SetIdentityAsync(a, [1], signing, agreement, false, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(IdentityOutcome.InUseByOtherAccount, await keys.SetIdentityAsync(b, [2], signing, RandomBytes(), false, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(IdentityOutcome.InUseByOtherAccount, await keys.SetIdentityAsync(b, [2], RandomBytes(), agreement, false, Now, CancellationToken.None).WaitAsync(Timeout));
        await keys.SetSingleAsync(a, SingleKeyKind.SignedPreKey, 1, [5], Now, CancellationToken.None).WaitAsync(Timeout);
        await keys.AddOneTimeAsync(a, OneTimeKind.MlKem, [(1, [1])], 10, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(IdentityOutcome.ExistsDifferent, await keys.SetIdentityAsync(a, [3], RandomBytes(), RandomBytes(), false, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(IdentityOutcome.Stored, await keys.SetIdentityAsync(a, [3], RandomBytes(), RandomBytes(), true, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(new KeyCounts(0, 0, true, false, false, false), await keys.CountAsync(a, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(IdentityOutcome.Stored, await keys.SetIdentityAsync(b, [2], signing, agreement, false, Now, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Pools_are_capped_atomically_and_concurrent_takes_never_share_a_key()
    {
        await TestDatabases.MigrateAsync(Database);
        var accounts = new SqlAccountStore(Database);
        var keys = new SqlKeyStore(Database);
        var (_, id) = await accounts.CreateAsync(AuthFlows.NewUsername("p"), Credentials(), Now, null, CancellationToken.None).WaitAsync(Timeout);
        var batch = Enumerable.Range(1, 40).Select(i => ((uint)i, BitConverter.GetBytes(i))).ToList();
        Assert.Equal(40, await keys.AddOneTimeAsync(id, OneTimeKind.X25519, batch, 40, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(0, await keys.AddOneTimeAsync(id, OneTimeKind.X25519, batch[..5], 40, CancellationToken.None).WaitAsync(Timeout)); // same ids skipped
        Assert.Equal(-1, await keys.AddOneTimeAsync(id, OneTimeKind.X25519, [(99, [9])], 40, CancellationToken.None).WaitAsync(Timeout));
        var taken = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Task.Run(() => keys.TakeOneTimeAsync(id, OneTimeKind.X25519, CancellationToken.None))))
            .WaitAsync(Timeout);
        var got = taken.Where(t => t is not null).Select(t => BitConverter.ToInt32(t!)).ToList();
        Assert.Equal(40, got.Count);
        Assert.Equal(40, got.Distinct().Count());
        Assert.Null(await keys.TakeOneTimeAsync(id, OneTimeKind.X25519, CancellationToken.None).WaitAsync(Timeout));
    }

    private static byte[] RandomBytes() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    private static SrpRegistration Credentials() => new(RandomBytes(), RandomBytes(), new byte[16], new Argon2Parameters(1024, 1, 1));
}

public sealed class AccountKeyStoreContractSqlite : AccountKeyStoreContract, IDisposable
{
    private readonly TempDirectory directory = new();

    public AccountKeyStoreContractSqlite() => Database = TestDatabases.Sqlite(directory);

    protected override IDatabase Database { get; }

    public void Dispose() => directory.Dispose();
}

public sealed class AccountKeyStoreContractPostgres(PostgresDatabaseFixture fixture) : AccountKeyStoreContract, IClassFixture<PostgresDatabaseFixture>
{
    protected override IDatabase Database { get; } = TestDatabases.Postgres(fixture);
}
