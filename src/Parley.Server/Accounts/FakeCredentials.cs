using Microsoft.Extensions.Options;
using Parley.Crypto.Auth;
using Parley.Server.Hosting;

namespace Parley.Server.Accounts;

/// <summary>
/// What login start answers for a username that has no account, so that the answer cannot be told
/// from a real one: SRP and Argon2 salts derived deterministically from the server secret and the
/// username (stable across calls, like a real account's), the server's minimum Argon2 cost (what new
/// accounts use), and a verifier that is a pseudo-random group element — B is then computed from it
/// with a fresh ephemeral exactly as for a real account, so it is fresh per call as a real B is.
/// </summary>
public sealed class FakeCredentials(ServerSecret secret, IOptions<AccountOptions> options)
{
    /// <summary>The fake login material for a normalized username.</summary>
    public SrpRegistration For(string username)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(username);
        var srpSalt = secret.Derive("fake-srp-salt", name);
        var argonSalt = secret.Derive("fake-argon-salt", name)[..Argon2Parameters.SaltLength];
        var wide = new byte[SrpParameters.ElementLength + 32];
        for (var block = 0; block * 32 < wide.Length; block++)
        {
            secret.Derive("fake-verifier-" + block.ToString(System.Globalization.CultureInfo.InvariantCulture), name)
                .CopyTo(wide, block * 32);
        }
        var verifier = SrpParameters.FromBytes(wide).Mod(SrpParameters.N);
        var o = options.Value;
        return new SrpRegistration(srpSalt, SrpParameters.ToBytes(verifier), argonSalt,
            new Argon2Parameters(o.MinArgon2MemoryKiB, o.MinArgon2Iterations, 1));
    }
}
