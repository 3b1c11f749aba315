using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Parley.Crypto.Auth;
using Parley.Wire.Rest;

namespace Parley.Timing;

/// <summary>
/// Account-existence oracles measured over HTTPS on loopback, as a stranger would (issue 14, item 3):
/// every REST endpoint that takes a username, called with an unknown name and with an existing user
/// outside the relation, same request shape, the two classes interleaved at random, wall time per
/// request as the client sees it. Login start, finish and challenge compare an existing account with an unknown
/// name. A related user's bundle fetch (200 vs 404) is the positive control: a difference the test must
/// see. Contact requests are left out on purpose: their target sees them, so they may tell (rate-limited).
/// </summary>
internal static class ServerTiming
{
    private const int WarmUp = 200;

    public static async IAsyncEnumerable<Result> RunAsync(ServerUnderTest server, int samples, int loginSamples)
    {
        using var anonymous = server.CreateClient();
        var existing = await Accounts.RegisterAsync(anonymous, "existing");
        var requester = await Accounts.RegisterAsync(anonymous, "requester");
        var stranger = await Accounts.RegisterAsync(anonymous, "stranger");
        var contact = await Accounts.RegisterAsync(anonymous, "contact");
        using var asRequester = await Accounts.LoggedInAsync(server, requester);
        using var asStranger = await Accounts.LoggedInAsync(server, stranger);
        using var asContact = await Accounts.LoggedInAsync(server, contact);
        await Accounts.PublishKeysAsync(asStranger);
        await Accounts.PublishKeysAsync(asContact);
        Accounts.Check(await asRequester.PostAsJsonAsync("/v1/contacts/requests", new ContactRequestBody { Username = contact }, RestJson.Options), HttpStatusCode.NoContent);
        var unknown = "nobody_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        string[] login = [existing, unknown];
        string[] pair = [stranger, unknown];

        if (loginSamples > 0)
        {
            var start = await MeasureAsync(loginSamples, login, async name =>
                [await TimeAsync(() => anonymous.PostAsJsonAsync("/v1/auth/login/start", new LoginStartRequest(name, null), RestJson.Options), HttpStatusCode.OK)]);
            yield return Result.Of("login start (200): existing vs unknown username", "ms", start[0][0], start[1][0]);

            var publicA = Accounts.B64(Accounts.SomePublicA());
            var finish = await MeasureAsync(loginSamples, login, async name =>
            {
                var started = await Accounts.StartAsync(anonymous, name);
                var wrong = Accounts.B64(RandomNumberGenerator.GetBytes(SrpParameters.ProofLength));
                return [await TimeAsync(() => anonymous.PostAsJsonAsync("/v1/auth/login/finish", new LoginFinishRequest(started.LoginId, publicA, wrong), RestJson.Options),
                    HttpStatusCode.Unauthorized)];
            });
            yield return Result.Of("login finish, wrong proof (401): existing vs unknown username", "ms", finish[0][0], finish[1][0]);
        }

        if (samples == 0)
        {
            yield break;
        }

        var challenge = await MeasureAsync(samples, login, async name =>
            [await TimeAsync(() => anonymous.PostAsJsonAsync("/v1/auth/challenge", new PowChallengeRequest(name, null), RestJson.Options), HttpStatusCode.OK)]);
        yield return Result.Of("login challenge for a username (200): existing vs unknown username", "ms", challenge[0][0], challenge[1][0]);

        var fetch = await MeasureAsync(samples, pair, async name => [await TimeAsync(() => asRequester.GetAsync(Route("/v1/keys/" + name)), HttpStatusCode.NotFound)]);
        yield return Result.Of("bundle fetch (404): unrelated existing vs unknown username", "ms", fetch[0][0], fetch[1][0]);

        foreach (var (action, status) in new[]
        {
            ("accept", HttpStatusCode.Conflict), ("decline", HttpStatusCode.Conflict), ("cancel", HttpStatusCode.Conflict),
            ("remove", HttpStatusCode.NotFound), ("unblock", HttpStatusCode.NotFound),
        })
        {
            var times = await MeasureAsync(samples, pair, async name => [await TimeAsync(() => asRequester.PostAsync(Route($"/v1/contacts/{name}/{action}"), null), status)]);
            yield return Result.Of($"contacts {action} ({(int)status}): unrelated existing vs unknown username", "ms", times[0][0], times[1][0]);
        }

        // Block then unblock in one sample, so the relation is empty again before the next one.
        var blocks = await MeasureAsync(samples, pair, async name =>
        [
            await TimeAsync(() => asRequester.PostAsync(Route($"/v1/contacts/{name}/block"), null), HttpStatusCode.NoContent),
            await TimeAsync(() => asRequester.PostAsync(Route($"/v1/contacts/{name}/unblock"), null), HttpStatusCode.NoContent),
        ]);
        yield return Result.Of("contacts block (204): unrelated existing vs unknown username", "ms", blocks[0][0], blocks[1][0]);
        yield return Result.Of("contacts unblock a blocked name (204): existing vs unknown username", "ms", blocks[0][1], blocks[1][1]);

        var related = await MeasureAsync(Math.Min(samples, 2_000), [contact, stranger], async name =>
            [await TimeAsync(() => asRequester.GetAsync(Route("/v1/keys/" + name)), name == contact ? HttpStatusCode.OK : HttpStatusCode.NotFound)]);
        yield return Result.Of("positive control, bundle fetch: related (200) vs unrelated (404)", "ms", related[0][0], related[1][0]);
    }

    /// <summary>
    /// Calls <paramref name="sample"/> <paramref name="samples"/> times per name, the names in random
    /// order; each call returns one or more timings (slots). Result: [name][slot] → timings.
    /// </summary>
    private static async Task<List<double>[][]> MeasureAsync(int samples, string[] names, Func<string, Task<double[]>> sample)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            await sample(names[i % names.Length]); // JIT, connection, caches
        }

        List<double>[][]? times = null;
        for (var i = 0; i < samples * names.Length; i++)
        {
            var c = RandomNumberGenerator.GetInt32(names.Length);
            var timings = await sample(names[c]);
            times ??= names.Select(_ => timings.Select(_ => new List<double>(samples)).ToArray()).ToArray();
            for (var slot = 0; slot < timings.Length; slot++)
            {
                times[c][slot].Add(timings[slot]);
            }
        }
        return times!;
    }

    /// <summary>Wall time of one request, response body read; a wrong status stops the run (the comparison would be void).</summary>
    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> call, HttpStatusCode expected)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await call();
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (response.StatusCode != expected || (expected != HttpStatusCode.NoContent && body.Length == 0))
        {
            throw new InvalidOperationException($"Expected {expected}, got {response.StatusCode}.");
        }
        return elapsed;
    }

    private static Uri Route(string path) => new(path, UriKind.Relative);
}
