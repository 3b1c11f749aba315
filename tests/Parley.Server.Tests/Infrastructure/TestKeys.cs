using System.Net;
using System.Net.Http.Json;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Wire.Rest;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>A device's public keys generated with Parley.Crypto, and uploads of them as a client would do.</summary>
public sealed class TestKeys : IDisposable
{
    /// <summary>Generates an identity, a signed prekey, a last-resort KEM prekey and a suite list.</summary>
    public TestKeys()
    {
        Identity = IdentityKeyPair.Generate();
        using var signed = SignedPreKeyRecord.Generate(Identity, new SignedPreKeyId(1), DateTimeOffset.UtcNow);
        SignedPreKey = signed.PublicPreKey.Serialize();
        using var lastResort = KemPreKeyRecord.Generate(Identity, new KemPreKeyId(1_000_000), isLastResort: true);
        LastResort = lastResort.PublicPreKey.Serialize();
        Suites = SignedSuiteList.Create(Identity, CipherSuites.All).Serialize();
    }

    /// <summary>The identity key pair.</summary>
    public IdentityKeyPair Identity { get; }

    /// <summary>Serialized signed prekey.</summary>
    public byte[] SignedPreKey { get; }

    /// <summary>Serialized last-resort KEM prekey.</summary>
    public byte[] LastResort { get; }

    /// <summary>Serialized suite list.</summary>
    public byte[] Suites { get; }

    /// <summary>Serialized one-time X25519 prekeys with ids [first, first+count).</summary>
    public static List<string> OneTime(uint first, int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            using var record = OneTimePreKeyRecord.Generate(new PreKeyId(first + (uint)i));
            return Convert.ToBase64String(record.PublicPreKey.Serialize());
        })];

    /// <summary>Serialized one-time KEM prekeys signed by this identity.</summary>
    public List<string> Kem(uint first, int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            using var record = KemPreKeyRecord.Generate(Identity, new KemPreKeyId(first + (uint)i), isLastResort: false);
            return Convert.ToBase64String(record.PublicPreKey.Serialize());
        })];

    /// <summary>Uploads identity, signed prekey, last resort and suites; asserts each is accepted.</summary>
    public async Task PublishAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        await ExpectAsync(client.PutAsJsonAsync("/v1/keys/identity", new IdentityKeyUpload(Convert.ToBase64String(Identity.PublicKey.Serialize())), RestJson.Options), HttpStatusCode.NoContent);
        await ExpectAsync(client.PutAsJsonAsync("/v1/keys/signed-prekey", new SignedPreKeyUpload(Convert.ToBase64String(SignedPreKey)), RestJson.Options), HttpStatusCode.NoContent);
        await ExpectAsync(client.PutAsJsonAsync("/v1/keys/kem-last-resort", new KemLastResortUpload(Convert.ToBase64String(LastResort)), RestJson.Options), HttpStatusCode.NoContent);
        await ExpectAsync(client.PutAsJsonAsync("/v1/keys/cipher-suites", new CipherSuitesUpload(Convert.ToBase64String(Suites)), RestJson.Options), HttpStatusCode.NoContent);
    }

    /// <summary>Awaits a response and asserts its status.</summary>
    public static async Task<HttpResponseMessage> ExpectAsync(Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(call);
        var response = await call.WaitAsync(AuthFlows.RequestTimeout);
        Assert.True(response.StatusCode == expected,
            $"expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync().WaitAsync(AuthFlows.RequestTimeout)}");
        return response;
    }

    /// <summary>Sends a contact request (bundles go only to accounts in a pending or accepted relation).</summary>
    public static async Task RequestContactAsync(HttpClient client, string username)
    {
        ArgumentNullException.ThrowIfNull(client);
        (await ExpectAsync(client.PostAsJsonAsync("/v1/contacts/requests", new ContactRequestBody { Username = username }, RestJson.Options),
            HttpStatusCode.NoContent)).Dispose();
    }

    /// <summary>Fetches and parses (and verifies) a bundle.</summary>
    public static async Task<PreKeyBundle> FetchAsync(HttpClient client, string username)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await ExpectAsync(client.GetAsync(new Uri("/v1/keys/" + username, UriKind.Relative)), HttpStatusCode.OK);
        var body = (await response.Content.ReadFromJsonAsync<PreKeyBundleResponse>(RestJson.Options).WaitAsync(AuthFlows.RequestTimeout))!;
        Assert.True(PreKeyBundle.TryParse(Convert.FromBase64String(body.Bundle), out var bundle));
        Assert.True(bundle.Verify());
        return bundle;
    }

    /// <inheritdoc />
    public void Dispose() => Identity.Dispose();
}
