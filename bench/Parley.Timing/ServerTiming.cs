using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Parley.Crypto.Auth;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Wire.Rest;

namespace Parley.Timing;

/// <summary>
/// Server-side oracles measured over HTTPS on loopback, as a stranger would: login start for an
/// existing vs an unknown username, and bundle fetches for an unrelated existing user vs an unknown
/// one (which must look the same), with a related user's fetch for reference. Classes interleaved at
/// random; wall time per request as the client sees it.
/// </summary>
internal static class ServerTiming
{
    private const string Password = "timing-runner-password-9f2c";

    public static async Task<IReadOnlyList<Result>> RunAsync(ServerUnderTest server, int samples)
    {
        using var anonymous = server.CreateClient();
        var existing = await RegisterAsync(anonymous, "existing");
        var requester = await RegisterAsync(anonymous, "requester");
        var stranger = await RegisterAsync(anonymous, "stranger");
        var contact = await RegisterAsync(anonymous, "contact");
        using var asRequester = await LoggedInAsync(server, requester);
        using var asStranger = await LoggedInAsync(server, stranger);
        using var asContact = await LoggedInAsync(server, contact);
        await PublishKeysAsync(asStranger);
        await PublishKeysAsync(asContact);
        Check(await asRequester.PostAsJsonAsync("/v1/contacts/requests", new ContactRequestBody { Username = contact }, RestJson.Options), HttpStatusCode.NoContent);
        var unknown = "nobody_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

        var login = await MeasureAsync(samples, [existing, unknown], name =>
            anonymous.PostAsJsonAsync("/v1/auth/login/start", new LoginStartRequest(name, null), RestJson.Options), HttpStatusCode.OK);
        var fetch = await MeasureAsync(samples, [stranger, unknown], name => asRequester.GetAsync(new Uri("/v1/keys/" + name, UriKind.Relative)), HttpStatusCode.NotFound);
        var related = await MeasureAsync(Math.Min(samples, 2_000), [contact], name => asRequester.GetAsync(new Uri("/v1/keys/" + name, UriKind.Relative)), HttpStatusCode.OK);
        return
        [
            Result.Of("login start: existing vs unknown username", "ms", login[0], login[1]),
            Result.Of("bundle fetch (404): unrelated existing vs unknown username", "ms", fetch[0], fetch[1]),
            Result.Of("bundle fetch: related (200, reference) vs unrelated (404)", "ms", related[0], fetch[0]),
        ];
    }

    private static async Task<List<double>[]> MeasureAsync(int samples, string[] names, Func<string, Task<HttpResponseMessage>> call, HttpStatusCode expected)
    {
        var times = names.Select(_ => new List<double>(samples)).ToArray();
        for (var i = 0; i < 200; i++)
        {
            (await call(names[i % names.Length])).Dispose(); // warm-up: JIT, connection, caches
        }
        for (var i = 0; i < samples * names.Length; i++)
        {
            var c = RandomNumberGenerator.GetInt32(names.Length);
            var start = Stopwatch.GetTimestamp();
            using var response = await call(names[c]);
            var body = await response.Content.ReadAsByteArrayAsync();
            times[c].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (response.StatusCode != expected || body.Length == 0)
            {
                throw new InvalidOperationException($"Expected {expected}, got {response.StatusCode}.");
            }
        }
        return times;
    }

    private static async Task<string> RegisterAsync(HttpClient client, string prefix)
    {
        var name = prefix + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var registration = SrpRegistration.Create(name, Password, new Argon2Parameters(1024, 1, 1));
        using var challengeResponse = await client.PostAsync(new Uri("/v1/auth/challenge", UriKind.Relative), null);
        var challenge = (await challengeResponse.Content.ReadFromJsonAsync<PowChallengeResponse>(RestJson.Options))!;
        var counter = ProofOfWork.Solve(Convert.FromBase64String(challenge.Challenge), challenge.Difficulty);
        var request = new RegisterRequest(name, Convert.ToBase64String(registration.SrpSalt), Convert.ToBase64String(registration.Verifier),
            Convert.ToBase64String(registration.ArgonSalt), new Argon2ParametersDto(1024, 1, 1), new PowSolution(challenge.Challenge, (long)counter), null);
        Check(await client.PostAsJsonAsync("/v1/accounts", request, RestJson.Options), HttpStatusCode.Created);
        return name;
    }

    private static async Task<HttpClient> LoggedInAsync(ServerUnderTest server, string name)
    {
        var client = server.CreateClient();
        using var started = await client.PostAsJsonAsync("/v1/auth/login/start", new LoginStartRequest(name, null), RestJson.Options);
        var start = (await started.Content.ReadFromJsonAsync<LoginStartResponse>(RestJson.Options))!;
        using var stretched = StretchedPassword.Derive(Password, Convert.FromBase64String(start.ArgonSalt), new Argon2Parameters(1024, 1, 1));
        using var session = new SrpClientSession(name, stretched, Convert.FromBase64String(start.SrpSalt));
        var m1 = session.ComputeProof(Convert.FromBase64String(start.B));
        using var finished = await client.PostAsJsonAsync("/v1/auth/login/finish",
            new LoginFinishRequest(start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1)), RestJson.Options);
        var token = (await finished.Content.ReadFromJsonAsync<LoginFinishResponse>(RestJson.Options))!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task PublishKeysAsync(HttpClient client)
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

    private static void Check(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"Set-up request: expected {expected}, got {response.StatusCode}.");
            }
        }
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);
}
