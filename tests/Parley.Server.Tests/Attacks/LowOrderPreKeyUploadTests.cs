using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;
using static Parley.Server.Tests.Infrastructure.TestKeys;

namespace Parley.Server.Tests.Attacks;

/// <summary>
/// attacks.md row 4 (P0), low-order X25519 points as prekeys: every public value of Wycheproof's
/// x25519_test.json whose shared secret is all zero (LowOrderPublic, and its non-canonical
/// high-bit and p+k encodings) is uploaded over raw HTTP as a one-time prekey and, correctly signed
/// by the account's identity, as the signed prekey. The server answers 400 every time, stores
/// nothing (counts unchanged) and keeps handing out the genuine signed prekey.
/// </summary>
public sealed class LowOrderPreKeyUploadTests : IDisposable
{
    private const int SignedPreKeyOffset = KeyFormat.HeaderSize + 4 + 8;
    private readonly ParleyServerFactory factory = new(DatabaseKind.Sqlite, null);

    public static TheoryData<string> LowOrderPoints()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path("wycheproof", "x25519_test.json")));
        var points = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                if (test.GetProperty("shared").GetString() == new string('0', 64))
                {
                    points.Add(test.GetProperty("public").GetString()!);
                }
            }
        }

        Assert.True(points.Count >= 12, "the vector file lost its low-order cases");
        var data = new TheoryData<string>();
        foreach (var point in points)
        {
            data.Add(point);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints))]
    public async Task A_low_order_point_is_refused_as_one_time_and_as_signed_prekey(string pointHex)
    {
        var point = Convert.FromHexString(pointHex);
        var bob = NewUsername("bob");
        using var client = await SignedUpClientAsync(factory.CreateClient, bob);
        using var keys = new TestKeys();
        await keys.PublishAsync(client);
        var before = await client.GetFromJsonAsync<PreKeyCountResponse>("/v1/keys/count", RestJson.Options).WaitAsync(RequestTimeout);

        var oneTime = Convert.FromBase64String(OneTime(77, 1)[0]);
        point.CopyTo(oneTime, KeyFormat.HeaderSize + 4);
        (await ExpectAsync(client.PostAsJsonAsync("/v1/keys/one-time-prekeys",
            new OneTimePreKeysUpload([Convert.ToBase64String(oneTime)]), RestJson.Options), HttpStatusCode.BadRequest)).Dispose();

        var signed = ResignedWithKey(keys, point);
        (await ExpectAsync(client.PutAsJsonAsync("/v1/keys/signed-prekey",
            new SignedPreKeyUpload(Convert.ToBase64String(signed)), RestJson.Options), HttpStatusCode.BadRequest)).Dispose();

        var after = await client.GetFromJsonAsync<PreKeyCountResponse>("/v1/keys/count", RestJson.Options).WaitAsync(RequestTimeout);
        Assert.Equal(before, after);
        using var alice = await SignedUpClientAsync(factory.CreateClient, NewUsername("alice"));
        await RequestContactAsync(alice, bob);
        var bundle = await FetchAsync(alice, bob);
        Assert.Equal(keys.SignedPreKey, bundle.SignedPreKey.Serialize());
    }

    /// <summary>The account's signed prekey with its public key replaced and a valid identity signature over the new bytes.</summary>
    private static byte[] ResignedWithKey(TestKeys keys, byte[] point)
    {
        var bytes = (byte[])keys.SignedPreKey.Clone();
        point.CopyTo(bytes, SignedPreKeyOffset);
        // PROTOCOL.md section 2: label || 0x00 || tag || id || timestamp || public key.
        byte[] input = [.. KeyFormat.SignatureLabel, 0, bytes[1], .. bytes.AsSpan(KeyFormat.HeaderSize, 12), .. point];
        // The identity key signs only what Parley.Crypto builds; an attacker holding the private key
        // (as this test does) signs with the raw Ed25519 seed of the exported key pair.
        var exported = keys.Identity.SerializePrivate();
        using var signer = Ed25519KeyPair.FromSeed(exported.AsSpan(KeyFormat.HeaderSize, Ed25519.SeedSize));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(exported);
        signer.Sign(input).CopyTo(bytes, SignedPreKeyOffset + point.Length);
        return bytes;
    }

    [Fact]
    public void The_resigning_helper_produces_a_signature_the_parser_would_accept_for_a_good_key()
    {
        using var keys = new TestKeys();
        using var fresh = OneTimePreKeyRecord.Generate(new PreKeyId(1));
        var signed = ResignedWithKey(keys, fresh.PublicPreKey.Serialize()[(KeyFormat.HeaderSize + 4)..]);
        Assert.True(SignedPreKey.TryParseVerified(signed, keys.Identity.PublicKey, out _));
    }

    public void Dispose() => factory.Dispose();
}
