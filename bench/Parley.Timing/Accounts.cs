using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Parley.Crypto.Auth;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Wire.Rest;

namespace Parley.Timing;

/// <summary>Set-up for the server comparisons: registers accounts, logs them in, publishes keys (untimed).</summary>
internal static class Accounts
{
    public const string Password = "timing-runner-password-9f2c";

    public static readonly Argon2Parameters Argon2 = new(1024, 1, 1);

    public static async Task<string> RegisterAsync(HttpClient client, string prefix)
    {
        var name = prefix + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var registration = SrpRegistration.Create(name, Password, Argon2);
        using var challengeResponse = await client.PostAsync(new Uri("/v1/auth/challenge", UriKind.Relative), null);
        var challenge = (await challengeResponse.Content.ReadFromJsonAsync<PowChallengeResponse>(RestJson.Options))!;
        var counter = ProofOfWork.Solve(Convert.FromBase64String(challenge.Challenge), challenge.Difficulty);
        var request = new RegisterRequest(name, B64(registration.SrpSalt), B64(registration.Verifier), B64(registration.ArgonSalt),
            new Argon2ParametersDto(Argon2.MemoryKiB, Argon2.Iterations, Argon2.Parallelism), new PowSolution(challenge.Challenge, (long)counter), null);
        Check(await client.PostAsJsonAsync("/v1/accounts", request, RestJson.Options), HttpStatusCode.Created);
        return name;
    }

    /// <summary>A client logged in as <paramref name="name"/> (bearer token set).</summary>
    public static async Task<HttpClient> LoggedInAsync(ServerUnderTest server, string name)
    {
        var client = server.CreateClient();
        var start = await StartAsync(client, name);
        using var stretched = StretchedPassword.Derive(Password, Convert.FromBase64String(start.ArgonSalt), Argon2);
        using var session = new SrpClientSession(name, stretched, Convert.FromBase64String(start.SrpSalt));
        var m1 = session.ComputeProof(Convert.FromBase64String(start.B));
        using var finished = await client.PostAsJsonAsync("/v1/auth/login/finish",
            new LoginFinishRequest(start.LoginId, B64(session.PublicA), B64(m1)), RestJson.Options);
        var token = (await finished.Content.ReadFromJsonAsync<LoginFinishResponse>(RestJson.Options))!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<LoginStartResponse> StartAsync(HttpClient client, string name)
    {
        using var started = await client.PostAsJsonAsync("/v1/auth/login/start", new LoginStartRequest(name, null), RestJson.Options);
        if (started.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Login start: expected OK, got {started.StatusCode}.");
        }
        return (await started.Content.ReadFromJsonAsync<LoginStartResponse>(RestJson.Options))!;
    }

    /// <summary>A legal client ephemeral A (any name and salt will do: the proof sent with it is wrong anyway).</summary>
    public static byte[] SomePublicA()
    {
        using var stretched = StretchedPassword.Derive("not-the-password", RandomNumberGenerator.GetBytes(Argon2Parameters.SaltLength), Argon2);
        using var session = new SrpClientSession("someone", stretched, RandomNumberGenerator.GetBytes(32));
        return session.PublicA;
    }

    public static async Task PublishKeysAsync(HttpClient client)
    {
        using var identity = IdentityKeyPair.Generate();
        using var signed = SignedPreKeyRecord.Generate(identity, new SignedPreKeyId(1), DateTimeOffset.UtcNow);
        using var lastResort = KemPreKeyRecord.Generate(identity, new KemPreKeyId(1_000_000), isLastResort: true);
        Check(await client.PutAsJsonAsync("/v1/keys/identity", new IdentityKeyUpload(B64(identity.PublicKey.Serialize())), RestJson.Options), HttpStatusCode.NoContent);
        Check(await client.PutAsJsonAsync("/v1/keys/signed-prekey", new SignedPreKeyUpload(B64(signed.PublicPreKey.Serialize())), RestJson.Options), HttpStatusCode.NoContent);
        Check(await client.PutAsJsonAsync("/v1/keys/kem-last-resort", new KemLastResortUpload(B64(lastResort.PublicPreKey.Serialize())), RestJson.Options), HttpStatusCode.NoContent);
        Check(await client.PutAsJsonAsync("/v1/keys/cipher-suites", new CipherSuitesUpload(B64(SignedSuiteList.Create(identity, CipherSuites.All).Serialize())), RestJson.Options),
            HttpStatusCode.NoContent);
    }

    public static void Check(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"Set-up request: expected {expected}, got {response.StatusCode}.");
            }
        }
    }

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes);
}
