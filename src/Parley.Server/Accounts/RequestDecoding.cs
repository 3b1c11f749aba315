using Parley.Crypto.Auth;
using Parley.Server.Hosting;
using Parley.Wire.Rest;

namespace Parley.Server.Accounts;

/// <summary>Checks and decodes request fields before any work is done; every failure is a 400 problem.</summary>
public static class RequestDecoding
{
    /// <summary>Decodes a base64 field whose decoded length must lie in [min, max].</summary>
    public static byte[] Base64(string? value, int minLength, int maxLength, string field)
    {
        if (value is null || value.Length > (maxLength + 2) / 3 * 4)
        {
            throw ProblemException.BadRequest($"Field '{field}' is missing or too long");
        }
        var buffer = new byte[value.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(value, buffer, out var written) || written < minLength || written > maxLength)
        {
            throw ProblemException.BadRequest($"Field '{field}' is not valid base64 of the right length");
        }
        return buffer[..written];
    }

    /// <summary>Normalizes and validates a username.</summary>
    public static string Username(string? value) =>
        Usernames.TryNormalize(value, out var normalized)
            ? normalized
            : throw ProblemException.BadRequest("Username must be 3-32 characters of a-z, 0-9, '_', '.', '-'");

    /// <summary>Names that would collide with fixed routes (<c>GET /v1/keys/count</c>); refused at registration.</summary>
    public static IReadOnlySet<string> ReservedUsernames { get; } = new HashSet<string>(StringComparer.Ordinal) { "count" };

    /// <summary>Normalizes a username for registration, refusing reserved names.</summary>
    public static string NewUsername(string? value)
    {
        var name = Username(value);
        return ReservedUsernames.Contains(name)
            ? throw new ProblemException(StatusCodes.Status400BadRequest, "username-reserved", "This username is reserved")
            : name;
    }

    /// <summary>Decodes a client's new credentials, enforcing the server's minimum Argon2 cost.</summary>
    public static SrpRegistration Credentials(
        string? srpSalt, string? verifier, string? argonSalt, Argon2ParametersDto? argon2, AccountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var salt = Base64(srpSalt, SrpParameters.SaltLength, SrpParameters.SaltLength, "srpSalt");
        var v = Base64(verifier, 1, SrpParameters.ElementLength, "verifier");
        var aSalt = Base64(argonSalt, Argon2Parameters.SaltLength, Argon2Parameters.SaltLength, "argonSalt");
        if (argon2 is null)
        {
            throw ProblemException.BadRequest("Field 'argon2' is missing");
        }
        var parameters = new Argon2Parameters(argon2.MemoryKiB, argon2.Iterations, argon2.Parallelism);
        if (!parameters.IsWithinBounds || parameters.MemoryKiB < options.MinArgon2MemoryKiB || parameters.Iterations < options.MinArgon2Iterations)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "argon2-too-weak", "Argon2 parameters below the server minimum or out of bounds");
        }
        var value = SrpParameters.FromBytes(v);
        if (value.SignValue == 0 || value.CompareTo(SrpParameters.N) >= 0)
        {
            throw ProblemException.BadRequest("Field 'verifier' is not an element of the group");
        }
        return new SrpRegistration(salt, v, aSalt, parameters);
    }

    /// <summary>The wire form of Argon2 parameters.</summary>
    public static Argon2ParametersDto ToDto(this Argon2Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new Argon2ParametersDto(parameters.MemoryKiB, parameters.Iterations, parameters.Parallelism);
    }
}
