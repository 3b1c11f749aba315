using Parley.Crypto.Keys;

namespace Parley.Crypto.Tests.Infrastructure;

/// <summary>One party's complete key material, generated fresh for a test.</summary>
public sealed class TestParty : IDisposable
{
    private TestParty(string accountId, bool withOneTimePreKey, bool lastResortKem)
    {
        AccountId = accountId;
        Identity = IdentityKeyPair.Generate();
        SignedPreKey = SignedPreKeyRecord.Generate(Identity, new SignedPreKeyId(7), DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000));
        OneTimePreKey = withOneTimePreKey ? OneTimePreKeyRecord.Generate(new PreKeyId(42)) : null;
        KemPreKey = KemPreKeyRecord.Generate(Identity, new KemPreKeyId(lastResortKem ? 1u : 99u), lastResortKem);
    }

    public string AccountId { get; }

    public IdentityKeyPair Identity { get; }

    public SignedPreKeyRecord SignedPreKey { get; }

    public OneTimePreKeyRecord? OneTimePreKey { get; }

    public KemPreKeyRecord KemPreKey { get; }

    public static TestParty Create(string accountId, bool withOneTimePreKey = true, bool lastResortKem = false) =>
        new(accountId, withOneTimePreKey, lastResortKem);

    public void Dispose()
    {
        Identity.Dispose();
        SignedPreKey.Dispose();
        OneTimePreKey?.Dispose();
        KemPreKey.Dispose();
    }
}

/// <summary>Builds the bundle a party would publish.</summary>
public static class TestBundles
{
    public static Parley.Crypto.Bundles.PreKeyBundle For(TestParty party, IReadOnlyList<Parley.Crypto.Bundles.CipherSuite>? suites = null) =>
        new(
            party.AccountId,
            party.Identity.PublicKey,
            party.SignedPreKey.PublicPreKey,
            party.OneTimePreKey?.PublicPreKey,
            party.KemPreKey.PublicPreKey,
            Parley.Crypto.Bundles.SignedSuiteList.Create(party.Identity, suites ?? Parley.Crypto.Bundles.CipherSuites.All));
}
