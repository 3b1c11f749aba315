using System.Net;
using System.Net.Http.Json;
using Parley.Crypto.Auth;
using Parley.Server.Tests.Cluster.Support;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// Issue 13: login throttling is cluster-wide (the throttle state is in Redis), so an attacker gains
/// nothing by spreading guesses over the nodes: the eleventh wrong password for one account from one
/// address is refused whichever node receives it, and so is the right one until the window passes.
/// </summary>
[Collection(ClusterGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterThrottleScenarios
{
    /// <summary>The server's default <c>Accounts:LoginFailuresBeforeLockout</c> (per account and address), which the cluster runs with.</summary>
    private const int FailuresBeforeLockout = 10;

    /// <summary>
    /// The attacker's address (a documentation address, RFC 5737, sent only as a header): the nodes trust
    /// X-Forwarded-For from loopback, as they do from nginx. Guessing from its own address keeps the
    /// shared per-address budget of 127.0.0.1, which every other cluster scenario logs in from, untouched.
    /// </summary>
    private const string AttackerAddress = "192.0.2.77";

    private readonly ClusterFixture cluster;

    public ClusterThrottleScenarios(ClusterFixture cluster) => this.cluster = cluster;

    [Fact]
    public async Task The_eleventh_wrong_password_is_refused_whichever_node_receives_it()
    {
        var (name, _) = await cluster.SignUpAsync("guessed");
        for (var i = 0; i < FailuresBeforeLockout; i++)
        {
            using var node = Attacker(cluster.Node(i % ClusterFixture.NodeCount));
            using var start = await StartWithPowAsync(node, name);
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
            var opened = (await start.Content.ReadFromJsonAsync<LoginStartResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
            using var finish = await node.PostAsJsonAsync("/v1/auth/login/finish", new LoginFinishRequest(opened.LoginId, "Ag==", "AQ=="), RestJson.Options)
                .WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.Unauthorized, finish.StatusCode);
        }

        for (var n = 0; n < ClusterFixture.NodeCount; n++)
        {
            using var node = Attacker(cluster.Node(n));
            using var refused = await StartWithPowAsync(node, name);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }
    }

    /// <summary>A client of one node that comes from <see cref="AttackerAddress"/>.</summary>
    private static HttpClient Attacker(Uri node)
    {
        var client = new HttpClient { BaseAddress = node, Timeout = RequestTimeout };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", AttackerAddress);
        return client;
    }

    /// <summary>Login start with a solved challenge asked for this login (so it has the difficulty past failures require).</summary>
    private static async Task<HttpResponseMessage> StartWithPowAsync(HttpClient node, string name)
    {
        using var asked = await node.PostAsJsonAsync("/v1/auth/challenge", new PowChallengeRequest(name, null), RestJson.Options).WaitAsync(RequestTimeout);
        if (asked.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return await StartAsync(node, name);
        }

        asked.EnsureSuccessStatusCode();
        var challenge = (await asked.Content.ReadFromJsonAsync<PowChallengeResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
        var pow = new PowSolution(challenge.Challenge, (long)ProofOfWork.Solve(Convert.FromBase64String(challenge.Challenge), challenge.Difficulty));
        return await StartAsync(node, name, pow);
    }
}
