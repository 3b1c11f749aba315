using System.Net;
using System.Net.Http.Json;
using Org.BouncyCastle.Crypto.Agreement.Srp;
using Parley.Crypto.Auth;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Parley.Server.Tests.Attacks;

/// <summary>
/// attacks.md row 12 (P0), SRP login bypass with A ≡ 0 (mod N) (RFC 5054 §2.5.4; cyrus-sasl#896):
/// with A = 0, N or 2N the server's secret S would be 0 whatever the password, so an attacker who
/// knows nothing computes M1 from S = 0. Over raw HTTP, against a real account, each such A (also
/// zero-padded to the element length, and with an all-zero or all-0xFF M1) gets 4xx and no token,
/// even when the attacker pays the proof of work the server asks for after the first failures.
/// </summary>
public sealed class SrpZeroKeyBypassTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly ParleyServerFactory factory = new(DatabaseKind.Sqlite, null);

    public static TheoryData<string> IllegalA => new() { "zero-byte", "zero-padded", "N", "N-padded-leading-zero", "2N", "N-times-2^8" };

    [Theory]
    [MemberData(nameof(IllegalA))]
    public async Task An_A_congruent_to_zero_gets_no_token_whatever_the_proof(string which)
    {
        var name = NewUsername("victim");
        using var client = factory.CreateClient();
        (await RegisterAsync(client, name, Password)).Dispose();

        var n = SrpParameters.N;
        var a = which switch
        {
            "zero-byte" => [0],
            "zero-padded" => new byte[SrpParameters.ElementLength],
            "N" => SrpParameters.ToBytes(n),
            "N-padded-leading-zero" => [0, .. SrpParameters.ToBytes(n)],
            "2N" => SrpParameters.ToBytes(n.ShiftLeft(1)),
            _ => SrpParameters.ToBytes(n.ShiftLeft(8)),
        };
        foreach (var m1 in ProofsFromZeroSecret(a))
        {
            using var start = await StartWithProofOfWorkIfAskedAsync(client, name);
            var challenge = (await start.Content.ReadFromJsonAsync<LoginStartResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
            var proof = m1(Convert.FromBase64String(challenge.B));
            var finish = new LoginFinishRequest(challenge.LoginId, Convert.ToBase64String(a), Convert.ToBase64String(proof));
            using var response = await client.PostAsJsonAsync("/v1/auth/login/finish", finish, RestJson.Options).WaitAsync(RequestTimeout);
            Assert.InRange((int)response.StatusCode, 400, 499);
            Assert.DoesNotContain("token", await response.Content.ReadAsStringAsync().WaitAsync(RequestTimeout), StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>After a few failures the server asks for a proof of work (428) before a login start; the attacker pays it.</summary>
    private static async Task<HttpResponseMessage> StartWithProofOfWorkIfAskedAsync(HttpClient client, string name)
    {
        var response = await StartAsync(client, name);
        if (response.StatusCode == HttpStatusCode.PreconditionRequired)
        {
            response.Dispose();
            response = await StartAsync(client, name, await SolvePowAsync(client));
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    /// <summary>M1 = H(A, B, S = 0) as RFC 5054 computes it (A reduced mod N when longer than N), plus constant proofs.</summary>
    private static IEnumerable<Func<byte[], byte[]>> ProofsFromZeroSecret(byte[] a)
    {
        var value = new BigInteger(1, a);
        if (value.BitLength > SrpParameters.N.BitLength)
        {
            value = value.Mod(SrpParameters.N);
        }
        yield return b => SrpParameters.ToPaddedBytes(
            Srp6Utilities.CalculateM1(SrpParameters.CreateDigest(), SrpParameters.N, value, new BigInteger(1, b), BigInteger.Zero),
            SrpParameters.ProofLength);
        yield return _ => new byte[SrpParameters.ProofLength];
        yield return _ => Enumerable.Repeat((byte)0xFF, SrpParameters.ProofLength).ToArray();
    }

    public void Dispose() => factory.Dispose();
}
