using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Parley.Crypto.Auth;
using Parley.Wire.Rest;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// What a client does, over HTTP, with the shared Parley.Crypto.Auth helpers: solve the proof of
/// work, register, log in (verifying M2), prove the password again for password change or deletion.
/// </summary>
public static class AuthFlows
{
    /// <summary>Per-request timeout.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The Argon2 cost tests use (the test servers lower their minimum to it).</summary>
    public static Argon2Parameters TestArgon2 { get; } = new(TestSettings.Argon2MemoryKiB, TestSettings.Argon2Iterations, 1);

    /// <summary>Fetches and solves a proof-of-work challenge.</summary>
    public static async Task<PowSolution> SolvePowAsync(HttpClient client)
    {
        using var response = await client.PostAsync(new Uri("/v1/auth/challenge", UriKind.Relative), null).WaitAsync(RequestTimeout);
        response.EnsureSuccessStatusCode();
        var challenge = (await response.Content.ReadFromJsonAsync<PowChallengeResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
        var counter = ProofOfWork.Solve(Convert.FromBase64String(challenge.Challenge), challenge.Difficulty);
        return new PowSolution(challenge.Challenge, (long)counter);
    }

    /// <summary>Builds a registration request (with a solved proof of work).</summary>
    public static async Task<RegisterRequest> RegistrationAsync(HttpClient client, string username, string password, string? invite = null)
    {
        Assert.True(Usernames.TryNormalize(username, out var normalized));
        var registration = SrpRegistration.Create(normalized, password, TestArgon2);
        return new RegisterRequest(username, Convert.ToBase64String(registration.SrpSalt), Convert.ToBase64String(registration.Verifier),
            Convert.ToBase64String(registration.ArgonSalt), ToDto(registration.Argon2), await SolvePowAsync(client), invite);
    }

    /// <summary>Registers; returns the raw response.</summary>
    public static async Task<HttpResponseMessage> RegisterAsync(HttpClient client, string username, string password, string? invite = null) =>
        await client.PostAsJsonAsync("/v1/accounts", await RegistrationAsync(client, username, password, invite), RestJson.Options).WaitAsync(RequestTimeout);

    /// <summary>Login start; returns the raw response.</summary>
    public static Task<HttpResponseMessage> StartAsync(HttpClient client, string username, PowSolution? pow = null) =>
        client.PostAsJsonAsync("/v1/auth/login/start", new LoginStartRequest(username, pow), RestJson.Options).WaitAsync(RequestTimeout);

    /// <summary>Runs login start and computes the client's proof.</summary>
    public static async Task<(LoginStartResponse Start, SrpClientSession Session, byte[] M1)> ProveAsync(
        HttpClient client, string username, string password)
    {
        using var response = await StartAsync(client, username);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var start = (await response.Content.ReadFromJsonAsync<LoginStartResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
        Assert.True(Usernames.TryNormalize(username, out var normalized));
        var argon = new Argon2Parameters(start.Argon2.MemoryKiB, start.Argon2.Iterations, start.Argon2.Parallelism);
        using var stretched = StretchedPassword.Derive(password, Convert.FromBase64String(start.ArgonSalt), argon);
        var session = new SrpClientSession(normalized, stretched, Convert.FromBase64String(start.SrpSalt));
        var m1 = session.ComputeProof(Convert.FromBase64String(start.B));
        return (start, session, m1);
    }

    /// <summary>Logs in; returns the raw finish response and the client session (to check M2).</summary>
    public static async Task<(HttpResponseMessage Response, SrpClientSession Session)> LoginRawAsync(HttpClient client, string username, string password)
    {
        var (start, session, m1) = await ProveAsync(client, username, password);
        var finish = new LoginFinishRequest(start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1));
        var response = await client.PostAsJsonAsync("/v1/auth/login/finish", finish, RestJson.Options).WaitAsync(RequestTimeout);
        return (response, session);
    }

    /// <summary>Logs in, checks the server's proof, returns the token.</summary>
    public static async Task<string> LoginAsync(HttpClient client, string username, string password)
    {
        var (response, session) = await LoginRawAsync(client, username, password);
        using (response)
        using (session)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = (await response.Content.ReadFromJsonAsync<LoginFinishResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
            Assert.True(session.VerifyServerProof(Convert.FromBase64String(body.M2)), "server proof M2 did not verify");
            return body.Token;
        }
    }

    /// <summary>Registers and logs in; returns a client carrying the token.</summary>
    public static async Task<HttpClient> SignedUpClientAsync(Func<HttpClient> create, string username, string password = "correct horse battery staple")
    {
        ArgumentNullException.ThrowIfNull(create);
        var client = create();
        using (var registered = await RegisterAsync(client, username, password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await LoginAsync(client, username, password));
        return client;
    }

    /// <summary>A username unique within the test run.</summary>
    public static string NewUsername(string prefix) => prefix + "_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    /// <summary>Wire form of Argon2 parameters.</summary>
    public static Argon2ParametersDto ToDto(Argon2Parameters p) => new(p.MemoryKiB, p.Iterations, p.Parallelism);
}
