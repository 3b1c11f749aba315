using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Parley.Crypto.Auth;
using Parley.Wire.Rest;

namespace Parley.LoadGen;

/// <summary>An account the load generator uses: name and bearer token.</summary>
internal sealed record LoadAccount(string Username, string Token);

/// <summary>
/// Registers and logs in accounts through the real REST API with the shared SRP helpers (Argon2id
/// runs here, on the client), and pairs them as contacts (request + accept). Accounts and tokens are
/// cached in a file so repeated runs skip the expensive part.
/// </summary>
internal sealed class AccountProvisioner
{
    private const string Password = "load generator password, not a secret";
    private readonly LoadGenOptions _options;
    private readonly Transport _transport;
    private readonly Lock _fileGate = new();

    public AccountProvisioner(LoadGenOptions options, Transport transport)
    {
        _options = options;
        _transport = transport;
    }

    public async Task<List<LoadAccount>> ProvideAsync(int count)
    {
        var accounts = Load();
        if (accounts.Count >= count)
        {
            return accounts.Take(count).ToList();
        }

        using var http = _transport.CreateHttp();
        var pairsNeeded = (count - accounts.Count + 1) / 2;
        // A fresh tag per provisioning run: an interrupted run may have registered names it never saved.
        var tag = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var created = new LoadAccount[pairsNeeded * 2];
        await Parallel.ForEachAsync(Enumerable.Range(0, pairsNeeded), new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism },
            async (pair, ct) =>
            {
                var a = await CreateAsync(http, $"{_options.Prefix}{tag}_{2 * pair}");
                var b = await CreateAsync(http, $"{_options.Prefix}{tag}_{(2 * pair) + 1}");
                await PairAsync(http, a, b);
                created[2 * pair] = a;
                created[(2 * pair) + 1] = b;
                Append(a, b);
            });
        return (_options.AccountsFile is null ? accounts.Concat(created) : Load()).Take(count).ToList();
    }

    private async Task<LoadAccount> CreateAsync(HttpClient http, string username)
    {
        var argon = new Argon2Parameters(_options.Argon2MemoryKiB, 1, 1);
        var registration = SrpRegistration.Create(username, Password, argon);
        var request = new RegisterRequest(username, Convert.ToBase64String(registration.SrpSalt), Convert.ToBase64String(registration.Verifier),
            Convert.ToBase64String(registration.ArgonSalt), new Argon2ParametersDto(argon.MemoryKiB, argon.Iterations, argon.Parallelism),
            await SolvePowAsync(http), null);
        using (var registered = await http.PostAsJsonAsync("/v1/accounts", request, RestJson.Options))
        {
            Ensure(registered, HttpStatusCode.Created, "register");
        }

        using var startResponse = await http.PostAsJsonAsync("/v1/auth/login/start", new LoginStartRequest(username, null), RestJson.Options);
        Ensure(startResponse, HttpStatusCode.OK, "login start");
        var start = (await startResponse.Content.ReadFromJsonAsync<LoginStartResponse>(RestJson.Options))!;
        var serverArgon = new Argon2Parameters(start.Argon2.MemoryKiB, start.Argon2.Iterations, start.Argon2.Parallelism);
        using var stretched = StretchedPassword.Derive(Password, Convert.FromBase64String(start.ArgonSalt), serverArgon);
        using var session = new SrpClientSession(username, stretched, Convert.FromBase64String(start.SrpSalt));
        var m1 = session.ComputeProof(Convert.FromBase64String(start.B));
        var finish = new LoginFinishRequest(start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1));
        using var finished = await http.PostAsJsonAsync("/v1/auth/login/finish", finish, RestJson.Options);
        Ensure(finished, HttpStatusCode.OK, "login finish");
        var body = (await finished.Content.ReadFromJsonAsync<LoginFinishResponse>(RestJson.Options))!;
        if (!session.VerifyServerProof(Convert.FromBase64String(body.M2)))
        {
            throw new InvalidOperationException("server proof M2 did not verify");
        }

        return new LoadAccount(username, body.Token);
    }

    private static async Task PairAsync(HttpClient http, LoadAccount a, LoadAccount b)
    {
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/contacts/requests")
        {
            Content = JsonContent.Create(new ContactRequestBody { Username = b.Username }),
        })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", a.Token);
            using var response = await http.SendAsync(request);
            Ensure(response, HttpStatusCode.NoContent, "contact request");
        }

        using var accept = new HttpRequestMessage(HttpMethod.Post, $"/v1/contacts/{a.Username}/accept");
        accept.Headers.Authorization = new AuthenticationHeaderValue("Bearer", b.Token);
        using var accepted = await http.SendAsync(accept);
        Ensure(accepted, HttpStatusCode.NoContent, "contact accept");
    }

    private static async Task<PowSolution> SolvePowAsync(HttpClient http)
    {
        using var response = await http.PostAsync(new Uri("/v1/auth/challenge", UriKind.Relative), null);
        Ensure(response, HttpStatusCode.OK, "challenge");
        var challenge = (await response.Content.ReadFromJsonAsync<PowChallengeResponse>(RestJson.Options))!;
        var counter = ProofOfWork.Solve(Convert.FromBase64String(challenge.Challenge), challenge.Difficulty);
        return new PowSolution(challenge.Challenge, (long)counter);
    }

    private static void Ensure(HttpResponseMessage response, HttpStatusCode expected, string step)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{step}: HTTP {(int)response.StatusCode}");
        }
    }

    private List<LoadAccount> Load()
    {
        if (_options.AccountsFile is null || !File.Exists(_options.AccountsFile))
        {
            return [];
        }

        return File.ReadAllLines(_options.AccountsFile).Select(l => l.Split(' ')).Where(p => p.Length == 2)
            .Select(p => new LoadAccount(p[0], p[1])).ToList();
    }

    /// <summary>Appends a finished pair at once, so an interrupted provisioning keeps what it made.</summary>
    private void Append(LoadAccount a, LoadAccount b)
    {
        if (_options.AccountsFile is null)
        {
            return;
        }

        lock (_fileGate)
        {
            File.AppendAllLines(_options.AccountsFile, [a.Username + " " + a.Token, b.Username + " " + b.Token]);
        }
    }
}
