using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Crypto.Auth;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Malicious;

/// <summary>
/// attacks.md rows 12 and 13 from the server's side: a malicious server answers the SRP login with
/// B ≡ 0 (mod N), with a wrong server proof M2, or with a malformed answer. The client proves nothing
/// to a server that sent a degenerate B (no login/finish request is made), refuses a server that
/// cannot prove it knows the verifier, and says so with a clear error, never a stack trace.
/// </summary>
public sealed class LoginScenarios
{
    private const string Start = "/v1/auth/login/start";
    private const string Finish = "/v1/auth/login/finish";


    public static TheoryData<string> DegenerateB => ["zero", "N", "2N"];

    [Theory]
    [MemberData(nameof(DegenerateB))]
    public async Task A_degenerate_B_gets_no_proof_from_the_client(string b)
    {
        await using var evil = await EvilWorld.StartAsync();
        await evil.UsersAsync("alice");
        var finishesBefore = Finishes(evil);
        var value = b switch { "zero" => Org.BouncyCastle.Math.BigInteger.Zero, "N" => SrpParameters.N, _ => SrpParameters.N.ShiftLeft(1) };
        var encoded = Convert.ToBase64String(value.SignValue == 0 ? new byte[SrpParameters.ElementLength] : value.ToByteArrayUnsigned());
        evil.Relay.RewriteResponse = (method, path, _, body) => path == Start ? Rewrite(body, "b", encoded) : null;

        var elsewhere = evil.World.NewUserVia("alice", evil.Relay.Url, evil.Relay.Fingerprint);
        var login = await elsewhere.LoginAsync();
        Assert.NotEqual(0, login.ExitCode);
        Assert.DoesNotContain("   at ", login.Stderr, StringComparison.Ordinal);
        Assert.Equal(finishesBefore, Finishes(evil));
    }

    [Fact]
    public async Task A_server_that_cannot_prove_the_verifier_is_refused()
    {
        await using var evil = await EvilWorld.StartAsync();
        await evil.UsersAsync("alice");
        evil.Relay.RewriteResponse = (method, path, _, body) => path == Finish ? Rewrite(body, "m2", Convert.ToBase64String(new byte[SrpParameters.ProofLength])) : null;

        var elsewhere = evil.World.NewUserVia("alice", evil.Relay.Url, evil.Relay.Fingerprint);
        var login = await elsewhere.LoginAsync();
        Assert.NotEqual(0, login.ExitCode);
        Assert.DoesNotContain("   at ", login.Stderr, StringComparison.Ordinal);
        var after = await elsewhere.RunAsync("whoami");
        Assert.NotEqual(0, after.ExitCode);
    }

    public static TheoryData<string> MalformedStarts => ["{}", "[]", "null", "{\"loginId\":\"x\",\"b\":\"not base64!\",\"srpSalt\":\"AA==\",\"argonSalt\":\"AA==\",\"argon2\":{\"memoryKiB\":1,\"iterations\":1,\"parallelism\":1}}", "{\"argon2\":{\"memoryKiB\":2147483647,\"iterations\":2147483647,\"parallelism\":255}}",
        "{\"loginId\":\"x\",\"b\":\"AAAA\",\"srpSalt\":\"AA==\",\"argonSalt\":\"AA==\",\"argon2\":{\"memoryKiB\":65536,\"iterations\":3,\"parallelism\":1}}"];

    [Theory]
    [MemberData(nameof(MalformedStarts))]
    public async Task A_malformed_login_answer_is_a_clear_error_not_a_crash(string answer)
    {
        await using var evil = await EvilWorld.StartAsync();
        await evil.UsersAsync("alice");
        evil.Relay.RewriteResponse = (method, path, _, body) => path == Start ? System.Text.Encoding.UTF8.GetBytes(answer) : null;

        var elsewhere = evil.World.NewUserVia("alice", evil.Relay.Url, evil.Relay.Fingerprint);
        var login = await elsewhere.LoginAsync();
        Assert.NotEqual(0, login.ExitCode);
        Assert.DoesNotContain("   at ", login.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", login.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    private static int Finishes(EvilWorld evil) => evil.Relay.Requests.Count(r => r.EndsWith(Finish, StringComparison.Ordinal));

    private static byte[] Rewrite(byte[] body, string field, string value)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        var key = node.Select(p => p.Key).First(k => string.Equals(k, field, StringComparison.OrdinalIgnoreCase));
        node[key] = value;
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }
}
