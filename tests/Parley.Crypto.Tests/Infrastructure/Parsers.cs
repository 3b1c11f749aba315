using Parley.Crypto.Agreement;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;

namespace Parley.Crypto.Tests.Infrastructure;

/// <summary>Every parser of untrusted key material, with one valid encoding for each.</summary>
public static class Parsers
{
    public delegate bool Parse(ReadOnlySpan<byte> input);

    public static IReadOnlyDictionary<string, (Parse Parse, byte[] Valid)> All { get; } = Build();

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in All.Keys.Order())
            {
                data.Add(name);
            }

            return data;
        }
    }

    private static Dictionary<string, (Parse, byte[])> Build()
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob");
        var bundle = TestBundles.For(bob);
        using var initiated = HybridAgreement.Initiate(alice.Identity, "alice", bundle, CipherSuites.All);
        return new Dictionary<string, (Parse, byte[])>
        {
            ["IdentityKey"] = (i => IdentityKey.TryParse(i, out _), bob.Identity.PublicKey.Serialize()),
            ["IdentityKeyPair"] = (i => Dispose(IdentityKeyPair.TryParsePrivate(i, out var k), k), bob.Identity.SerializePrivate()),
            ["SignedPreKey"] = (i => SignedPreKey.TryParse(i, out _), bob.SignedPreKey.PublicPreKey.Serialize()),
            ["SignedPreKeyRecord"] = (i => Dispose(SignedPreKeyRecord.TryParsePrivate(i, out var k), k), bob.SignedPreKey.SerializePrivate()),
            ["OneTimePreKey"] = (i => OneTimePreKey.TryParse(i, out _), bob.OneTimePreKey!.PublicPreKey.Serialize()),
            ["OneTimePreKeyRecord"] = (i => Dispose(OneTimePreKeyRecord.TryParsePrivate(i, out var k), k), bob.OneTimePreKey!.SerializePrivate()),
            ["KemPreKey"] = (i => KemPreKey.TryParse(i, out _), bob.KemPreKey.PublicPreKey.Serialize()),
            ["KemPreKeyRecord"] = (i => Dispose(KemPreKeyRecord.TryParsePrivate(i, out var k), k), bob.KemPreKey.SerializePrivate()),
            ["SignedSuiteList"] = (i => SignedSuiteList.TryParse(i, out _), bundle.Suites.Serialize()),
            ["PreKeyBundle"] = (i => PreKeyBundle.TryParse(i, out _), bundle.Serialize()),
            ["InitialMessageHeader"] = (i => InitialMessageHeader.TryParse(i, out _), initiated.Header.Serialize()),
        };
    }

    private static bool Dispose(bool parsed, IDisposable? value)
    {
        value?.Dispose();
        return parsed;
    }
}
