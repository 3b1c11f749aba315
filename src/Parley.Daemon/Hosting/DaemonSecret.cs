using System.Security.Cryptography;
using System.Text;

namespace Parley.Daemon.Hosting;

/// <summary>
/// The per-launch secret of the TCP endpoint: 256 random bits, shown as 64 hex digits, required on
/// every request and WebSocket and compared in constant time. Never logged; <see cref="ToString"/>
/// shows the type name only.
/// </summary>
public sealed class DaemonSecret : IDisposable
{
    /// <summary>The secret's size in bytes.</summary>
    public const int Size = 32;

    private readonly byte[] _hex;

    /// <summary>Generates a fresh secret.</summary>
    public DaemonSecret()
    {
        var raw = RandomNumberGenerator.GetBytes(Size);
        _hex = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(raw));
        CryptographicOperations.ZeroMemory(raw);
    }

    /// <summary>The secret as 64 lowercase hex digits (for the web app's URL fragment and the Unix socket's <c>daemon.info</c>).</summary>
    /// <returns>The text.</returns>
    public string Reveal() => Encoding.ASCII.GetString(_hex);

    /// <summary>Whether <paramref name="presented"/> is the secret (constant time).</summary>
    /// <param name="presented">What the client sent.</param>
    /// <returns>True when equal.</returns>
    public bool Matches(string? presented)
    {
        if (presented is null || presented.Length != _hex.Length)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[_hex.Length];
        if (Encoding.ASCII.GetBytes(presented, bytes) != _hex.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(bytes, _hex);
    }

    /// <inheritdoc />
    public override string ToString() => nameof(DaemonSecret);

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_hex);
}
